// tx::execute (the state transition the node applies and the batch circuit proves) and the
// StateTrees commitment it feeds. The Uniswap V2 maths itself is checked against v2-core in
// tests/state; here: the rules around it (nonce, deadline, signature, priority operations) and
// that collect_touched names every leaf a transaction changes (an incremental tree sync equals a
// rebuild from scratch after a seeded random stream). Self-generated values throughout.
#include "tx/execute.hpp"

#include <gtest/gtest.h>

#include <random>

#include "ec/babyjubjub.hpp"
#include "common/test_keys.hpp"
#include "hash/eddsa.hpp"
#include "tx/random_tx.hpp"

namespace zkamm::tx {
namespace {

constexpr Domain kDomain{31337, {0xde, 0xad, 0xbe, 0xef}};

hash::PrivateKey key_of(uint8_t i) { return zkamm::testing::test_key(i); }

PackedPubKey packed_pub(uint8_t i) { return ec::pack_point(hash::eddsa_public_key(key_of(i))); }

/// Accounts 1..3 (keys 1..3), tokens 1 and 2 registered, balances of 10^24 each.
state::State world() {
  state::State s;
  state::TokenId id = 0;
  EXPECT_TRUE(s.add_token({1}, id).ok());
  EXPECT_TRUE(s.add_token({2}, id).ok());
  uint64_t serial = 0;
  for (uint32_t a = 1; a <= 3; ++a) {
    EXPECT_TRUE(execute(s, Tx{CreateAccount{serial++, a, packed_pub(static_cast<uint8_t>(a))}}, kDomain, {}).ok());
    for (uint16_t t = 0; t <= 2; ++t) {
      EXPECT_TRUE(execute(s, Tx{Deposit{serial++, a, t, Amount{1000000000000} * 1000000000000}}, kDomain, {}).ok());
    }
  }
  return s;
}

Tx signed_tx(Tx t, uint8_t key) {
  EXPECT_TRUE(sign(t, key_of(key), kDomain));
  return t;
}

TEST(TxExecute, SwapNeedsNonceDeadlineAndSignature) {
  state::State s = world();
  ASSERT_TRUE(execute(s, signed_tx(Tx{CreatePool{1, 1, 2, 0, {}}}, 1), kDomain, {}).ok());
  AddLiquidity add{1, 1, 2, 1000000, 4000000, 0, 0, 100, 1, {}};
  const ExecResult added = execute(s, signed_tx(Tx{add}, 1), kDomain, {50, true});
  ASSERT_TRUE(added.ok()) << reason(added);
  EXPECT_EQ(added.executed.liquidity, Amount{2000000 - 1000});  // sqrt(10^6 * 4*10^6) - MINIMUM_LIQUIDITY
  EXPECT_EQ(s.balance(state::kReservedAccount, state::kFirstLpToken), (state::U256{1000, 0, 0, 0}));

  const SwapExactIn swap{2, 1, 2, 1000, 1, 100, 0, {}};
  const state::State before = s;
  EXPECT_EQ(execute(s, signed_tx(Tx{swap}, 1), kDomain, {50, true}).error, ExecError::kBadSignature);  // account 2's tx, key 1
  SwapExactIn late = swap;
  EXPECT_EQ(execute(s, signed_tx(Tx{late}, 2), kDomain, {101, true}).error, ExecError::kExpired);
  SwapExactIn replay = swap;
  replay.nonce = 1;
  EXPECT_EQ(execute(s, signed_tx(Tx{replay}, 2), kDomain, {50, true}).error, ExecError::kBadNonce);
  SwapExactIn greedy = swap;
  greedy.amount_out_min = 3985;  // the pool gives 3,984
  const ExecResult slip = execute(s, signed_tx(Tx{greedy}, 2), kDomain, {50, true});
  EXPECT_EQ(slip.error, ExecError::kState);
  EXPECT_EQ(reason(slip), "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT");
  EXPECT_EQ(s, before);  // every rejection left the state as it was

  const ExecResult ok = execute(s, signed_tx(Tx{swap}, 2), kDomain, {100, true});  // deadline == timestamp is valid
  ASSERT_TRUE(ok.ok()) << reason(ok);
  EXPECT_EQ(ok.executed.amount_in, Amount{1000});
  EXPECT_EQ(ok.executed.amount_out, Amount{3984});  // floor(1000*997*4e6 / (1e6*1000 + 1000*997))
  EXPECT_EQ(s.account(2)->nonce, 1u);
  EXPECT_EQ(execute(s, signed_tx(Tx{swap}, 2), kDomain, {100, true}).error, ExecError::kBadNonce);  // replay
}

// The contracts revert on a division by zero with no reason string; the reject reason still
// names the cause (issue 18: it used to read "amm error").
TEST(TxExecute, DivisionByZeroNamesItsCause) {
  state::State s = world();
  ASSERT_TRUE(execute(s, signed_tx(Tx{CreatePool{1, 1, 2, 0, {}}}, 1), kDomain, {}).ok());
  ASSERT_TRUE(execute(s, signed_tx(Tx{AddLiquidity{1, 1, 2, 1000000, 4000000, 0, 0, 100, 1, {}}}, 1), kDomain, {}).ok());
  // getAmountIn divides by reserveOut - amountOut: asking for the whole reserve divides by zero.
  const SwapExactOut all{2, 1, 2, 4000000, Amount{1} << 100, 100, 0, {}};
  const ExecResult r = execute(s, signed_tx(Tx{all}, 2), kDomain, {50, true});
  ASSERT_EQ(r.error, ExecError::kState);
  ASSERT_EQ(r.status.amm, state::AmmError::kDivisionByZero);
  EXPECT_NE(reason(r).find("division by zero"), std::string_view::npos) << reason(r);
  EXPECT_NE(reason(r), "amm error");
}

TEST(TxExecute, PriorityOperations) {
  state::State s = world();
  // CreateAccount must name the next index.
  EXPECT_EQ(execute(s, Tx{CreateAccount{9, 7, packed_pub(7)}}, kDomain, {}).error, ExecError::kUnknownAccount);
  ASSERT_TRUE(execute(s, Tx{CreateAccount{9, 4, packed_pub(4)}}, kDomain, {}).ok());
  // A deposit credits its whole amount, up to the largest balance 2^128 - 1.
  const ExecResult big = execute(s, Tx{Deposit{10, 4, 1, ~Amount{0}}}, kDomain, {});
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big.executed.amount_in, ~Amount{0});
  // One more would overflow 2^128: the contract's per-token cap makes that unreachable, so it
  // fails (the node treats a failing priority operation as fatal) and leaves the state as it was.
  const state::State full = s;
  const ExecResult over = execute(s, Tx{Deposit{11, 4, 1, 1}}, kDomain, {});
  EXPECT_EQ(over.error, ExecError::kState);
  EXPECT_EQ(over.status.error, state::StateError::kBalanceOverflow);
  EXPECT_EQ(s, full);
  // A full exit takes the whole balance; a second one takes nothing.
  const ExecResult exit1 = execute(s, Tx{FullExit{12, 4, 1}}, kDomain, {});
  ASSERT_TRUE(exit1.ok());
  EXPECT_EQ(exit1.executed.amount_in, ~Amount{0});
  const ExecResult exit2 = execute(s, Tx{FullExit{13, 4, 1}}, kDomain, {});
  ASSERT_TRUE(exit2.ok());
  EXPECT_EQ(exit2.executed.amount_in, Amount{0});
  EXPECT_EQ(execute(s, Tx{Noop{}}, kDomain, {}).error, ExecError::kNotExecutable);
}

TEST(TxExecute, LpTokensNeverLeaveTheL2) {
  state::State s = world();
  ASSERT_TRUE(execute(s, signed_tx(Tx{CreatePool{1, 1, 2, 0, {}}}, 1), kDomain, {}).ok());
  ASSERT_TRUE(execute(s, signed_tx(Tx{AddLiquidity{1, 1, 2, 1000000, 1000000, 0, 0, 9, 1, {}}}, 1), kDomain, {}).ok());
  const Withdraw w{1, static_cast<uint16_t>(state::kFirstLpToken), 5, {}, 2, {}};
  EXPECT_EQ(execute(s, signed_tx(Tx{w}, 1), kDomain, {}).error, ExecError::kLpWithdraw);
}

/// A random valid-or-not L2 transaction over the small world (accounts 0..4, tokens 0..2 and the
/// first LP token), signed by its signer's key; nonces right most of the time.
Tx random_l2(std::mt19937_64& rng, const state::State& s) {
  const uint32_t account = static_cast<uint32_t>(rng() % 5);
  const uint32_t nonce = s.account(account) && rng() % 8 != 0 ? static_cast<uint32_t>(s.account(account)->nonce) : 7;
  const auto token = [&]() -> uint16_t { return rng() % 6 == 0 ? static_cast<uint16_t>(state::kFirstLpToken) : static_cast<uint16_t>(rng() % 3); };
  const auto amt = [&]() -> Amount { return static_cast<Amount>(rng() >> (rng() % 64)); };
  Tx t;
  switch (rng() % 7) {
    case 0: t = Transfer{account, static_cast<uint32_t>(rng() % 5), token(), amt(), nonce, {}}; break;
    case 1: t = SwapExactIn{account, token(), token(), amt(), amt() >> 8, 100, nonce, {}}; break;
    case 2: t = SwapExactOut{account, token(), token(), amt() >> 8, amt(), 100, nonce, {}}; break;
    case 3: t = CreatePool{account, token(), token(), nonce, {}}; break;
    case 4: t = AddLiquidity{account, token(), token(), amt(), amt(), 0, 0, 100, nonce, {}}; break;
    case 5: t = RemoveLiquidity{account, token(), token(), amt() >> 4, 0, 0, 100, nonce, {}}; break;
    default: t = Withdraw{account, token(), amt(), {9}, nonce, {}}; break;
  }
  (void)sign(t, key_of(static_cast<uint8_t>(account)), kDomain);
  return t;
}

TEST(StateTrees, IncrementalSyncEqualsRebuildAfterRandomStream) {
  std::mt19937_64 rng(zkamm::testing::test_seed("state trees"));
  state::State s = world();
  ASSERT_TRUE(execute(s, signed_tx(Tx{CreatePool{3, 1, 2, 0, {}}}, 3), kDomain, {}).ok());
  ASSERT_TRUE(execute(s, signed_tx(Tx{AddLiquidity{3, 1, 2, 1u << 30, 1u << 31, 0, 0, 100, 1, {}}}, 3), kDomain, {}).ok());
  state::StateTrees trees = state::StateTrees::build(s);
  int applied = 0;
  for (int batch = 0; batch < 6; ++batch) {
    state::Touched touched;
    for (int i = 0; i < 40; ++i) {
      const Tx t = random_l2(rng, s);
      const state::State before = s;
      const ExecResult r = execute(s, t, kDomain, {50, rng() % 2 == 0});
      if (!r.ok()) {
        EXPECT_EQ(s, before) << "a rejected tx changed the state: " << reason(r);
        continue;
      }
      ++applied;
      collect_touched(s, t, touched);
    }
    trees.sync(s, touched);
    EXPECT_EQ(trees.root(), state::StateTrees::build(s).root()) << "batch " << batch;
  }
  EXPECT_GT(applied, 20);
}

TEST(StateTrees, SingleLeafSettersMatchSync) {
  state::State s = world();
  state::StateTrees a = state::StateTrees::build(s);
  ASSERT_TRUE(execute(s, Tx{Deposit{99, 2, 1, 5}}, kDomain, {}).ok());
  ASSERT_TRUE(execute(s, signed_tx(Tx{Transfer{1, 3, 2, 77, 0, {}}}, 1), kDomain, {}).ok());
  a.set_balance(2, 1, s.balance(2, 1));
  a.set_account(2, s.account(2)->public_key, s.account(2)->nonce);
  a.set_balance(1, 2, s.balance(1, 2));
  a.set_account(1, s.account(1)->public_key, s.account(1)->nonce);
  a.set_balance(3, 2, s.balance(3, 2));
  a.set_account(3, s.account(3)->public_key, s.account(3)->nonce);
  EXPECT_EQ(a.root(), state::StateTrees::build(s).root());
  // The path of a leaf recomputes the account root (quaternary, leaf level first).
  const auto path = a.account_path(3);
  ASSERT_TRUE(path);
  EXPECT_EQ(path->size(), 12u * 3);
}

}  // namespace
}  // namespace zkamm::tx
