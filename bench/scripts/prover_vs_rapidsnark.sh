#!/usr/bin/env bash
# Issue 19's figures: `zkamm prove` beside iden3/rapidsnark's standalone prover on the same .zkey
# and .wtns, alternately (zkamm, rapidsnark, zkamm, ...) so that both see the same machine load;
# wall time and max RSS from /usr/bin/time -v, and the ratio per run and of the medians.
# Usage: bench/scripts/prover_vs_rapidsnark.sh [ZKAMM_BINARY] [RUNS] [CIRCUITS]
#   CIRCUITS: "chain16 swap64" (default) or either one.
# Environment:
#   RAPIDSNARK   the prover binary; else ${TMPDIR:-/tmp}/rapidsnark/src/build_prover/src/prover, else
#                it is built there by ../shared/anchors/rapidsnark/build.sh from the bare mirrors
#                RS_MIRROR and FFIASM_MIRROR (defaults: the search tool's /work/.mirror copies).
#   KEYS         cache folder of the 64-swap batch key (default .zkamm-cache/bench; the first
#                `zkamm setup-batch --slots 64 --swap` takes ~90 s).
#   SNARKJS=1    also time `snarkjs groth16 prove` once on the 2^16 chain (issue 19: >= 12x).
# zkamm's proof of each circuit is verified once by snarkjs. rapidsnark is a reference only:
# nothing of it goes into the project.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
zkamm=$(realpath "${1:-$root/build/release/src/app/zkamm}")
runs=${2:-3}
circuits=${3:-chain16 swap64}
keys=${KEYS:-$root/.zkamm-cache/bench}
snarkjs="node --max-old-space-size=16384 $root/node_modules/snarkjs/build/cli.cjs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rs=${RAPIDSNARK:-${TMPDIR:-/tmp}/rapidsnark/src/build_prover/src/prover}
if [ ! -x "$rs" ]; then
  echo "building rapidsnark into ${TMPDIR:-/tmp}/rapidsnark (needs nasm, libgmp-dev, nlohmann-json3-dev)"
  bash "$root/../shared/anchors/rapidsnark/build.sh" "${RS_MIRROR:-/work/.mirror/iden3+rapidsnark/repo}" \
    "${FFIASM_MIRROR:-/work/.mirror/iden3+ffiasm/repo}" "${TMPDIR:-/tmp}/rapidsnark" >/dev/null
  rs=${TMPDIR:-/tmp}/rapidsnark/src/build_prover/src/prover
fi

