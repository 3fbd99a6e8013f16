// Groth16 key generation with snarkjs' layout (snarkjs 0.7.x zkey_new.js, with the phase-2
// division by delta applied directly since one party knows every secret here).
#include <algorithm>

#include "ff/parallel.hpp"
#include "snark/groth16.hpp"
#include "snark/groth16_fixed_base.hpp"
#include "snark/ntt.hpp"

namespace zkamm::snark {

using ff::Fr;

namespace {

bool wires_ok(const LinearCombination& lc, uint32_t num_wires) {
  return std::all_of(lc.begin(), lc.end(), [&](const Term& t) { return t.wire < num_wires; });
}

/// L_i(tau) for the Lagrange basis of the size-n subgroup <w>, for the indices i in `which`:
/// L_i(X) = (X^n - 1) w^i / (n (X - w^i)). tau must not be in <w>.
std::vector<Fr> lagrange_at(const Fr& tau, size_t n, const std::vector<size_t>& which) {
  const Fr w = root_of_unity(static_cast<unsigned>(__builtin_ctzll(n)));
  const Fr z_over_n = (tau.pow(ff::U256{n, 0, 0, 0}) - Fr::one()) * Fr::from_u64(n).inverse();
  std::vector<Fr> wi(which.size()), den(which.size());
  ff::parallel_for_chunks(which.size(), [&](size_t begin, size_t end, unsigned) {
    for (size_t k = begin; k < end; ++k) {
      wi[k] = w.pow(ff::U256{which[k], 0, 0, 0});
      den[k] = tau - wi[k];
    }
  });
  ff::parallel_for_chunks(which.size(), [&](size_t begin, size_t end, unsigned) {
    Fr::batch_invert(std::span<Fr>(den).subspan(begin, end - begin));
  });
  for (size_t k = 0; k < which.size(); ++k) den[k] *= z_over_n * wi[k];
  return den;
}

}  // namespace

std::optional<ProvingKey> setup_with_toxic_waste(const R1cs& r1cs, const ToxicWaste& tw) {
  const uint32_t n_pub = r1cs.num_public();
  const uint32_t n_vars = r1cs.num_wires;
  if (n_vars < n_pub + 1) return std::nullopt;
  for (const auto& c : r1cs.constraints) {
    if (!wires_ok(c.a, n_vars) || !wires_ok(c.b, n_vars) || !wires_ok(c.c, n_vars)) return std::nullopt;
  }
  const uint64_t n = groth16_domain_size(r1cs.constraints.size(), n_pub);
  if (n > (uint64_t{1} << (kMaxLogNtt - 1))) return std::nullopt;  // the H bases need the 2n-domain
  if (tw.tau.is_zero() || tw.alpha.is_zero() || tw.beta.is_zero() || tw.gamma.is_zero() || tw.delta.is_zero()) {
    return std::nullopt;
  }
  // tau in <w_2n> would zero a denominator below (probability ~2^-226 for a random tau).
  if (tw.tau.pow(ff::U256{2 * n, 0, 0, 0}).is_one()) return std::nullopt;

  ProvingKey pk;
  pk.num_vars = n_vars;
  pk.num_public = n_pub;
  pk.domain_size = static_cast<uint32_t>(n);

  std::vector<size_t> all(n), odd(n);
  for (size_t i = 0; i < n; ++i) {
    all[i] = i;
    odd[i] = 2 * i + 1;
  }
  const std::vector<Fr> lag = lagrange_at(tw.tau, n, all);
  const std::vector<Fr> lag2_odd = lagrange_at(tw.tau, 2 * n, odd);

  // Column polynomials at tau, and the coefficient list (R1CS rows, then one A row per public
  // wire, in snarkjs' order: per constraint its A terms then its B terms).
  std::vector<Fr> at(n_vars), bt(n_vars), ct(n_vars);
  size_t n_coefs = n_pub + 1;
  for (const auto& c : r1cs.constraints) n_coefs += c.a.size() + c.b.size();
  pk.coefs.reserve(n_coefs);
  for (uint32_t row = 0; row < r1cs.constraints.size(); ++row) {
    const auto& c = r1cs.constraints[row];
    for (const auto& t : c.a) {
      at[t.wire] += t.coeff * lag[row];
      pk.coefs.push_back({0, row, t.wire, t.coeff});
    }
    for (const auto& t : c.b) {
      bt[t.wire] += t.coeff * lag[row];
      pk.coefs.push_back({1, row, t.wire, t.coeff});
    }
    for (const auto& t : c.c) ct[t.wire] += t.coeff * lag[row];
  }
  const auto n_constraints = static_cast<uint32_t>(r1cs.constraints.size());
  for (uint32_t s = 0; s <= n_pub; ++s) {
    at[s] += lag[n_constraints + s];
    pk.coefs.push_back({0, n_constraints + s, s, Fr::one()});
  }

  const Fr gamma_inv = tw.gamma.inverse();
  const Fr delta_inv = tw.delta.inverse();
  std::vector<Fr> ic_s(n_pub + 1), c_s(n_vars - n_pub - 1), h_s(n);
  for (uint32_t i = 0; i < n_vars; ++i) {
    const Fr v = tw.beta * at[i] + tw.alpha * bt[i] + ct[i];
    if (i <= n_pub) {
      ic_s[i] = v * gamma_inv;
    } else {
      c_s[i - n_pub - 1] = v * delta_inv;
    }
  }
  for (size_t j = 0; j < n; ++j) h_s[j] = lag2_odd[j] * delta_inv;

  const FixedBaseTable<ec::G1Config> g1(ec::G1::generator());
  const FixedBaseTable<ec::G2Config> g2(ec::G2::generator());
  pk.alpha_g1 = g1.mul(tw.alpha.to_canonical()).to_affine();
  pk.beta_g1 = g1.mul(tw.beta.to_canonical()).to_affine();
  pk.delta_g1 = g1.mul(tw.delta.to_canonical()).to_affine();
  pk.beta_g2 = g2.mul(tw.beta.to_canonical()).to_affine();
  pk.gamma_g2 = g2.mul(tw.gamma.to_canonical()).to_affine();
  pk.delta_g2 = g2.mul(tw.delta.to_canonical()).to_affine();

  pk.ic.resize(ic_s.size());
  pk.a_g1.resize(n_vars);
  pk.b1_g1.resize(n_vars);
  pk.b2_g2.resize(n_vars);
  pk.c_g1.resize(c_s.size());
  pk.h_g1.resize(n);
  g1.mul_batch(ic_s, pk.ic);
  g1.mul_batch(at, pk.a_g1);
  g1.mul_batch(bt, pk.b1_g1);
  g2.mul_batch(bt, pk.b2_g2);
  g1.mul_batch(c_s, pk.c_g1);
  g1.mul_batch(h_s, pk.h_g1);
  return pk;
}

std::optional<ProvingKey> setup_dev(const R1cs& r1cs) {
  ToxicWaste tw;
  for (Fr* x : {&tw.tau, &tw.alpha, &tw.beta, &tw.gamma, &tw.delta}) {
    do {
      *x = random_fr_csprng();
    } while (x->is_zero());
  }
  auto pk = setup_with_toxic_waste(r1cs, tw);
  // The secrets die here; overwrite them so no copy lingers in this frame.
  volatile unsigned char* p = reinterpret_cast<volatile unsigned char*>(&tw);
  for (size_t i = 0; i < sizeof tw; ++i) p[i] = 0;
  return pk;
}

}  // namespace zkamm::snark
