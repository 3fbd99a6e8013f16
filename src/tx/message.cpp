#include "tx/message.hpp"

#include <type_traits>

#include "hash/poseidon.hpp"
#include "tx/encoding.hpp"

namespace zkamm::tx {
namespace {

using ff::Fr;
using ff::U256;

/// The fields M binds, gathered per type (unused ones stay zero).
struct MessageFields {
  uint8_t type = 0;
  uint32_t account = 0;
  uint32_t nonce = 0;
  uint16_t token_a = 0;
  uint16_t token_b = 0;
  uint64_t deadline = 0;
  uint32_t to_account = 0;
  std::array<U256, 4> wide{};  ///< e2..e5: amounts (< 2^128) or an L1 address (< 2^160)
};

U256 address(const L1Address& a) noexcept {
  std::array<uint8_t, 32> be{};
  for (std::size_t i = 0; i < 20; ++i) be[12 + i] = a[i];
  return ff::from_bytes_be(be.data());
}

std::optional<MessageFields> gather(const Tx& t) noexcept {
  MessageFields m;
  m.type = static_cast<uint8_t>(t.index());
  bool l2 = true;
  std::visit(
      [&](const auto& x) {
        using T = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Transfer>) {
          m.account = x.from;
          m.to_account = x.to;
          m.token_a = x.token;
          m.wide[0] = to_u256(x.amount);
        } else if constexpr (std::is_same_v<T, SwapExactIn>) {
          m.account = x.account;
          m.token_a = x.token_in;
          m.token_b = x.token_out;
          m.wide = {to_u256(x.amount_in), to_u256(x.amount_out_min), U256{}, U256{}};
          m.deadline = x.deadline;
        } else if constexpr (std::is_same_v<T, SwapExactOut>) {
          m.account = x.account;
          m.token_a = x.token_in;
          m.token_b = x.token_out;
          m.wide = {to_u256(x.amount_out), to_u256(x.amount_in_max), U256{}, U256{}};
          m.deadline = x.deadline;
        } else if constexpr (std::is_same_v<T, CreatePool>) {
          m.account = x.account;
          m.token_a = x.token_a;
          m.token_b = x.token_b;
        } else if constexpr (std::is_same_v<T, AddLiquidity>) {
          m.account = x.account;
          m.token_a = x.token_a;
          m.token_b = x.token_b;
          m.wide = {to_u256(x.amount_a_desired), to_u256(x.amount_b_desired), to_u256(x.amount_a_min),
                    to_u256(x.amount_b_min)};
          m.deadline = x.deadline;
        } else if constexpr (std::is_same_v<T, RemoveLiquidity>) {
          m.account = x.account;
          m.token_a = x.token_a;
          m.token_b = x.token_b;
          m.wide = {to_u256(x.liquidity), to_u256(x.amount_a_min), to_u256(x.amount_b_min), U256{}};
          m.deadline = x.deadline;
        } else if constexpr (std::is_same_v<T, Withdraw>) {
          m.account = x.account;
          m.token_a = x.token;
          m.wide = {to_u256(x.amount), address(x.l1_address), U256{}, U256{}};
        } else {
          l2 = false;
        }
        if constexpr (requires { x.nonce; }) m.nonce = x.nonce;
      },
      t);
  if (!l2) return std::nullopt;
  return m;
}

const PackedSignature* signature_of(const Tx& t) noexcept {
  return std::visit(
      [](const auto& x) -> const PackedSignature* {
        if constexpr (requires { x.signature; }) {
          return &x.signature;
        } else {
          return nullptr;
        }
      },
      t);
}

}  // namespace

std::optional<std::array<Fr, kMessageInputs>> message_inputs(const Tx& t, const Domain& d) noexcept {
  if (!in_range(t)) return std::nullopt;  // the packing assumes the widths
  const auto m = gather(t);
  if (!m) return std::nullopt;
  // e0 bit layout (docs/TRANSACTIONS.md 3.1): type 0..8, account 8..32, nonce 32..64,
  // token_a 64..80, token_b 80..96, deadline 96..160, to_account 160..184, tag 184..216.
  const uint64_t tag = kMessageTag;
  const U256 e0 = {uint64_t{m->type} | (uint64_t{m->account} << 8) | (uint64_t{m->nonce} << 32),
                   uint64_t{m->token_a} | (uint64_t{m->token_b} << 16) | ((m->deadline & 0xffffffffu) << 32),
                   (m->deadline >> 32) | (uint64_t{m->to_account} << 32) | ((tag & 0xff) << 56),
                   tag >> 8};
  // e1: chain_id 0..64, rollup address (as a big-endian integer) 64..224.
  std::array<uint8_t, 32> e1_be{};
  for (std::size_t i = 0; i < 20; ++i) e1_be[4 + i] = d.rollup[i];
  for (std::size_t i = 0; i < 8; ++i) e1_be[24 + i] = static_cast<uint8_t>(d.chain_id >> (8 * (7 - i)));
  std::array<Fr, kMessageInputs> e{};
  e[0] = Fr::from_canonical_unchecked(e0);
  e[1] = Fr::from_canonical_unchecked(ff::from_bytes_be(e1_be.data()));
  for (std::size_t i = 0; i < 4; ++i) e[2 + i] = Fr::from_canonical_unchecked(m->wide[i]);
  return e;
}

std::optional<Fr> message_hash(const Tx& t, const Domain& d) noexcept {
  const auto e = message_inputs(t, d);
  if (!e) return std::nullopt;
  return hash::poseidon(std::span<const Fr>(e->data(), e->size()));
}

bool sign(Tx& t, const hash::PrivateKey& prv, const Domain& d) noexcept {
  const auto m = message_hash(t, d);
  if (!m) return false;
  const PackedSignature packed = hash::pack_signature(hash::eddsa_sign_poseidon(prv, *m));
  std::visit(
      [&](auto& x) {
        if constexpr (requires { x.signature; }) x.signature = packed;
      },
      t);
  return true;
}

bool verify(const Tx& t, const ec::BabyJubPreparedKey& pub, const Domain& d) noexcept {
  const PackedSignature* packed = signature_of(t);
  if (packed == nullptr) return false;
  const auto sig = hash::unpack_signature(packed->data());
  if (!sig) return false;
  const auto m = message_hash(t, d);
  return m && hash::eddsa_verify_poseidon(pub, *m, *sig);
}

bool verify(const Tx& t, const ec::BabyJubAffine& pub, const Domain& d) noexcept {
  const PackedSignature* packed = signature_of(t);
  if (packed == nullptr) return false;
  const auto sig = hash::unpack_signature(packed->data());
  if (!sig) return false;
  const auto m = message_hash(t, d);
  return m && hash::eddsa_verify_poseidon(pub, *m, *sig);
}

bool verify(const Tx& t, const PackedPubKey& pub, const Domain& d) noexcept {
  const auto a = ec::unpack_point(pub.data());
  return a && verify(t, *a, d);
}

std::optional<uint32_t> signer_account(const Tx& t) noexcept {
  const auto m = gather(t);
  if (!m) return std::nullopt;
  return m->account;
}

std::optional<uint32_t> nonce_of(const Tx& t) noexcept {
  const auto m = gather(t);
  if (!m) return std::nullopt;
  return m->nonce;
}

}  // namespace zkamm::tx
