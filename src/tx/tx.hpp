#pragma once
// Every L2 transaction and L1 priority operation of zkamm (docs/TRANSACTIONS.md is the contract
// between node, circuit and L1 contract). Each struct lists its fields once in `visit`, in
// encoding order; encoding, decoding and JSON are generated from that list.
#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "ff/uint256.hpp"

namespace zkamm::tx {

using Amount = ff::uint128_t;                     ///< < 2^128 by construction

/// a as the 256-bit integer the state and the field work with.
constexpr ff::U256 to_u256(Amount a) noexcept { return {static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64), 0, 0}; }
/// v as an Amount. Precondition: v < 2^128 (every balance, reserve and supply is).
constexpr Amount to_amount(const ff::U256& v) noexcept { return (Amount{v[1]} << 64) | v[0]; }
using L1Address = std::array<uint8_t, 20>;        ///< Ethereum address, big-endian bytes
using PackedPubKey = std::array<uint8_t, 32>;     ///< circomlibjs packPoint of a Baby Jubjub key
using PackedSignature = std::array<uint8_t, 64>;  ///< circomlibjs packSignature: R8 packed, S LE

inline constexpr uint32_t kAccountLimit = 1u << 24;  ///< account index < 2^24
inline constexpr uint16_t kTokenLimit = 1u << 10;    ///< token id < 2^10
inline constexpr uint16_t kFirstLpTokenId = 512;     ///< LP tokens are 512 + pool id (state::kFirstLpToken)

enum class TxType : uint8_t {
  Noop = 0,
  Deposit = 1,
  FullExit = 2,
  Transfer = 3,
  SwapExactIn = 4,
  SwapExactOut = 5,
  CreatePool = 6,
  AddLiquidity = 7,
  RemoveLiquidity = 8,
  Withdraw = 9,
  CreateAccount = 10,
};
inline constexpr uint8_t kTxTypeCount = 11;

/// What a field means, for range checks and JSON (the C++ type gives the width).
// GCC's -Wshadow takes the scoped enumerator Amount for a shadow of the type above; it is always
// named Field::Amount.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
enum class Field : uint8_t { Account, Token, Amount, Nonce, Time, Serial, Address, PubKey, Signature };
#pragma GCC diagnostic pop

struct Noop {
  static constexpr TxType kType = TxType::Noop;
  template <class S, class V> static void visit(S&, V&&) {}
  friend bool operator==(const Noop&, const Noop&) = default;
};

/// L1 priority operation: credits `amount` of `token` to the existing account `account` (the
/// contract only queues deposits to registered accounts). `serial` is its position in the
/// contract's priority queue.
struct Deposit {
  static constexpr TxType kType = TxType::Deposit;
  uint64_t serial = 0;
  uint32_t account = 0;
  uint16_t token = 0;
  Amount amount = 0;
  template <class S, class V> static void visit(S& s, V&& v) {
    v("serial", s.serial, Field::Serial);
    v("account", s.account, Field::Account);
    v("token", s.token, Field::Token);
    v("amount", s.amount, Field::Amount);
  }
  friend bool operator==(const Deposit&, const Deposit&) = default;
};

/// L1 priority operation: withdraws the whole balance of `token` of `account` (escape hatch).
struct FullExit {
  static constexpr TxType kType = TxType::FullExit;
  uint64_t serial = 0;
  uint32_t account = 0;
  uint16_t token = 0;
  template <class S, class V> static void visit(S& s, V&& v) {
    v("serial", s.serial, Field::Serial);
    v("account", s.account, Field::Account);
    v("token", s.token, Field::Token);
  }
  friend bool operator==(const FullExit&, const FullExit&) = default;
};

struct Transfer {
  static constexpr TxType kType = TxType::Transfer;
  uint32_t from = 0;
  uint32_t to = 0;
  uint16_t token = 0;
  Amount amount = 0;
  uint32_t nonce = 0;
  PackedSignature signature{};
  template <class S, class V> static void visit(S& s, V&& v) {
    v("from", s.from, Field::Account);
    v("to", s.to, Field::Account);
    v("token", s.token, Field::Token);
    v("amount", s.amount, Field::Amount);
    v("nonce", s.nonce, Field::Nonce);
    v("signature", s.signature, Field::Signature);
  }
  friend bool operator==(const Transfer&, const Transfer&) = default;
};

/// Uniswap V2 swapExactTokensForTokens, one hop.
struct SwapExactIn {
  static constexpr TxType kType = TxType::SwapExactIn;
  uint32_t account = 0;
  uint16_t token_in = 0;
  uint16_t token_out = 0;
  Amount amount_in = 0;
  Amount amount_out_min = 0;
  uint64_t deadline = 0;
  uint32_t nonce = 0;
  PackedSignature signature{};
  template <class S, class V> static void visit(S& s, V&& v) {
    v("account", s.account, Field::Account);
    v("token_in", s.token_in, Field::Token);
    v("token_out", s.token_out, Field::Token);
    v("amount_in", s.amount_in, Field::Amount);
    v("amount_out_min", s.amount_out_min, Field::Amount);
    v("deadline", s.deadline, Field::Time);
    v("nonce", s.nonce, Field::Nonce);
    v("signature", s.signature, Field::Signature);
  }
  friend bool operator==(const SwapExactIn&, const SwapExactIn&) = default;
};

