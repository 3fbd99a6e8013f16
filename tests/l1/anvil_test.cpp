// The client against a real node: anvil (foundry 1.7.1) on 127.0.0.1. Ether transfers with our
// signed EIP-1559 transactions, a solc-compiled contract (tests/l1/contracts/Store.sol) deployed,
// called and its event read back with eth_getLogs and decoded with abi, nonce resync and fee-bump
// replacement with automining switched off.
#include <gtest/gtest.h>

#include <atomic>

#include <thread>

#include "anvil.hpp"
#include "l1/abi.hpp"
#include "l1/rpc_client.hpp"
#include "l1/sender.hpp"
#include "oracle.hpp"
#include "store_contract.hpp"

namespace zkamm::l1 {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kAnvilChainId = 31337;
const U256 kOneEther = u256(1'000'000'000'000'000'000ull);

// Short polling and timeouts for a local node that mines instantly.
SenderOptions fast_options() {
  SenderOptions o;
  o.poll_interval = 50ms;
  o.timeout = 20s;
  return o;
}

class AnvilTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    anvil_ = new test::Anvil();
    rng_ = new std::mt19937_64(test::seeded_rng("AnvilTest"));
  }
  static void TearDownTestSuite() {
    delete anvil_;
    delete rng_;
    anvil_ = nullptr;
  }
  void SetUp() override {
    ASSERT_FALSE(anvil_->url().empty()) << "anvil did not start";
    rpc_ = RpcClient::create(anvil_->url(), 10s);
    ASSERT_NE(rpc_, nullptr);
  }
  void TearDown() override {
    if (rpc_) (void)rpc_->evm_set_automine(true);
  }

  // A random key funded with 100 ether (anvil_setBalance), so tests do not share nonces.
  PrivateKey funded_key() {
    for (;;) {
      Bytes32 secret;
      for (auto& b : secret) b = static_cast<uint8_t>((*rng_)());
      if (auto k = PrivateKey::from_bytes(secret)) {
        U256 balance = kOneEther;
        for (int i = 0; i < 100 - 1; ++i) ff::add_with_carry(balance, balance, kOneEther);
        EXPECT_TRUE(rpc_->anvil_set_balance(k->address(), balance).ok());
        return *k;
      }
    }
  }
  Address random_address() {
    Address a;
    for (auto& b : a) b = static_cast<uint8_t>((*rng_)());
    return a;
  }

  static inline test::Anvil* anvil_ = nullptr;
  static inline std::mt19937_64* rng_ = nullptr;
  std::unique_ptr<RpcClient> rpc_;
};

TEST_F(AnvilTest, ChainQueries) {
  EXPECT_EQ(*rpc_->chain_id(), kAnvilChainId);
  const auto head = rpc_->block_number();
  ASSERT_TRUE(head.ok()) << head.error().message;
  const auto block = rpc_->get_block_by_number(BlockTag::latest());
  ASSERT_TRUE(block.ok() && block->has_value());
  EXPECT_EQ((*block)->number, *head);
  EXPECT_TRUE((*block)->base_fee_per_gas.has_value());
  const auto genesis = rpc_->get_block_by_number(BlockTag::number(0));
  ASSERT_TRUE(genesis.ok() && genesis->has_value());
  EXPECT_EQ((*genesis)->number, 0u);
  const auto missing = rpc_->get_block_by_number(BlockTag::number(1'000'000));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_TRUE(rpc_->gas_price().ok());
  EXPECT_TRUE(rpc_->max_priority_fee_per_gas().ok());
  // An unknown method is a JSON-RPC error with its code and message.
  const auto bad = rpc_->request("eth_noSuchMethod", nlohmann::json::array());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, RpcErrorKind::Rpc);
  EXPECT_NE(bad.error().code, 0);
  EXPECT_FALSE(bad.error().message.empty());
  // Nothing listens on port 1: a transport error, not an exception.
  auto dead = RpcClient::create("http://127.0.0.1:1", 2s);
  const auto r = dead->chain_id();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::Transport);
  EXPECT_EQ(RpcClient::create("https://127.0.0.1:8545"), nullptr);
  EXPECT_EQ(RpcClient::create("http://127.0.0.1:99999"), nullptr);
}

