// Exodus exit proofs (node/exit_proof.hpp): the proof of a balance (and of an LP position) from a
// state, checked against an independent oracle (tests/settle/oracles/exit_root.js: circomlibjs
// Poseidon folding the paths as contracts/src/QuaternaryMerkle.sol does); every refusal; tampered
// proofs that no longer hash to the root; and a real Node: proofs against every batch root by
// replaying the batches, an unknown root refused, and zkamm_getExitProof over JSON-RPC. The
// contract itself accepts these proofs in tests/e2e/exodus_e2e.sh. States and keys here are
// self-generated.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../node/node_test_util.hpp"
#include "common/process.hpp"
#include "hash/eddsa.hpp"
#include "node/exit_proof.hpp"
#include "node/rpc_client.hpp"
#include "node/rpc_service.hpp"

namespace zkamm::node {
namespace {

namespace fs = std::filesystem;
using ff::Fr;
using nlohmann::json;
using state::U256;

U256 u(uint64_t v) { return U256{v, 0, 0, 0}; }

state::PublicKey key_of(uint32_t i) {
  const auto p = hash::eddsa_public_key(zkamm::testing::test_key(i));
  return state::PublicKey{p.x, p.y};
}

std::string fr_hex(const Fr& x) {
  uint8_t b[32];
  x.to_bytes_be(b);
  return testing::hex({b, 32});
}

/// The root circomlibjs computes from the proof's JSON ("" when the oracle failed).
std::string oracle_root(const json& proof) {
  const fs::path file = fs::temp_directory_path() / ("zkamm-exit-proof-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << proof.dump();
  const auto run = zkamm::testing::run_command(
      "node " + zkamm::testing::sh_quote(std::string(ZKAMM_SOURCE_DIR) + "/tests/settle/oracles/exit_root.js") + " " +
      zkamm::testing::sh_quote(file.string()));
  fs::remove(file);
  return run.ok() ? zkamm::testing::chomp(run.out) : std::string();
}

/// Tokens 1, 2; account 1: 10^6 of token 1, 4 * 10^6 of token 2, then the 1/2 pool with 5/20 * 10^5
/// (LP token 512); account 2: 5 ETH (token 0) only.
state::State sample_state() {
  state::State s;
  state::TokenId t = 0;
  state::L1Address a1{}, a2{};
  a1[19] = 1;
  a2[19] = 2;
  EXPECT_TRUE(s.add_token(a1, t).ok());
  EXPECT_TRUE(s.add_token(a2, t).ok());
  state::AccountIndex i = 0;
  EXPECT_TRUE(s.create_account(key_of(1), i).ok());
  EXPECT_TRUE(s.create_account(key_of(2), i).ok());
  EXPECT_TRUE(s.deposit(1, 1, u(1000000)).ok());
  EXPECT_TRUE(s.deposit(1, 2, u(4000000)).ok());
  EXPECT_TRUE(s.deposit(2, 0, u(5)).ok());
  EXPECT_TRUE(s.bump_nonce(1).ok());
  state::TokenId lp = 0;
  EXPECT_TRUE(s.create_pool(1, 2, lp).ok());
  EXPECT_EQ(lp, 512u);
  state::AddLiquidityReceipt r;
  EXPECT_TRUE(s.add_liquidity(1, 1, 2, u(500000), u(2000000), u(0), u(0), r).ok());
  return s;
}

TEST(ExitProof, TokenBalanceMatchesTheCircomlibjsOracle) {
  const state::State s = sample_state();
  const auto trees = state::StateTrees::build(s);
  const ExitProofResult r = make_exit_proof(s, trees, 1, 1, 7);
  ASSERT_TRUE(r.ok()) << r.message;
  const ExitProof& p = *r.proof;
  EXPECT_EQ(p.batch, 7u);
  EXPECT_EQ(p.root, trees.root());
  EXPECT_EQ(p.balance, u(500000));
  EXPECT_EQ(p.nonce, 1u);
  EXPECT_EQ(p.key, key_of(1));
  EXPECT_EQ(p.balance_path.size(), 15u);
  EXPECT_EQ(p.account_path.size(), 36u);
  EXPECT_FALSE(p.lp);
  EXPECT_EQ(exit_proof_root(p), trees.root());
  const json j = exit_proof_json(p);
  EXPECT_EQ(j.at("balance"), "500000");
  EXPECT_EQ(j.at("root"), fr_hex(trees.root()));
  EXPECT_EQ(oracle_root(j), fr_hex(trees.root()));
  // ETH of account 2
  const ExitProofResult e = make_exit_proof(s, trees, 2, 0, 7);
  ASSERT_TRUE(e.ok()) << e.message;
  EXPECT_EQ(e.proof->balance, u(5));
  EXPECT_EQ(oracle_root(exit_proof_json(*e.proof)), fr_hex(trees.root()));
}

TEST(ExitProof, LpPositionCarriesThePoolLeafAndPath) {
  const state::State s = sample_state();
  const auto trees = state::StateTrees::build(s);
  const ExitProofResult r = make_exit_proof(s, trees, 1, 512, 1);
  ASSERT_TRUE(r.ok()) << r.message;
  const ExitProof& p = *r.proof;
  ASSERT_TRUE(p.lp);
  const state::Pool* pool = s.pool_by_id(0);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(p.lp->pool, 0u);
  EXPECT_EQ(p.lp->leaf_fields[0], Fr::from_u64(1 + (2u << 10)));
  EXPECT_EQ(p.lp->leaf_fields[1].to_canonical(), pool->reserve0);
  EXPECT_EQ(p.lp->leaf_fields[2].to_canonical(), pool->reserve1);
  EXPECT_EQ(p.lp->leaf_fields[3].to_canonical(), pool->total_supply);
  EXPECT_EQ(p.balance, s.balance(1, 512));
  EXPECT_EQ(p.lp->pool_path.size(), 15u);
  EXPECT_EQ(exit_proof_root(p), trees.root());
  EXPECT_EQ(oracle_root(exit_proof_json(p)), fr_hex(trees.root()));
}

TEST(ExitProof, RefusesWhatTheContractWouldReject) {
  const state::State s = sample_state();
  const auto trees = state::StateTrees::build(s);
  EXPECT_EQ(make_exit_proof(s, trees, 0, 1, 0).error, ExitProofError::kReservedAccount);
  EXPECT_EQ(make_exit_proof(s, trees, 3, 1, 0).error, ExitProofError::kUnknownAccount);
  EXPECT_EQ(make_exit_proof(s, trees, 1, 1024, 0).error, ExitProofError::kTokenOutOfRange);
  EXPECT_EQ(make_exit_proof(s, trees, 1, 3, 0).error, ExitProofError::kTokenOutOfRange);  // not registered
  EXPECT_EQ(make_exit_proof(s, trees, 1, 513, 0).error, ExitProofError::kUnknownPool);
  EXPECT_EQ(make_exit_proof(s, trees, 2, 1, 0).error, ExitProofError::kZeroBalance);
  EXPECT_EQ(make_exit_proof(s, trees, 2, 512, 0).error, ExitProofError::kZeroBalance);
  // Trees of another state: the self-check refuses instead of returning a proof that fails on L1.
  state::State other = s;
  ASSERT_TRUE(other.deposit(1, 1, u(1)).ok());
  EXPECT_EQ(make_exit_proof(other, trees, 1, 1, 0).error, ExitProofError::kReplayFailed);
}

TEST(ExitProof, TamperedProofsDoNotHashToTheRoot) {
  const state::State s = sample_state();
  const auto trees = state::StateTrees::build(s);
  const ExitProof good = *make_exit_proof(s, trees, 1, 1, 0).proof;
  const ExitProof lp = *make_exit_proof(s, trees, 1, 512, 0).proof;
  std::vector<ExitProof> bad(9, good);
  bad[0].balance = u(500001);
  bad[1].balance_path[4] += Fr::one();
  bad[2].account_path[35] += Fr::one();
  bad[3].nonce = 2;
  bad[4].account = 2;
  bad[5].token = 2;
  bad[6].pool_root += Fr::one();
  bad[7] = lp;
  bad[7].lp->leaf_fields[1] += Fr::one();  // a larger reserve
  bad[8] = lp;
  bad[8].balance = u(1);
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const auto r = exit_proof_root(bad[i]);
    EXPECT_TRUE(!r || *r != trees.root()) << "tampered proof " << i;
  }
  ExitProof short_path = good;
  short_path.balance_path.pop_back();
  EXPECT_FALSE(exit_proof_root(short_path));
  ExitProof big = good;
  big.balance = U256{0, 0, 1, 0};  // >= 2^128
  EXPECT_FALSE(exit_proof_root(big));
}

/// Waits until the node's batches hold every soft tx and their roots are computed.
bool wait_batched(const Node& node) {
  for (int i = 0; i < 600; ++i) {
    const NodeStatus st = node.status();
    if (st.last_batch > 0 && st.last_root_batch == st.last_batch &&
        st.state_root == state::StateTrees::build(node.state_copy()).root())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(ExitProofNode, ProvesAgainstEveryBatchRootAndRefusesOthers) {
  testing::TempDir dir;
  NodeConfig cfg = testing::test_config(dir.str());
  Node node(cfg);
  ASSERT_EQ(node.error(), "");
  ASSERT_EQ(node.load_genesis_json(testing::test_genesis(3)), "");
  ASSERT_TRUE(node.flush());
  ASSERT_TRUE(wait_batched(node));
  // One more batch that moves account 2's balances after the genesis batches.
  const TxInfo info = node.submit_and_wait(testing::swap(2, 0, 1'000'000), std::chrono::seconds(10));
  ASSERT_EQ(info.status, TxStatus::kSoft) << info.reason;
  ASSERT_TRUE(wait_batched(node));
  const NodeStatus st = node.status();
  ASSERT_GE(st.last_root_batch, 2u);

  // Latest root (the default): the live state's balances.
  const ExitProofResult latest = exit_proof_at_root(node, 2, 2, std::nullopt);
  ASSERT_TRUE(latest.ok()) << latest.message;
  EXPECT_EQ(latest.proof->batch, st.last_root_batch);
  EXPECT_EQ(latest.proof->root, st.state_root);
  EXPECT_EQ(latest.proof->balance, node.account(2)->balance(2));
  EXPECT_EQ(oracle_root(exit_proof_json(*latest.proof)), fr_hex(st.state_root));
  const ExitProofResult lp = exit_proof_at_root(node, 1, 512, st.state_root);
  ASSERT_TRUE(lp.ok()) << lp.message;
  EXPECT_EQ(oracle_root(exit_proof_json(*lp.proof)), fr_hex(st.state_root));

  // Every earlier batch root: proven by replaying batches 1..n (account 2's token 2 before the swap).
  int proved = 0;
  for (uint64_t n = 1; n <= st.last_root_batch; ++n) {
    const Fr root = node.batch(n)->header.new_root;
    const ExitProofResult r = exit_proof_at_root(node, 2, 2, root);
    if (!r.ok()) {
      EXPECT_TRUE(r.error == ExitProofError::kUnknownAccount || r.error == ExitProofError::kZeroBalance) << r.message;
      continue;
    }
    ++proved;
    EXPECT_EQ(r.proof->batch, n);
    EXPECT_EQ(exit_proof_root(*r.proof), root);
    if (n < st.last_root_batch) {
      EXPECT_NE(r.proof->balance, latest.proof->balance);
    }
  }
  EXPECT_GE(proved, 2);

  // A root that is no batch's: refused with a clear message.
  const ExitProofResult none = exit_proof_at_root(node, 2, 2, Fr::from_u64(12345));
  EXPECT_EQ(none.error, ExitProofError::kRootNotFound);
  EXPECT_NE(none.message.find("not the new root of any batch"), std::string::npos) << none.message;
  // Genesis: no accounts yet.
  EXPECT_EQ(exit_proof_at_root(node, 2, 2, state::StateTrees::build(state::State{}).root()).error,
            ExitProofError::kUnknownAccount);

  // zkamm_getExitProof over HTTP returns the same proof; refusals are JSON-RPC errors.
  rpc::ServiceConfig sc;
  sc.server.port = 0;
  rpc::Service service(node, sc);
  std::string err;
  ASSERT_TRUE(service.start(&err)) << err;
  rpc::Client client(rpc::Endpoint{"127.0.0.1", service.port()});
  EXPECT_EQ(client.call("zkamm_getExitProof", json::array({2, 2})), exit_proof_json(*latest.proof));
  EXPECT_EQ(client.call("zkamm_getExitProof", json{{"account", 2}, {"token", 2}, {"root", fr_hex(st.state_root)}}),
            exit_proof_json(*latest.proof));
  const auto code_of = [&](const json& params) {
    try {
      client.call("zkamm_getExitProof", params);
    } catch (const rpc::RpcError& e) {
      return e.code;
    }
    return 0;
  };
  EXPECT_EQ(code_of(json{{"account", 2}, {"token", 2}, {"root", fr_hex(Fr::from_u64(12345))}}), rpc::code::kNotFound);
  EXPECT_EQ(code_of(json::array({9, 2})), rpc::code::kNotFound);
  EXPECT_EQ(code_of(json::array({2, 3})), rpc::code::kInvalidParams);  // token 3 is not registered
  EXPECT_EQ(code_of(json{{"account", 2}, {"token", 2}, {"root", "0x12"}}), rpc::code::kInvalidParams);
  service.stop();
  node.stop();
}

}  // namespace
}  // namespace zkamm::node
