#pragma once
// Shared set-up for the batch circuit tests: a genesis state with keys, tokens, funded accounts
// and two pools; a random generator of transactions the node accepts; the 2-slot R1CS built once
// per test binary; helpers to tamper with a witness and re-record the leaves that follow.
#include <gtest/gtest.h>

#include <random>
#include <utility>

#include "batch/batch_circuit.hpp"
#include "circuit/mutation_check.hpp"
#include "common/seed.hpp"
#include "common/test_keys.hpp"
#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "hash/sha256.hpp"
#include "snark/constraint_system.hpp"
#include "state/amm.hpp"
#include "state/commitment.hpp"
#include "tx/execute.hpp"
#include "tx/message.hpp"

namespace zkamm::batch::testing {

using state::U256;

inline const tx::Domain kDomain{31337, {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
inline const BatchParams kParams{2, kDomain};
inline const BatchParams kSwapParams{2, kDomain, BatchKind::Swap};
inline constexpr uint64_t kTimestamp = 1'700'000'000;

inline U256 u(uint64_t v) { return U256{v, 0, 0, 0}; }
inline U256 e18(uint64_t v) {  // v * 10^18
  U256 out{};
  (void)state::checked_mul(out, u(v), u(1'000'000'000'000'000'000ULL));
  return out;
}
inline U256 plus(const U256& v, uint64_t d) {  // v + d, below 2^256 in every use
  U256 o{};
  (void)ff::add_with_carry(o, v, u(d));
  return o;
}
inline tx::Amount amount(const U256& v) { return (tx::Amount{v[1]} << 64) | v[0]; }

inline hash::PrivateKey key_for(uint32_t account) { return zkamm::testing::test_key(account); }
inline state::PublicKey pub_for(uint32_t account) {
  const ec::BabyJubAffine p = hash::eddsa_public_key(key_for(account));
  return state::PublicKey{p.x, p.y};
}

/// Accounts 1..4 with 10^6 * 10^18 of tokens 0..3 (account 4 holds 2^128 - 10 of token 3, for
/// overflow tests); pools (1, 2) and (0, 1) funded by account 1.
inline state::State genesis() {
  state::State s;
  for (uint8_t t = 1; t <= 3; ++t) {
    state::L1Address addr{};
    addr[19] = t;
    state::TokenId id = 0;
    EXPECT_TRUE(s.add_token(addr, id).ok());
  }
  for (uint32_t a = 1; a <= 4; ++a) {
    state::AccountIndex idx = 0;
    EXPECT_TRUE(s.create_account(pub_for(a), idx).ok());
    for (state::TokenId t = 0; t <= 3; ++t) {
      const U256 v = (a == 4 && t == 3) ? U256{~0ULL - 9, ~0ULL, 0, 0} : e18(1'000'000);
      EXPECT_TRUE(s.deposit(a, t, v).ok());
    }
  }
  state::TokenId lp = 0;
  EXPECT_TRUE(s.create_pool(1, 2, lp).ok());
  EXPECT_TRUE(s.create_pool(0, 1, lp).ok());
  state::AddLiquidityReceipt rc;
  EXPECT_TRUE(s.add_liquidity(1, 1, 2, e18(1000), e18(2000), u(0), u(0), rc).ok());
  EXPECT_TRUE(s.add_liquidity(1, 0, 1, e18(500), e18(1500), u(0), u(0), rc).ok());
  return s;
}

/// The 2-slot R1CS, synthesized once per test binary.
inline const snark::R1cs& r1cs2() {
  static const snark::R1cs r = batch_r1cs(kParams);
  return r;
}
/// The 2-slot swap-batch R1CS, synthesized once per test binary.
inline const snark::R1cs& swap_r1cs2() {
  static const snark::R1cs r = batch_r1cs(kSwapParams);
  return r;
}

struct Checked {
  bool satisfied = false;
  Fr public_input = Fr::zero();
  Fr new_root = Fr::zero();
};

/// Witness-only synthesis checked against the shared R1CS of params. `pi_override` replaces the
/// public input wire's value (a verifier fed different public data).
inline Checked check_with(const BatchParams& params, const snark::R1cs& r1cs, const BatchWitness& w,
                          const Fr* pi_override) {
  snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
  const BatchHandles h = synthesize(cs, params, w);
  Checked c;
  if (pi_override != nullptr) cs.set_value(h.public_input, *pi_override);
  c.public_input = cs.value(h.public_input);
  const std::vector<Fr> wit = cs.witness();
  c.satisfied = r1cs.is_satisfied(wit);
  return c;
}
inline Checked check(const BatchWitness& w, const Fr* pi_override = nullptr) {
  return check_with(kParams, r1cs2(), w, pi_override);
}
inline Checked check_swap(const BatchWitness& w, const Fr* pi_override = nullptr) {
  return check_with(kSwapParams, swap_r1cs2(), w, pi_override);
}

/// The public input of these header || pubdata bytes, hashed natively (OpenSSL SHA-256): a
/// verifier fed them.
inline Fr public_input_of(const std::vector<uint8_t>& header_and_pubdata) {
  hash::Digest32 d = hash::sha256(header_and_pubdata);
  d[0] &= 0x1f;
  return *Fr::from_bytes_be(d.data());
}

/// Fails the test for every wire from slot 0 on that can change with every constraint still
/// satisfied (the Gadgets issue's witness-mutation checker) in w's batch for params.
inline void expect_no_free_wires(const BatchParams& params, const BatchWitness& w) {
  snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kFull);
  const BatchHandles h = synthesize(cs, params, w);
  ASSERT_TRUE(cs.is_satisfied());
  const circuit::FreeWireReport rep = circuit::find_free_wires(cs, static_cast<uint32_t>(h.slot_wire_begin[0]));
  for (uint32_t fw : rep.free_wires) {
    ADD_FAILURE() << "free wire " << fw << " (slot 0 starts at " << h.slot_wire_begin[0] << ", slot 1 at "
                  << h.slot_wire_begin[1] << ")";
  }
}

/// Re-records every slot's leaves and paths on trees rebuilt from s0 (after a test changed some
/// slot's fields), so that only the rule under test breaks.
inline void rerecord(BatchWitness& w, const state::State& s0) {
  state::StateTrees trees = state::StateTrees::build(s0);
  for (SlotWitness& sw : w.slots) record_slot(trees, sw);
}

/// Signs t with the key of `account` and puts the signature into the slot.
inline void resign(SlotWitness& sw, tx::Tx t, uint32_t account) {
  ASSERT_TRUE(tx::sign(t, key_for(account), kDomain));
  const auto* sig = std::visit(
      [](const auto& x) -> const tx::PackedSignature* {
        if constexpr (requires { x.signature; }) return &x.signature;
        else return nullptr;
      },
      t);
  ASSERT_NE(sig, nullptr);
  const auto es = hash::unpack_signature(sig->data());
  ASSERT_TRUE(es.has_value());
  sw.r8_x = es->r8.x;
  sw.r8_y = es->r8.y;
  sw.s = es->s;
}

template <class T>
tx::Tx signed_tx(T t, uint32_t account) {
  tx::Tx out = t;
  EXPECT_TRUE(tx::sign(out, key_for(account), kDomain));
  return out;
}

/// A signed create_pool of (ta, tb) by `account`.
inline tx::Tx create_pool(uint32_t account, uint16_t ta, uint16_t tb, uint32_t nonce = 0) {
  tx::CreatePool t;
  t.account = account;
  t.token_a = ta;
  t.token_b = tb;
  t.nonce = nonce;
  return signed_tx(t, account);
}

inline tx::Tx swap_in(uint32_t account, uint16_t tin, uint16_t tout, const U256& in, const U256& min,
                      uint32_t nonce = 0) {
  tx::SwapExactIn t;
  t.account = account;
  t.token_in = tin;
  t.token_out = tout;
  t.amount_in = amount(in);
  t.amount_out_min = amount(min);
  t.deadline = kTimestamp + 100;
  t.nonce = nonce;
  return signed_tx(t, account);
}
inline tx::Tx swap_out(uint32_t account, uint16_t tin, uint16_t tout, const U256& out, const U256& max,
                       uint32_t nonce = 0) {
  tx::SwapExactOut t;
  t.account = account;
  t.token_in = tin;
  t.token_out = tout;
  t.amount_out = amount(out);
  t.amount_in_max = amount(max);
  t.deadline = kTimestamp + 100;
  t.nonce = nonce;
  return signed_tx(t, account);
}

/// A batch of the given transactions on a fresh genesis; fails the test when it does not build.
struct Built {
  state::State s0;
  BatchWitness w;
};
inline Built build(const std::vector<tx::Tx>& txs, uint64_t timestamp = kTimestamp,
                   const BatchParams& params = kParams, const state::State& s0 = genesis()) {
  Built b;
  b.s0 = s0;
  state::State s = b.s0;
  state::StateTrees trees = state::StateTrees::build(s);
  BatchInput in;
  in.txs = txs;
  in.timestamp = timestamp;
  in.batch_number = 7;
  in.priority_first = 3;
  WitnessResult r = build_witness(s, trees, params, in);
  EXPECT_TRUE(r.ok()) << r.error;
  b.w = std::move(r.witness);
  return b;
}

/// Reserves (in, out) of the pool of (tin, tout) in s.
inline std::pair<U256, U256> reserves(const state::State& s, uint16_t tin, uint16_t tout) {
  const state::Pool* p = s.pool(tin, tout);
  EXPECT_NE(p, nullptr);
  return p->token0 == tin ? std::pair{p->reserve0, p->reserve1} : std::pair{p->reserve1, p->reserve0};
}

/// Slot 0 of b turned into an exact-in swap of `in` (amount out by the Uniswap formula), signed by
/// `account`, leaves re-recorded: only the rule the new amount breaks can fail.
inline void retarget_exact_in(Built& b, uint32_t account, uint16_t tin, uint16_t tout, const U256& in) {
  const auto [rin, rout] = reserves(b.s0, tin, tout);
  U256 out{};
  ASSERT_EQ(state::get_amount_out(in, rin, rout, out), state::AmmError::kOk);
  auto t = std::get<tx::SwapExactIn>(swap_in(account, tin, tout, in, u(1)));
  b.w.slots[0].amt1 = in;
  b.w.slots[0].amt2 = out;
  b.w.slots[0].limit = u(1);
  resign(b.w.slots[0], t, account);
  rerecord(b.w, b.s0);
}

}  // namespace zkamm::batch::testing