TEST_F(AnvilTest, SendsEtherWithOurSignedTransaction) {
  const PrivateKey key = funded_key();
  TxSender sender(*rpc_, key, kAnvilChainId, fast_options());
  const Address to = random_address();
  const U256 before = *rpc_->get_balance(key.address());
  const U256 value = u256(1'500'000'000'000'000'000ull);

  auto pending = sender.send(TxRequest{to, value, {}, std::nullopt});
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  EXPECT_EQ(pending->tx.gas_limit, 21000u * 120 / 100);  // estimate (21000) plus the 20% margin
  const auto receipt = sender.wait(*pending);
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  EXPECT_TRUE(receipt->status);
  EXPECT_EQ(receipt->gas_used, 21000u);
  EXPECT_EQ(receipt->from, key.address());
  EXPECT_EQ(receipt->to, to);
  EXPECT_FALSE(receipt->contract_address.has_value());
  // The node's hash is keccak256 of the raw bytes we built.
  EXPECT_EQ(receipt->transaction_hash, tx_hash(sign_tx(pending->tx, key)));
  EXPECT_EQ(pending->hashes.front(), receipt->transaction_hash);

  EXPECT_EQ(*rpc_->get_balance(to), value);
  // Spent: value + gas_used * effective_gas_price (the price fits in 64 bits on anvil).
  ASSERT_EQ(receipt->effective_gas_price[1] | receipt->effective_gas_price[2] | receipt->effective_gas_price[3], 0u);
  const ff::uint128_t prod = static_cast<ff::uint128_t>(receipt->gas_used) * receipt->effective_gas_price[0];
  const U256 gas_cost{static_cast<uint64_t>(prod), static_cast<uint64_t>(prod >> 64), 0, 0};
  U256 spent;
  ff::add_with_carry(spent, value, gas_cost);
  U256 after_expected;
  ff::sub_with_borrow(after_expected, before, spent);
  EXPECT_EQ(*rpc_->get_balance(key.address()), after_expected);
  EXPECT_EQ(*rpc_->get_transaction_count(key.address(), BlockTag::latest()), 1u);
  EXPECT_EQ(sender.next_nonce(), 1u);

  // Snapshot, spend, revert: the balance comes back.
  const auto snap = rpc_->evm_snapshot();
  ASSERT_TRUE(snap.ok());
  ASSERT_TRUE(sender.send_and_wait(TxRequest{to, value, {}, 21000}).ok());
  EXPECT_EQ(*rpc_->get_balance(to), u256(3'000'000'000'000'000'000ull));
  ASSERT_TRUE(*rpc_->evm_revert(*snap));
  EXPECT_EQ(*rpc_->get_balance(to), value);
  ASSERT_TRUE(sender.resync_nonce().ok());
  EXPECT_EQ(sender.next_nonce(), 1u);
}

