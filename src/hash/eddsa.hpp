#pragma once
// EdDSA over Baby Jubjub with Poseidon as the message hash, compatible with circomlibjs 0.1.7
// `eddsa.prv2pub / signPoseidon / verifyPoseidon` (circomlib eddsaposeidon.circom). Keys and
// nonces are derived with BLAKE-512 as in circomlibjs (RFC 8032-style pruning).
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "ec/babyjubjub.hpp"
#include "ec/babyjubjub_fast.hpp"
#include "ff/bn254.hpp"

namespace zkamm::hash {

using PrivateKey = std::array<uint8_t, 32>;

struct EddsaSignature {
  ec::BabyJubAffine r8;
  ff::U256 s;  ///< canonical S, < l for a valid signature
  friend bool operator==(const EddsaSignature&, const EddsaSignature&) = default;
};

/// circomlibjs pruneBuffer applied to blake512(private key): the secret scalar s (< 2^255, the
/// low 3 bits cleared, bit 254 set) and the nonce prefix h[32..64).
struct ExpandedKey {
  ff::U256 s;
  std::array<uint8_t, 32> prefix;
};
ExpandedKey expand_private_key(const PrivateKey& prv) noexcept;

/// Public key A = Base8 * (s >> 3) (circomlibjs prv2pub).
ec::BabyJubAffine eddsa_public_key(const PrivateKey& prv) noexcept;

/// circomlibjs signPoseidon(prv, msg): deterministic.
EddsaSignature eddsa_sign_poseidon(const PrivateKey& prv, const ff::Fr& msg) noexcept;

/// circomlibjs verifyPoseidon, stricter: also rejects A or R8 of small order (order dividing 8,
/// identity included), besides S >= l and points off the curve. Checks Base8*S == R8 + A*(8*hm)
/// with hm = Poseidon(R8.x, R8.y, A.x, A.y, msg).
/// Runs the shortened-scalar Straus check of ec/babyjubjub_fast.hpp (same answers as
/// eddsa_verify_poseidon_reference, which the tests compare it with).
[[nodiscard]] bool eddsa_verify_poseidon(const ec::BabyJubAffine& a, const ff::Fr& msg,
                                         const EddsaSignature& sig) noexcept;

/// eddsa_verify_poseidon for a key prepared once (ec::BabyJubPreparedKey, 6 KiB, costs about
/// three verifications to build): same answers, about half the curve arithmetic per check.
[[nodiscard]] bool eddsa_verify_poseidon(const ec::BabyJubPreparedKey& a, const ff::Fr& msg,
                                         const EddsaSignature& sig) noexcept;

/// The original straightforward verifier (fixed-base comb plus 4-bit-window variable-base
/// multiplication), kept as the reference for tests; same contract as eddsa_verify_poseidon.
[[nodiscard]] bool eddsa_verify_poseidon_reference(const ec::BabyJubAffine& a, const ff::Fr& msg,
                                                   const EddsaSignature& sig) noexcept;

/// circomlibjs packSignature: packed R8 (32 bytes) then S as 32 little-endian bytes.
std::array<uint8_t, 64> pack_signature(const EddsaSignature& sig) noexcept;
/// circomlibjs unpackSignature; rejects an R8 that does not unpack and S >= l.
std::optional<EddsaSignature> unpack_signature(const uint8_t* in64) noexcept;
/// unpack_signature for each in[i] (64 readable bytes each) into out[i], out.size() == in.size(),
/// with the R8 points unpacked together (ec::unpack_points: one shared inversion).
void unpack_signatures(std::span<const uint8_t* const> in, std::span<std::optional<EddsaSignature>> out) noexcept;

}  // namespace zkamm::hash
