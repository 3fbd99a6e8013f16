// The Groth16 prover, step for step as snarkjs 0.7.x groth16_prove.js:
//   1. A, B evaluations on the n-domain from the coefficient list (section 4); C = A o B
//      pointwise (not from the C matrix: a bad witness then yields a proof that fails to verify);
//   2. (A*B - C) at the odd 2n-th roots by iNTT, multiply coefficient k by w_2n^k, NTT;
//   3. MSMs: pi_a = sum w_i A_i, pi_b = sum w_i B2_i, B1 = sum w_i B1_i,
//      pi_c = sum_{i > nPublic} w_i C_i + sum_j h_j H_j (two MSMs: a joint one would need a
//      copy of both bases, and the witness MSMs mostly skip their points, snark/msm.hpp);
//   4. blinding: pi_a += alpha + r delta; pi_b += beta + s delta; B1 += beta + s delta;
//      pi_c += s pi_a + r B1 - r s delta.
#include <algorithm>
#include <cstring>
#include <vector>

#include "ff/parallel.hpp"
#include "snark/backend.hpp"
#include "snark/groth16.hpp"

namespace zkamm::snark {

using ff::Fr;
using ff::U256;

namespace {

std::vector<U256> to_canonical_all(std::span<const Fr> xs) {
  std::vector<U256> out(xs.size());
  ff::parallel_for_chunks(xs.size(), [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) out[i] = xs[i].to_canonical();
  });
  return out;
}

/// dst_m[constraint] += value * witness[signal] for the coefficients of matrix m (0 = A, 1 = B),
/// A and B on one thread each. Records are read in place, a slice at a time, each slice handed
/// back (key.release) once both threads passed it, so a mapped key's largest section is never
/// resident whole; the stored value * R^2 times the plain witness value, as one Montgomery
/// product, is value * witness in Montgomery form. False when a record is out of range (the key
/// is corrupt).
bool evaluate_rows(const ProverKeyView& key, std::span<const Fr> witness, std::span<const U256> w,
                   std::vector<Fr>& a, std::vector<Fr>& b) {
  std::vector<Fr>* out[2] = {&a, &b};
  if (!key.coefs.empty()) {
    ff::parallel_for_chunks(2, [&](size_t begin, size_t end, unsigned) {
      for (size_t m = begin; m < end; ++m) {
        std::vector<Fr>& dst = *out[m];
        for (const Coef& k : key.coefs) {
          if (k.matrix == m) dst[k.constraint] += k.value * witness[k.signal];
        }
      }
    });
    return true;
  }
  constexpr size_t kRecord = ProverKeyView::kCoefRecordBytes;
  constexpr size_t kSliceRecords = size_t{1} << 20;
  const size_t count = key.coef_records.size() / kRecord;
  bool bad[2] = {false, false};
  for (size_t first = 0; first < count; first += kSliceRecords) {
    const auto slice = key.coef_records.subspan(first * kRecord, std::min(kSliceRecords, count - first) * kRecord);
    ff::parallel_for_chunks(2, [&](size_t begin, size_t end, unsigned) {
      for (size_t m = begin; m < end; ++m) {
        std::vector<Fr>& dst = *out[m];
        for (size_t off = 0; off < slice.size() && !bad[m]; off += kRecord) {
          const uint8_t* rec = slice.data() + off;
          uint32_t head[3];
          std::memcpy(head, rec, sizeof head);  // the file is little-endian, as this machine
          if (head[0] != m) {
            bad[m] = head[0] > 1;
            continue;
          }
          U256 value;
          std::memcpy(value.data(), rec + sizeof head, sizeof value);
          if (head[1] >= dst.size() || head[2] >= w.size() || !ff::less_than(value, Fr::kModulus)) {
            bad[m] = true;
            break;
          }
          dst[head[1]] += Fr::from_raw(value) * Fr::from_raw(w[head[2]]);
        }
      }
    });
    if (key.release != nullptr) key.release(slice);
    if (bad[0] || bad[1]) return false;
  }
  return true;
}

}  // namespace

std::optional<Proof> prove_with_blinding(const ProverKeyView& key, std::span<const Fr> witness,
                                         const Blinding& blinding, ProverBackend& backend) {
  if (witness.size() != key.num_vars || !key.is_consistent()) return std::nullopt;
  const size_t n = key.domain_size;

  const std::vector<U256> w = to_canonical_all(witness);
  const std::span<const U256> w_all(w);
  const std::span<const U256> w_private = w_all.subspan(size_t{key.num_public} + 1);

  std::vector<U256> h_scalars;
  {
    std::vector<Fr> a(n), b(n), c(n);
    if (!evaluate_rows(key, witness, w, a, b)) return std::nullopt;
    ff::parallel_for_chunks(n, [&](size_t begin, size_t end, unsigned) {
      for (size_t i = begin; i < end; ++i) c[i] = a[i] * b[i];
    });
    backend.quotient_odd_coset(a, b, c);  // a <- (A*B - C) at the odd 2n-th roots
    std::vector<Fr>().swap(b);            // the MSMs need only a: free b and c first
    std::vector<Fr>().swap(c);
    h_scalars = to_canonical_all(a);
  }

  // All five MSMs in one batch, so the backend can keep every thread busy across them.
  ec::G1 pi_a, pi_b1, pi_c, pi_h;
  ec::G2 pi_b;
  // The witness repeats values (copies of hashes and path elements): group them; H's scalars
  // are evaluations of a random-looking polynomial and do not repeat.
  const MsmG1Job g1_jobs[] = {{key.a_g1, w_all, &pi_a, true},
                              {key.b1_g1, w_all, &pi_b1, true},
                              {key.c_g1, w_private, &pi_c, true},
                              {key.h_g1, h_scalars, &pi_h, false}};
  const MsmG2Job g2_jobs[] = {{key.b2_g2, w_all, &pi_b, true}};
  backend.msm_many(g1_jobs, g2_jobs);
  pi_c += pi_h;

  const ec::G1 delta1(key.delta_g1);
  const ec::G2 delta2(key.delta_g2);
  pi_a = pi_a.add_mixed(key.alpha_g1) + delta1 * blinding.r;
  pi_b = pi_b.add_mixed(key.beta_g2) + delta2 * blinding.s;
  pi_b1 = pi_b1.add_mixed(key.beta_g1) + delta1 * blinding.s;
  pi_c += pi_a * blinding.s;
  pi_c += pi_b1 * blinding.r;
  pi_c += delta1 * (-(blinding.r * blinding.s));

  return Proof{pi_a.to_affine(), pi_b.to_affine(), pi_c.to_affine()};
}

std::optional<Proof> prove(const ProverKeyView& key, std::span<const Fr> witness, ProverBackend& backend) {
  return prove_with_blinding(key, witness, Blinding{random_fr_csprng(), random_fr_csprng()}, backend);
}

std::optional<Proof> prove_with_blinding(const ProvingKey& pk, std::span<const Fr> witness, const Blinding& blinding,
                                         ProverBackend& backend) {
  if (!pk.is_consistent()) return std::nullopt;
  return prove_with_blinding(view_of(pk), witness, blinding, backend);
}

std::optional<Proof> prove(const ProvingKey& pk, std::span<const Fr> witness, ProverBackend& backend) {
  return prove_with_blinding(pk, witness, Blinding{random_fr_csprng(), random_fr_csprng()}, backend);
}

}  // namespace zkamm::snark
