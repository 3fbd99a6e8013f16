#include "hash/eddsa.hpp"

#include <algorithm>
#include <vector>

#include "ec/babyjubjub_fast.hpp"
#include "hash/blake512.hpp"
#include "hash/poseidon.hpp"

namespace zkamm::hash {
namespace {

using ec::BabyJubAffine;
using ec::BabyJubPoint;
using ec::BabyJubScalar;
using ff::Fr;
using ff::U256;

// A 512-bit little-endian integer reduced mod l: lo + hi * 2^256.
BabyJubScalar reduce_512_le(const uint8_t* in64) noexcept {
  const BabyJubScalar lo = BabyJubScalar::from_u256_reduced(ff::from_bytes_le(in64));
  const BabyJubScalar hi = BabyJubScalar::from_u256_reduced(ff::from_bytes_le(in64 + 32));
  static const BabyJubScalar two256 = BabyJubScalar::from_u64(2).pow(U256{256, 0, 0, 0});
  return lo + hi * two256;
}

Fr hash_message(const BabyJubAffine& r8, const BabyJubAffine& a, const Fr& msg) noexcept {
  return poseidon({r8.x, r8.y, a.x, a.y, msg});
}

}  // namespace

ExpandedKey expand_private_key(const PrivateKey& prv) noexcept {
  Blake512Digest h = blake512(prv);
  // circomlibjs pruneBuffer
  h[0] &= 0xf8;
  h[31] &= 0x7f;
  h[31] |= 0x40;
  ExpandedKey k;
  k.s = ff::from_bytes_le(h.data());
  for (std::size_t i = 0; i < 32; ++i) k.prefix[i] = h[32 + i];
  return k;
}

BabyJubAffine eddsa_public_key(const PrivateKey& prv) noexcept {
  const ExpandedKey k = expand_private_key(prv);
  return ec::mul_base8(ff::shift_right(k.s, 3)).to_affine();
}

EddsaSignature eddsa_sign_poseidon(const PrivateKey& prv, const Fr& msg) noexcept {
  const ExpandedKey k = expand_private_key(prv);
  const BabyJubAffine a = ec::mul_base8(ff::shift_right(k.s, 3)).to_affine();
  // r = blake512(prefix || msg as 32 little-endian bytes) mod l
  std::array<uint8_t, 64> buf{};
  for (std::size_t i = 0; i < 32; ++i) buf[i] = k.prefix[i];
  msg.to_bytes_le(buf.data() + 32);
  const Blake512Digest rh = blake512(buf);
  const BabyJubScalar r = reduce_512_le(rh.data());
  const BabyJubAffine r8 = ec::mul_base8(r.to_canonical()).to_affine();
  const Fr hm = hash_message(r8, a, msg);
  // S = (r + hm * s) mod l, with the full pruned s (not s >> 3), as circomlibjs
  const BabyJubScalar s = r + BabyJubScalar::from_u256_reduced(hm.to_canonical()) * BabyJubScalar::from_u256_reduced(k.s);
  return {r8, s.to_canonical()};
}

bool eddsa_verify_poseidon(const BabyJubAffine& a, const Fr& msg, const EddsaSignature& sig) noexcept {
  if (!ff::less_than(sig.s, ec::BabyJubScalarSpec::kModulus)) return false;
  if (!a.is_on_curve() || !sig.r8.is_on_curve()) return false;
  if (a.has_small_order() || sig.r8.has_small_order()) return false;
  const Fr hm = hash_message(sig.r8, a, msg);
  return ec::babyjub_verify_equation(a, sig.r8, sig.s, hm.to_canonical());
}

bool eddsa_verify_poseidon(const ec::BabyJubPreparedKey& a, const Fr& msg, const EddsaSignature& sig) noexcept {
  if (!ff::less_than(sig.s, ec::BabyJubScalarSpec::kModulus)) return false;
  if (!a.key().is_on_curve() || !sig.r8.is_on_curve()) return false;
  if (a.has_small_order() || sig.r8.has_small_order()) return false;
  const Fr hm = hash_message(sig.r8, a.key(), msg);
  return ec::babyjub_verify_equation(a, sig.r8, sig.s, hm.to_canonical());
}

bool eddsa_verify_poseidon_reference(const BabyJubAffine& a, const Fr& msg, const EddsaSignature& sig) noexcept {
  if (!ff::less_than(sig.s, ec::BabyJubScalarSpec::kModulus)) return false;
  if (!a.is_on_curve() || !sig.r8.is_on_curve()) return false;
  if (a.has_small_order() || sig.r8.has_small_order()) return false;
  const Fr hm = hash_message(sig.r8, a, msg);
  // Base8*S == R8 + (8*A)*hm; 8*hm may exceed 256 bits, so the 8 goes on the point.
  BabyJubPoint a8(a);
  for (int i = 0; i < 3; ++i) a8 = a8.dbl();
  const BabyJubPoint lhs = ec::mul_base8(sig.s) - a8.mul(hm.to_canonical());
  return lhs == BabyJubPoint(sig.r8);
}

std::array<uint8_t, 64> pack_signature(const EddsaSignature& sig) noexcept {
  std::array<uint8_t, 64> out{};
  const auto r = ec::pack_point(sig.r8);
  for (std::size_t i = 0; i < 32; ++i) out[i] = r[i];
  ff::to_bytes_le(sig.s, out.data() + 32);
  return out;
}

std::optional<EddsaSignature> unpack_signature(const uint8_t* in64) noexcept {
  const auto r8 = ec::unpack_point(in64);
  if (!r8) return std::nullopt;
  const U256 s = ff::from_bytes_le(in64 + 32);
  if (!ff::less_than(s, ec::BabyJubScalarSpec::kModulus)) return std::nullopt;
  return EddsaSignature{*r8, s};
}

void unpack_signatures(std::span<const uint8_t* const> in, std::span<std::optional<EddsaSignature>> out) noexcept {
  const size_t n = std::min(in.size(), out.size());
  std::vector<std::optional<ec::BabyJubAffine>> r8(n);
  ec::unpack_points(in.first(n), r8);
  for (size_t i = 0; i < n; ++i) {
    out[i] = std::nullopt;
    if (!r8[i]) continue;
    const U256 s = ff::from_bytes_le(in[i] + 32);
    if (!ff::less_than(s, ec::BabyJubScalarSpec::kModulus)) continue;
    out[i] = EddsaSignature{*r8[i], s};
  }
}

}  // namespace zkamm::hash