/// Uniswap V2 swapTokensForExactTokens, one hop.
struct SwapExactOut {
  static constexpr TxType kType = TxType::SwapExactOut;
  uint32_t account = 0;
  uint16_t token_in = 0;
  uint16_t token_out = 0;
  Amount amount_out = 0;
  Amount amount_in_max = 0;
  uint64_t deadline = 0;
  uint32_t nonce = 0;
  PackedSignature signature{};
  template <class S, class V> static void visit(S& s, V&& v) {
    v("account", s.account, Field::Account);
    v("token_in", s.token_in, Field::Token);
    v("token_out", s.token_out, Field::Token);
    v("amount_out", s.amount_out, Field::Amount);
    v("amount_in_max", s.amount_in_max, Field::Amount);
    v("deadline", s.deadline, Field::Time);
    v("nonce", s.nonce, Field::Nonce);
    v("signature", s.signature, Field::Signature);
  }
  friend bool operator==(const SwapExactOut&, const SwapExactOut&) = default;
};

struct CreatePool {
  static constexpr TxType kType = TxType::CreatePool;
  uint32_t account = 0;
  uint16_t token_a = 0;
  uint16_t token_b = 0;
  uint32_t nonce = 0;
  PackedSignature signature{};
  template <class S, class V> static void visit(S& s, V&& v) {
    v("account", s.account, Field::Account);
    v("token_a", s.token_a, Field::Token);
    v("token_b", s.token_b, Field::Token);
    v("nonce", s.nonce, Field::Nonce);
    v("signature", s.signature, Field::Signature);
  }
  friend bool operator==(const CreatePool&, const CreatePool&) = default;
};

struct AddLiquidity {
  static constexpr TxType kType = TxType::AddLiquidity;
  uint32_t account = 0;
  uint16_t token_a = 0;
  uint16_t token_b = 0;
  Amount amount_a_desired = 0;
  Amount amount_b_desired = 0;
  Amount amount_a_min = 0;
  Amount amount_b_min = 0;
  uint64_t deadline = 0;
  uint32_t nonce = 0;
  PackedSignature signature{};
  template <class S, class V> static void visit(S& s, V&& v) {
    v("account", s.account, Field::Account);
    v("token_a", s.token_a, Field::Token);
    v("token_b", s.token_b, Field::Token);
    v("amount_a_desired", s.amount_a_desired, Field::Amount);
    v("amount_b_desired", s.amount_b_desired, Field::Amount);
    v("amount_a_min", s.amount_a_min, Field::Amount);
    v("amount_b_min", s.amount_b_min, Field::Amount);
    v("deadline", s.deadline, Field::Time);
    v("nonce", s.nonce, Field::Nonce);
    v("signature", s.signature, Field::Signature);
  }
  friend bool operator==(const AddLiquidity&, const AddLiquidity&) = default;
};

struct RemoveLiquidity {
  static constexpr TxType kType = TxType::RemoveLiquidity;
  uint32_t account = 0;
  uint16_t token_a = 0;
  uint16_t token_b = 0;
  Amount liquidity = 0;
  Amount amount_a_min = 0;
  Amount amount_b_min = 0;
  uint64_t deadline = 0;
  uint32_t nonce = 0;
  PackedSignature signature{};
  template <class S, class V> static void visit(S& s, V&& v) {
    v("account", s.account, Field::Account);
    v("token_a", s.token_a, Field::Token);
    v("token_b", s.token_b, Field::Token);
    v("liquidity", s.liquidity, Field::Amount);
    v("amount_a_min", s.amount_a_min, Field::Amount);
    v("amount_b_min", s.amount_b_min, Field::Amount);
    v("deadline", s.deadline, Field::Time);
    v("nonce", s.nonce, Field::Nonce);
    v("signature", s.signature, Field::Signature);
  }
  friend bool operator==(const RemoveLiquidity&, const RemoveLiquidity&) = default;
};

/// Moves `amount` of `token` out of the rollup, claimable by `l1_address` once the batch is final.
struct Withdraw {
  static constexpr TxType kType = TxType::Withdraw;
  uint32_t account = 0;
  uint16_t token = 0;
  Amount amount = 0;
  L1Address l1_address{};
  uint32_t nonce = 0;
  PackedSignature signature{};
  template <class S, class V> static void visit(S& s, V&& v) {
    v("account", s.account, Field::Account);
    v("token", s.token, Field::Token);
    v("amount", s.amount, Field::Amount);
    v("l1_address", s.l1_address, Field::Address);
    v("nonce", s.nonce, Field::Nonce);
    v("signature", s.signature, Field::Signature);
  }
  friend bool operator==(const Withdraw&, const Withdraw&) = default;
};

/// L1 priority operation: creates account `account` (the next index, assigned by the contract,
/// which also records the L1 owner full exits pay) with key `pubkey`, nonce 0 and no balances.
struct CreateAccount {
  static constexpr TxType kType = TxType::CreateAccount;
  uint64_t serial = 0;
  uint32_t account = 0;
  PackedPubKey pubkey{};
  template <class S, class V> static void visit(S& s, V&& v) {
    v("serial", s.serial, Field::Serial);
    v("account", s.account, Field::Account);
    v("pubkey", s.pubkey, Field::PubKey);
  }
  friend bool operator==(const CreateAccount&, const CreateAccount&) = default;
};

/// Alternative index == TxType value.
using Tx = std::variant<Noop, Deposit, FullExit, Transfer, SwapExactIn, SwapExactOut, CreatePool, AddLiquidity,
                        RemoveLiquidity, Withdraw, CreateAccount>;

inline TxType type_of(const Tx& t) noexcept { return static_cast<TxType>(t.index()); }

/// L2 transactions carry a nonce and a signature; Noop and priority operations do not.
inline bool is_l2(TxType t) noexcept { return t >= TxType::Transfer && t <= TxType::Withdraw; }
inline bool is_priority(TxType t) noexcept {
  return t == TxType::Deposit || t == TxType::FullExit || t == TxType::CreateAccount;
}

/// snake_case name used in JSON ("swap_exact_in"); "" for an invalid value.
std::string_view type_name(TxType t) noexcept;

}  // namespace zkamm::tx