TEST_F(AnvilTest, DeploysCallsAndReadsEvents) {
  const PrivateKey key = funded_key();
  TxSender sender(*rpc_, key, kAnvilChainId, fast_options());
  const Bytes init = *from_hex(test::kStoreInitCode);
  const std::vector<abi::Type> ctor_types = {*abi::parse_type("uint256")};
  const auto ctor_args = abi::encode(ctor_types, std::vector{abi::Value::uint(42)});
  ASSERT_TRUE(ctor_args.has_value());
  const auto contract = sender.deploy(init, *ctor_args);
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  EXPECT_FALSE(rpc_->get_code(*contract)->empty());

  // value() through eth_call.
  const auto value_fn = *abi::parse_function("value()(uint256)");
  auto out = rpc_->call(CallRequest{std::nullopt, *contract, *abi::encode_call(value_fn, {}), std::nullopt, std::nullopt});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(abi::decode_output(value_fn, *out)->at(0), abi::Value::uint(42));

  // set(7, note, tags) in a transaction; the receipt's log and eth_getLogs both decode.
  const auto set_fn = *abi::parse_function("set(uint256,bytes,uint64[])");
  const Bytes note = {0xde, 0xad, 0xbe, 0xef, 0x01};
  const std::vector<abi::Value> args = {abi::Value::uint(7), abi::Value::bytes_value(note),
                                        abi::Value::list({abi::Value::uint(1), abi::Value::uint(~0ull)})};
  const auto receipt = sender.send_and_wait(TxRequest{*contract, {}, *abi::encode_call(set_fn, args), std::nullopt});
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  ASSERT_EQ(receipt->logs.size(), 1u);
  const auto event = *abi::parse_event("Stored(address indexed, uint256 indexed, bytes, uint64[])");
  const Log& log = receipt->logs[0];
  EXPECT_EQ(log.address, *contract);
  const auto decoded = abi::decode_log(event, log.topics, log.data);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ((*decoded)[0], abi::Value::address(key.address()));
  EXPECT_EQ((*decoded)[1], args[0]);
  EXPECT_EQ((*decoded)[2], args[1]);
  EXPECT_EQ((*decoded)[3], args[2]);

  LogFilter filter;
  filter.from_block = BlockTag::number(receipt->block_number);
  filter.to_block = BlockTag::latest();
  filter.addresses = {*contract};
  Bytes32 sender_topic{};
  const Address me = key.address();
  std::copy(me.begin(), me.end(), sender_topic.begin() + 12);
  filter.topics = {{event.topic0()}, {sender_topic}};
  const auto logs = rpc_->get_logs(filter);
  ASSERT_TRUE(logs.ok()) << logs.error().message;
  ASSERT_EQ(logs->size(), 1u);
  EXPECT_EQ((*logs)[0].data, log.data);
  EXPECT_EQ((*logs)[0].transaction_hash, receipt->transaction_hash);
  filter.topics = {{event.topic0()}, {Bytes32{}}};  // another sender: nothing
  EXPECT_TRUE(rpc_->get_logs(filter)->empty());

  // info() with `from` set returns (value, msg.sender, bytes32[2]).
  const auto info_fn = *abi::parse_function("info()(uint256,address,bytes32[])");
  out = rpc_->call(CallRequest{key.address(), *contract, *abi::encode_call(info_fn, {}), std::nullopt, std::nullopt});
  ASSERT_TRUE(out.ok());
  const auto info = abi::decode_output(info_fn, *out);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ((*info)[0], abi::Value::uint(7));
  EXPECT_EQ((*info)[1], abi::Value::address(key.address()));
  ASSERT_EQ((*info)[2].items.size(), 2u);
  Bytes32 seven{};
  seven[31] = 7;
  EXPECT_EQ((*info)[2].items[1], abi::Value::bytes32(seven));

  // fail(3) reverts with Error("fail 3"): the revert data survives in the RPC error.
  const auto fail_fn = *abi::parse_function("fail(uint256)");
  const auto reverted =
      rpc_->call(CallRequest{std::nullopt, *contract, *abi::encode_call(fail_fn, std::vector{abi::Value::uint(3)}),
                             std::nullopt, std::nullopt});
  ASSERT_FALSE(reverted.ok());
  EXPECT_EQ(reverted.error().kind, RpcErrorKind::Rpc);
  const auto data = reverted.error().revert_data();
  ASSERT_TRUE(data.has_value()) << reverted.error().data;
  ASSERT_GE(data->size(), 4u);
  EXPECT_EQ(to_hex(std::span(*data).first(4)), to_hex(abi::selector("Error(string)")));
  const std::vector<abi::Type> string_type = {*abi::parse_type("string")};
  const auto reason = abi::decode(string_type, std::span(*data).subspan(4));
  ASSERT_TRUE(reason.has_value());
  EXPECT_EQ(std::string(reason->at(0).bytes.begin(), reason->at(0).bytes.end()), "fail 3");
  // Sending it fails at gas estimation, with the same data; nothing was submitted.
  const auto nonce_before = sender.next_nonce();
  const auto failed = sender.send(TxRequest{*contract, {}, *abi::encode_call(fail_fn, std::vector{abi::Value::uint(3)}), std::nullopt});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().revert_data(), data);
  EXPECT_EQ(sender.next_nonce(), nonce_before);
  // With an explicit gas limit it is mined and reverts.
  const auto mined_revert =
      sender.send_and_wait(TxRequest{*contract, {}, *abi::encode_call(fail_fn, std::vector{abi::Value::uint(3)}), 100000});
  ASSERT_FALSE(mined_revert.ok());
  EXPECT_EQ(mined_revert.error().kind, RpcErrorKind::Reverted);
}

