#include "hash/eddsa_batch.hpp"

#include <array>

#include "ec/babyjubjub_fast.hpp"
#include "hash/poseidon.hpp"
#include "hash/poseidon_batch.hpp"

namespace zkamm::hash {
namespace {

using ff::Fr;

constexpr size_t kLanes = 2;
constexpr unsigned kWidth = 6;  // Poseidon(R8.x, R8.y, A.x, A.y, msg): t = 5 inputs + 1
using Lanes = std::array<std::array<Fr, kWidth>, kLanes>;

inline Fr pow5(const Fr& x) noexcept {
  const Fr x2 = x.square();
  return x2.square() * x;
}

// kLanes independent width-6 Poseidon permutations, interleaved operation by operation so that
// the CPU overlaps their multiplication latency chains. The operation sequence per lane is that
// of poseidon_permute (hash/poseidon.cpp: optimized constants, pre-sparse and sparse matrices of
// Grassi et al., Appendix B; matrix rows as lazily reduced dot products), so the outputs are
// identical (tests compare with poseidon()).
void poseidon6_lanes(Lanes& st) noexcept {
  const PoseidonParams& p = poseidon_params(kWidth);
  const Fr* c = p.opt_constants.data();
  const unsigned half = p.rounds_f / 2;
  const auto full_round = [&](const Fr* m) {
    for (auto& s : st) {
      for (unsigned i = 0; i < kWidth; ++i) s[i] = pow5(s[i] + c[i]);
    }
    c += kWidth;
    for (auto& s : st) {
      std::array<Fr, kWidth> tmp;
      for (unsigned i = 0; i < kWidth; ++i) tmp[i] = Fr::dot(m + i * kWidth, s.data(), kWidth);
      s = tmp;
    }
  };
  for (unsigned r = 0; r + 1 < half; ++r) full_round(p.mds.data());
  full_round(p.pre_sparse_mds.data());
  const Fr* sp = p.sparse.data();
  for (unsigned r = 0; r < p.rounds_p; ++r) {
    std::array<Fr, kLanes> x0;
    for (size_t l = 0; l < kLanes; ++l) x0[l] = pow5(st[l][0] + *c);
    ++c;
    for (size_t l = 0; l < kLanes; ++l) {
      auto& s = st[l];
      s[0] = x0[l];
      const Fr acc = Fr::dot(sp, s.data(), kWidth);
      for (unsigned j = 1; j < kWidth; ++j) s[j] += sp[kWidth + j - 1] * x0[l];
      s[0] = acc;
    }
    sp += 2 * kWidth - 1;
  }
  for (unsigned r = 0; r < half; ++r) full_round(p.mds.data());
}

// The checks of eddsa_verify_poseidon that come before the hash.
bool prechecks(const EddsaVerifyItem& it) noexcept {
  if (!ff::less_than(it.sig.s, ec::BabyJubScalarSpec::kModulus)) return false;
  if (!it.a.is_on_curve() || !it.sig.r8.is_on_curve()) return false;
  return !it.a.has_small_order() && !it.sig.r8.has_small_order();
}

}  // namespace

std::vector<Fr> poseidon_eddsa_hashes(std::span<const EddsaVerifyItem> items) {
  std::vector<Fr> out(items.size());
  if constexpr (ff::kFrX8Ifma) {
    // Eight lanes of the IFMA kernel (hash/poseidon_batch.hpp) beat the two interleaved scalar ones.
    std::vector<std::array<Fr, 5>> rows(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      const EddsaVerifyItem& it = items[i];
      rows[i] = {it.sig.r8.x, it.sig.r8.y, it.a.x, it.a.y, it.msg};
    }
    poseidon_batch<5>(rows, out);
    return out;
  }
  for (size_t i = 0; i < items.size(); i += kLanes) {
    Lanes st{};
    for (size_t l = 0; l < kLanes && i + l < items.size(); ++l) {
      const EddsaVerifyItem& it = items[i + l];
      st[l] = {Fr::zero(), it.sig.r8.x, it.sig.r8.y, it.a.x, it.a.y, it.msg};
    }
    poseidon6_lanes(st);
    for (size_t l = 0; l < kLanes && i + l < items.size(); ++l) out[i + l] = st[l][0];
  }
  return out;
}

std::vector<bool> eddsa_verify_poseidon_batch(std::span<const EddsaVerifyItem> items) {
  std::vector<bool> ok(items.size());
  // Hash only the items that pass the cheap checks (the hash is most of the remaining cost).
  std::vector<EddsaVerifyItem> live;
  std::vector<size_t> index;
  live.reserve(items.size());
  index.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (prechecks(items[i])) {
      live.push_back(items[i]);
      index.push_back(i);
    }
  }
  const std::vector<Fr> hm = poseidon_eddsa_hashes(live);
  for (size_t k = 0; k < live.size(); ++k) {
    ok[index[k]] = ec::babyjub_verify_equation(live[k].a, live[k].sig.r8, live[k].sig.s, hm[k].to_canonical());
  }
  return ok;
}

std::vector<bool> eddsa_verify_poseidon_batch_prepared(std::span<const EddsaPreparedItem> items) {
  std::vector<bool> ok(items.size());
  std::vector<std::array<Fr, 5>> rows;
  std::vector<size_t> index;
  rows.reserve(items.size());
  index.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const EddsaPreparedItem& it = items[i];
    // The checks of eddsa_verify_poseidon(prepared, ...) that come before the hash.
    if (!ff::less_than(it.sig.s, ec::BabyJubScalarSpec::kModulus)) continue;
    if (!it.a->key().is_on_curve() || !it.sig.r8.is_on_curve()) continue;
    if (it.a->has_small_order() || it.sig.r8.has_small_order()) continue;
    rows.push_back({it.sig.r8.x, it.sig.r8.y, it.a->key().x, it.a->key().y, it.msg});
    index.push_back(i);
  }
  std::vector<Fr> hm(rows.size());
  poseidon_batch<5>(rows, hm);
  for (size_t k = 0; k < rows.size(); ++k) {
    const EddsaPreparedItem& it = items[index[k]];
    ok[index[k]] = ec::babyjub_verify_equation(*it.a, it.sig.r8, it.sig.s, hm[k].to_canonical());
  }
  return ok;
}

bool eddsa_verify_poseidon_all(std::span<const EddsaVerifyItem> items) noexcept {
  for (const auto& it : items) {
    if (!eddsa_verify_poseidon(it.a, it.msg, it.sig)) return false;
  }
  return true;
}

}  // namespace zkamm::hash