# timed LOG CMD...: runs CMD under /usr/bin/time -v, echoes "wall_s max_rss_mb cpu_s" (cpu: user +
# system, the fairer figure when other work shares the cores)
timed() {
  local log=$1
  shift
  /usr/bin/time -v "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "failed: $*" >&2; exit 1; }
  awk '/Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + t[i] }
       /User time \(seconds\)/ { c += $NF }
       /System time \(seconds\)/ { c += $NF }
       /Maximum resident set size/ { m = $NF / 1024 }
       END { printf "%.2f %.0f %.2f\n", s, m, c }' "$log"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# compare NAME ZKEY WTNS VK_JSON: the alternating runs and the snarkjs check of zkamm's proof.
compare() {
  local name=$1 zkey=$2 wtns=$3 vk=$4 d=$work/$1
  mkdir -p "$d"
  echo
  echo "## $name: $(du -h "$zkey" | cut -f1) .zkey, load before: $(uptime | sed 's/.*load average: //')"
  echo "| run | zkamm wall (s) | zkamm CPU (s) | zkamm max RSS (MB) | rapidsnark wall (s) | rapidsnark CPU (s) | rapidsnark max RSS (MB) | rapidsnark / zkamm, wall | same, CPU |"
  echo "|---|---|---|---|---|---|---|---|---|"
  : >"$d/z.txt"
  : >"$d/r.txt"
  for i in $(seq 1 "$runs"); do
    read -r zw zm zc < <(timed "$d/z.log" "$zkamm" prove "$zkey" "$wtns" "$d/proof.json" "$d/public.json")
    read -r rw rm rc < <(timed "$d/r.log" "$rs" "$zkey" "$wtns" "$d/rproof.json" "$d/rpublic.json")
    echo "$zw $zm $zc" >>"$d/z.txt"
    echo "$rw $rm $rc" >>"$d/r.txt"
    printf '| %d | %s | %s | %s | %s | %s | %s | %.2fx | %.2fx |\n' "$i" "$zw" "$zc" "$zm" "$rw" "$rc" "$rm" \
      "$(awk -v a="$rw" -v b="$zw" 'BEGIN { print a / b }')" "$(awk -v a="$rc" -v b="$zc" 'BEGIN { print a / b }')"
  done
  local zmed rmed zcpu rcpu zrss rrss
  zmed=$(cut -d' ' -f1 "$d/z.txt" | median)
  rmed=$(cut -d' ' -f1 "$d/r.txt" | median)
  zcpu=$(cut -d' ' -f3 "$d/z.txt" | median)
  rcpu=$(cut -d' ' -f3 "$d/r.txt" | median)
  zrss=$(cut -d' ' -f2 "$d/z.txt" | sort -g | tail -1)
  rrss=$(cut -d' ' -f2 "$d/r.txt" | sort -g | tail -1)
  printf '| median | %s | %s | %s (max) | %s | %s | %s (max) | **%.2fx** | %.2fx |\n' "$zmed" "$zcpu" "$zrss" "$rmed" \
    "$rcpu" "$rrss" "$(awk -v a="$rmed" -v b="$zmed" 'BEGIN { print a / b }')" \
    "$(awk -v a="$rcpu" -v b="$zcpu" 'BEGIN { print a / b }')"
  echo "load after: $(uptime | sed 's/.*load average: //')"
  cmp <(tr -d ' \n' <"$d/public.json") <(tr -d ' \n' <"$d/rpublic.json")
  echo "snarkjs verifies zkamm's proof: $($snarkjs groth16 verify "$vk" "$d/public.json" "$d/proof.json" | grep -o 'OK!' || echo FAILED)"
}

echo "zkamm: $zkamm ($(git -C "$root" rev-parse --short HEAD)); rapidsnark: $rs; $(nproc) cores; $(date -u '+%F %H:%M UTC')"
for c in $circuits; do
  case $c in
    chain16)
      # zkamm's demo chain filling a 2^16 domain (as prove_vs_snarkjs.sh): 65,523 constraints.
      "$zkamm" demo "$work/chain16" --length $(((1 << 16) - 16)) --inputs 4 >/dev/null
      compare chain16 "$work/chain16/demo.zkey" "$work/chain16/demo.wtns" "$work/chain16/verification_key.json"
      if [ "${SNARKJS:-0}" = 1 ]; then
        read -r sw sm _ < <(timed "$work/s.log" $snarkjs groth16 prove "$work/chain16/demo.zkey" \
          "$work/chain16/demo.wtns" "$work/sp.json" "$work/spub.json")
        echo "snarkjs groth16 prove, once: $sw s, max RSS $sm MB (snarkjs / zkamm median: $(awk -v a="$sw" \
          -v b="$(cut -d' ' -f1 "$work/chain16/z.txt" | median)" 'BEGIN { printf "%.1fx", a / b }'))"
      fi
      ;;
    swap64)
      mkdir -p "$keys"
      zkey=$("$zkamm" setup-batch --slots 64 --swap --out "$keys" | sed -n 's/^proving key -> //p')
      "$zkamm" batch-witness --slots 64 --swap --out "$work/swap64.wtns" >/dev/null
      [ -f "${zkey%.zkey}.vk.json" ] || $snarkjs zkey export verificationkey "$zkey" "${zkey%.zkey}.vk.json" >/dev/null
      compare swap64 "$zkey" "$work/swap64.wtns" "${zkey%.zkey}.vk.json"
      ;;
    *) echo "unknown circuit $c" >&2; exit 2 ;;
  esac
done