TEST_F(AnvilTest, ResyncsNonceWhenAnotherSenderUsedIt) {
  const PrivateKey key = funded_key();
  const SenderOptions opts = fast_options();
  TxSender a(*rpc_, key, kAnvilChainId, opts);
  TxSender b(*rpc_, key, kAnvilChainId, opts);
  const Address to = random_address();
  ASSERT_TRUE(a.send_and_wait(TxRequest{to, u256(1), {}, 21000}).ok());  // nonce 0
  EXPECT_EQ(a.next_nonce(), 1u);
  ASSERT_TRUE(b.send_and_wait(TxRequest{to, u256(1), {}, 21000}).ok());  // b fetches 1 and uses it
  EXPECT_EQ(a.next_nonce(), 1u);                                           // a is stale
  // The raw error a stale nonce gives:
  Eip1559Tx stale{kAnvilChainId, 1, u256(1'000'000'000), u256(100'000'000'000ull), 21000, to, u256(1), {}};
  const auto raw_err = rpc_->send_raw_transaction(sign_tx(stale, key));
  ASSERT_FALSE(raw_err.ok());
  EXPECT_TRUE(raw_err.error().message_contains("nonce too low")) << raw_err.error().message;
  // a's next send hits "nonce too low", resyncs to 2 and succeeds.
  const auto r = a.send_and_wait(TxRequest{to, u256(1), {}, 21000});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(a.next_nonce(), 3u);
  EXPECT_EQ(*rpc_->get_transaction_count(key.address(), BlockTag::latest()), 3u);
  EXPECT_EQ(*rpc_->get_balance(to), u256(3));
}

