// The Groth16 prover, step for step as snarkjs 0.7.x groth16_prove.js:
//   1. A, B evaluations on the n-domain from the coefficient list (section 4); C = A o B
//      pointwise (not from the C matrix: a bad witness then yields a proof that fails to verify);
//   2. (A*B - C) at the odd 2n-th roots by iNTT, multiply coefficient k by w_2n^k, NTT;
//   3. MSMs: pi_a = sum w_i A_i, pi_b = sum w_i B2_i, B1 = sum w_i B1_i,
//      pi_c = sum_{i > nPublic} w_i C_i + sum_j h_j H_j;
//   4. blinding: pi_a += alpha + r delta; pi_b += beta + s delta; B1 += beta + s delta;
//      pi_c += s pi_a + r B1 - r s delta.
#include <algorithm>
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

}  // namespace

std::optional<Proof> prove_with_blinding(const ProvingKey& pk, std::span<const Fr> witness, const Blinding& blinding,
                                         ProverBackend& backend) {
  if (witness.size() != pk.num_vars || !pk.is_consistent()) return std::nullopt;
  const size_t n = pk.domain_size;

  std::vector<Fr> a(n), b(n), c(n);
  {
    // A and B rows accumulate independently: one thread each.
    std::vector<Fr>* out[2] = {&a, &b};
    ff::parallel_for_chunks(2, [&](size_t begin, size_t end, unsigned) {
      for (size_t m = begin; m < end; ++m) {
        std::vector<Fr>& dst = *out[m];
        for (const Coef& k : pk.coefs) {
          if (k.matrix == m) dst[k.constraint] += k.value * witness[k.signal];
        }
      }
    });
  }
  ff::parallel_for_chunks(n, [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) c[i] = a[i] * b[i];
  });
  backend.quotient_odd_coset(a, b, c);  // a <- (A*B - C) at the odd 2n-th roots

  const std::vector<U256> w = to_canonical_all(witness);
  const std::span<const U256> w_all(w);
  const std::span<const U256> w_private = w_all.subspan(size_t{pk.num_public} + 1);

  // pi_c's two sums run as one MSM over C ++ H: Pippenger's cost grows slower than linearly in
  // the number of points (wider windows, one bucket reduction per window instead of two).
  std::vector<ec::G1Affine> ch_bases;
  std::vector<U256> ch_scalars;
  ch_bases.reserve(pk.c_g1.size() + pk.h_g1.size());
  ch_bases.insert(ch_bases.end(), pk.c_g1.begin(), pk.c_g1.end());
  ch_bases.insert(ch_bases.end(), pk.h_g1.begin(), pk.h_g1.end());
  ch_scalars.resize(w_private.size() + n);
  std::copy(w_private.begin(), w_private.end(), ch_scalars.begin());
  ff::parallel_for_chunks(n, [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) ch_scalars[w_private.size() + i] = a[i].to_canonical();
  });

  // All four MSMs in one batch, so the backend can keep every thread busy across them.
  ec::G1 pi_a, pi_b1, pi_c;
  ec::G2 pi_b;
  const MsmG1Job g1_jobs[] = {{pk.a_g1, w_all, &pi_a}, {pk.b1_g1, w_all, &pi_b1}, {ch_bases, ch_scalars, &pi_c}};
  const MsmG2Job g2_jobs[] = {{pk.b2_g2, w_all, &pi_b}};
  backend.msm_many(g1_jobs, g2_jobs);

  const ec::G1 delta1(pk.delta_g1);
  const ec::G2 delta2(pk.delta_g2);
  pi_a = pi_a.add_mixed(pk.alpha_g1) + delta1 * blinding.r;
  pi_b = pi_b.add_mixed(pk.beta_g2) + delta2 * blinding.s;
  pi_b1 = pi_b1.add_mixed(pk.beta_g1) + delta1 * blinding.s;
  pi_c += pi_a * blinding.s;
  pi_c += pi_b1 * blinding.r;
  pi_c += delta1 * (-(blinding.r * blinding.s));

  return Proof{pi_a.to_affine(), pi_b.to_affine(), pi_c.to_affine()};
}

std::optional<Proof> prove(const ProvingKey& pk, std::span<const Fr> witness, ProverBackend& backend) {
  return prove_with_blinding(pk, witness, Blinding{random_fr_csprng(), random_fr_csprng()}, backend);
}

}  // namespace zkamm::snark
