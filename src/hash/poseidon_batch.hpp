#pragma once
// Many independent Poseidon hashes of the same width at once (a tree level, a block of
// signatures): eight permutations run side by side in the lanes of ff::FrX8's AVX-512 IFMA
// kernel, with the same optimized round structure as poseidon_permute (Grassi et al., eprint
// 2019/458, Appendix B) plus lazy reduction: each matrix row is one sum of products reduced once,
// and round constants join during that reduction. Without IFMA (ff::kFrX8Ifma false) the batch
// falls back to scalar poseidon() per item. Outputs equal hash::poseidon bit for bit.
#include <array>
#include <cstddef>
#include <span>

#include "ff/field_x8.hpp"
#include "hash/poseidon.hpp"

namespace zkamm::hash {

/// Groups (of up to eight) smaller than this go to the scalar poseidon(): one eight-lane
/// permutation costs about 1.2 scalar ones (bench/hash, widths 2..7). Without IFMA every group does.
inline constexpr std::size_t kPoseidonBatchMin = ff::kFrX8Ifma ? 2 : 9;

/// out[i] = poseidon(inputs[i*k .. i*k + k)) for every i < out.size().
/// Precondition: 1 <= k <= 16 and inputs.size() == k * out.size().
void poseidon_many(std::span<const Fr> inputs, std::size_t k, std::span<Fr> out) noexcept;

/// Eight hashes of k inputs each: out8[l] = poseidon(in[l*k .. l*k + k)). Precondition: 1 <= k <= 16.
void poseidon_x8(const Fr* in, std::size_t k, Fr* out8) noexcept;

/// out[i] = poseidon(in[i]). Precondition: 1 <= K <= 16, out.size() == in.size().
template <std::size_t K>
void poseidon_batch(std::span<const std::array<Fr, K>> in, std::span<Fr> out) noexcept {
  static_assert(K >= 1 && K <= kPoseidonMaxInputs);
  std::array<Fr, 8 * K> buf{};
  std::array<Fr, 8> res;
  for (std::size_t i = 0; i < in.size(); i += 8) {
    const std::size_t n = in.size() - i < 8 ? in.size() - i : 8;
    if (n < kPoseidonBatchMin) {
      for (std::size_t j = 0; j < n; ++j) out[i + j] = poseidon(std::span<const Fr>(in[i + j]));
      continue;
    }
    for (std::size_t j = 0; j < 8; ++j) {
      for (std::size_t e = 0; e < K; ++e) buf[j * K + e] = j < n ? in[i + j][e] : Fr::zero();
    }
    poseidon_x8(buf.data(), K, res.data());
    for (std::size_t j = 0; j < n; ++j) out[i + j] = res[j];
  }
}

}  // namespace zkamm::hash