TEST_F(AnvilTest, ReplacesUnminedTransactionWithBumpedFees) {
  const PrivateKey key = funded_key();
  SenderOptions opts = fast_options();
  opts.resubmit_after = 300ms;
  opts.priority_fee = u256(1'000'000'000);
  TxSender sender(*rpc_, key, kAnvilChainId, opts);
  const Address to = random_address();
  ASSERT_TRUE(*rpc_->evm_set_automine(false));

  // By hand: send, bump, mine; the replacement is what gets mined.
  auto pending = sender.send(TxRequest{to, u256(5), {}, 21000});
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  const Eip1559Tx first = pending->tx;
  ASSERT_TRUE(sender.poll(*pending).ok());
  EXPECT_FALSE(sender.poll(*pending)->has_value());
  const auto second_hash = sender.bump(*pending);
  ASSERT_TRUE(second_hash.ok()) << second_hash.error().message;
  ASSERT_EQ(pending->hashes.size(), 2u);
  EXPECT_EQ(pending->tx.nonce, first.nonce);
  // Both fees rose by at least 12.5%: new * 8 >= old * 9.
  EXPECT_GE(pending->tx.max_priority_fee_per_gas[0] * 8, first.max_priority_fee_per_gas[0] * 9);
  EXPECT_GE(pending->tx.max_fee_per_gas[0] * 8, first.max_fee_per_gas[0] * 9);
  ASSERT_TRUE(rpc_->evm_mine().ok());
  const auto mined = sender.poll(*pending);
  ASSERT_TRUE(mined.ok() && mined->has_value());
  EXPECT_EQ((*mined)->transaction_hash, *second_hash);
  EXPECT_FALSE(rpc_->get_transaction_receipt(pending->hashes[0])->has_value());

  // Automatically: wait() bumps every 300 ms until a block is mined after ~1 s.
  auto pending2 = sender.send(TxRequest{to, u256(6), {}, 21000});
  ASSERT_TRUE(pending2.ok());
  std::thread miner([url = anvil_->url()] {
    std::this_thread::sleep_for(1000ms);
    auto rpc = RpcClient::create(url);
    (void)rpc->evm_mine();
  });
  const auto receipt = sender.wait(*pending2);
  miner.join();
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  EXPECT_GE(pending2->resubmissions, 1u);
  EXPECT_EQ(receipt->transaction_hash, pending2->hashes.back());
  EXPECT_EQ(*rpc_->get_balance(to), u256(11));

  // Waiting for 2 confirmations needs one more block.
  SenderOptions two = sender.options();
  two.confirmations = 2;
  two.timeout = 400ms;
  TxSender confirming(*rpc_, key, kAnvilChainId, two);
  auto p3 = confirming.send(TxRequest{to, u256(1), {}, 21000});
  ASSERT_TRUE(p3.ok());
  ASSERT_TRUE(rpc_->evm_mine().ok());
  const auto not_yet = confirming.wait(*p3);
  ASSERT_FALSE(not_yet.ok());
  EXPECT_EQ(not_yet.error().kind, RpcErrorKind::Timeout);
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_TRUE(confirming.wait(*p3).ok());
}

TEST_F(AnvilTest, ACancelledWaitGivesUpAndOtherWaitsOnTheSameSenderGoOn) {
  // One TxSender serves several owners (the operator's L1Sender and its hand-made sends): a stopping
  // owner's cancel flag ends its own wait, never another caller's.
  const PrivateKey key = funded_key();
  SenderOptions opts = fast_options();
  opts.timeout = 60s;
  TxSender sender(*rpc_, key, kAnvilChainId, opts);
  const Address to = random_address();
  ASSERT_TRUE(*rpc_->evm_set_automine(false));
  auto pending = sender.send(TxRequest{to, u256(5), {}, 21000});
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  std::atomic<bool> cancel{true};
  const auto t0 = std::chrono::steady_clock::now();
  const auto given_up = sender.wait(*pending, &cancel);
  ASSERT_FALSE(given_up.ok());
  EXPECT_EQ(given_up.error().kind, RpcErrorKind::Timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 30s);  // not the 60 s timeout
  // The same sender, another caller, no flag: waits until the block is mined.
  std::thread miner([url = anvil_->url()] {
    std::this_thread::sleep_for(300ms);
    auto rpc = RpcClient::create(url);
    (void)rpc->evm_mine();
  });
  const auto mined = sender.wait(*pending);
  miner.join();
  ASSERT_TRUE(mined.ok()) << mined.error().message;
  EXPECT_EQ(*rpc_->get_balance(to), u256(5));
}

TEST_F(AnvilTest, FeeCeilingCapsSendsAndBumps) {
  const PrivateKey key = funded_key();
  SenderOptions opts = fast_options();
  opts.priority_fee = u256(1'000'000'000);
  // A ceiling between the base fee and the usual 2 * base + tip caps the first send, and a bump
  // cannot rise by 12.5% under it.
  const auto latest = rpc_->get_block_by_number(BlockTag::latest());
  ASSERT_TRUE(latest.ok() && latest->has_value() && (*latest)->base_fee_per_gas);
  U256 cap = *(*latest)->base_fee_per_gas;
  ff::add_with_carry(cap, cap, u256(500'000'000));
  opts.max_fee_cap = cap;
  TxSender sender(*rpc_, key, kAnvilChainId, opts);
  const Address to = random_address();
  ASSERT_TRUE(*rpc_->evm_set_automine(false));
  auto pending = sender.send(TxRequest{to, u256(5), {}, 21000});
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  EXPECT_EQ(pending->tx.max_fee_per_gas, cap);
  EXPECT_FALSE(ff::less_than(cap, pending->tx.max_priority_fee_per_gas));
  const auto bumped = sender.bump(*pending);
  ASSERT_FALSE(bumped.ok());
  EXPECT_NE(bumped.error().message.find("fee ceiling"), std::string::npos) << bumped.error().message;
  EXPECT_EQ(pending->hashes.size(), 1u);  // nothing was replaced
  ASSERT_TRUE(rpc_->evm_mine().ok());
  const auto mined = sender.poll(*pending);
  ASSERT_TRUE(mined.ok() && mined->has_value());
  EXPECT_TRUE((*mined)->status);
}

TEST_F(AnvilTest, TimeHelpers) {
  const auto head = *rpc_->get_block_by_number(BlockTag::latest());
  const uint64_t t = head->timestamp + 1000;
  ASSERT_TRUE(rpc_->anvil_set_next_block_timestamp(t).ok());
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ((*rpc_->get_block_by_number(BlockTag::latest()))->timestamp, t);
  ASSERT_TRUE(rpc_->evm_increase_time(500).ok());
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_GE((*rpc_->get_block_by_number(BlockTag::latest()))->timestamp, t + 500);
  ASSERT_TRUE(rpc_->anvil_set_next_block_base_fee_per_gas(u256(7'000'000'000ull)).ok());
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ((*rpc_->get_block_by_number(BlockTag::latest()))->base_fee_per_gas, u256(7'000'000'000ull));
}

}  // namespace
}  // namespace zkamm::l1
