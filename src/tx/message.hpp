#pragma once
// The field element M an L2 transaction's EdDSA-Poseidon signature signs (docs/TRANSACTIONS.md
// section 3): M = Poseidon(e0, ..., e5), six inputs for every type, so the slot circuit needs one
// Poseidon(6) gadget. e0 packs the tag, type, account, nonce, tokens, deadline and recipient;
// e1 packs chain id and rollup address; e2..e5 carry the amounts (and Withdraw's L1 address).
#include <array>
#include <cstdint>
#include <optional>

#include "ec/babyjubjub.hpp"
#include "ec/babyjubjub_fast.hpp"
#include "ff/bn254.hpp"
#include "hash/eddsa.hpp"
#include "tx/tx.hpp"

namespace zkamm::tx {

/// One deployment: a signature is valid only for the chain and rollup contract it names.
struct Domain {
  uint64_t chain_id = 0;
  L1Address rollup{};
  friend bool operator==(const Domain&, const Domain&) = default;
};

/// "zkA1": version tag in bits 184..216 of e0; change it when the packing changes.
inline constexpr uint32_t kMessageTag = 0x7a6b4131;
inline constexpr std::size_t kMessageInputs = 6;

/// The six Poseidon inputs of an L2 transaction (nullopt for Noop, priority operations and
/// transactions with an account or token out of range).
std::optional<std::array<ff::Fr, kMessageInputs>> message_inputs(const Tx& t, const Domain& d) noexcept;

/// M = Poseidon(message_inputs); nullopt where message_inputs is.
std::optional<ff::Fr> message_hash(const Tx& t, const Domain& d) noexcept;

/// Signs an L2 transaction in place (deterministic, circomlibjs signPoseidon); false, and t
/// unchanged, for Noop and priority operations.
[[nodiscard]] bool sign(Tx& t, const hash::PrivateKey& prv, const Domain& d) noexcept;

/// True when t is an L2 transaction whose signature is valid for `pub` over M(t, d).
[[nodiscard]] bool verify(const Tx& t, const ec::BabyJubAffine& pub, const Domain& d) noexcept;

/// As above with a key prepared once for repeated checks (same answers, about 0.7x the time).
[[nodiscard]] bool verify(const Tx& t, const ec::BabyJubPreparedKey& pub, const Domain& d) noexcept;

/// As above with a packed key; false when the key does not unpack.
[[nodiscard]] bool verify(const Tx& t, const PackedPubKey& pub, const Domain& d) noexcept;

/// The signing account of an L2 transaction (Transfer's `from`), nullopt otherwise.
std::optional<uint32_t> signer_account(const Tx& t) noexcept;

/// The nonce of an L2 transaction, nullopt otherwise.
std::optional<uint32_t> nonce_of(const Tx& t) noexcept;

}  // namespace zkamm::tx
