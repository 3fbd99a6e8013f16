# Sourced by the e2e tests and bench scripts that need an L1. Needs NM (the repo's node_modules).
ANVIL="$NM/@foundry-rs/anvil-linux-amd64/bin/anvil"

# start_anvil LOG [ANVIL ARGS...]: anvil (Prague, so EIP-7623's calldata floor applies) on a free
# loopback port, in the background, logging to LOG. Sets ANVIL_PID and RPC (http://127.0.0.1:PORT);
# prints the log and exits 1 if anvil is not listening within 10 s. The caller's EXIT trap kills
# ANVIL_PID.
start_anvil() {
  "$ANVIL" --host 127.0.0.1 --port 0 --hardfork prague "${@:2}" > "$1" 2>&1 &
  ANVIL_PID=$!
  local port=""
  for _ in $(seq 1 100); do
    port=$(grep -oE 'Listening on 127\.0\.0\.1:[0-9]+' "$1" | head -n1 | cut -d: -f2 || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "anvil did not start"; cat "$1"; exit 1; }
  RPC="http://127.0.0.1:$port"
}
