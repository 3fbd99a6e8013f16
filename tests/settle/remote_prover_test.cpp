// A remote prover over the node's real JSON-RPC: a worker that leases a job and dies leaves it to
// `zkamm prover`'s loop (run_prover_worker), which proves it with its own copy of the keys; the
// node's checker accepts the proof only because it verifies against the node's public input.
// A made-up proof submitted over the RPC is refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

#include "common/test_keys.hpp"
#include "batch/witness_codec.hpp"
#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "node/rpc_client.hpp"
#include "settle/leader_client.hpp"
#include "settle/prover.hpp"
#include "settle/remote_prover.hpp"
#include "snark/json_io.hpp"
#include "settle_fixture.hpp"

namespace zkamm::settle::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// One CreateAccount slot on the empty state: a real batch for the 1-slot circuit.
batch::BatchWitness one_slot_witness() {
  const hash::PrivateKey key = zkamm::testing::test_key(7);
  tx::CreateAccount c;
  c.serial = 0;
  c.account = 1;
  c.pubkey = ec::pack_point(hash::eddsa_public_key(key));
  state::State s;
  state::StateTrees trees = state::StateTrees::build(s);
  batch::BatchInput in;
  in.txs = {c};
  in.batch_number = 1;
  in.timestamp = 1'700'000'000;
  batch::WitnessResult r = batch::build_witness(s, trees, keys_n1().params, in);
  EXPECT_TRUE(r.ok()) << r.error;
  return r.witness;
}

// A node that closes a batch for every operation (1 slot), soon after it arrives.
node::NodeConfig one_slot_node_config() {
  node::NodeConfig nc;
  nc.domain.chain_id = 31337;
  nc.batch_slots = 1;
  nc.batch_timeout = 50ms;
  nc.block_time = 20ms;
  return nc;
}

// A prover that posts every batch on its job board, proven by `local_workers` threads here and by
// remote workers.
ProverOptions job_board(unsigned local_workers) {
  ProverOptions po;
  po.remote_jobs = true;
  po.local_workers = local_workers;
  return po;
}

// Account 1 created, then `deposits` deposits to it: 1 + deposits priority operations, so as
// many batches on a one-slot node. False when the node refuses one.
bool create_and_fund(node::Node& node, uint64_t deposits) {
  const hash::PrivateKey key = zkamm::testing::test_key(9);
  tx::CreateAccount c;
  c.serial = 0;
  c.account = 1;
  c.pubkey = ec::pack_point(hash::eddsa_public_key(key));
  if (!node.submit_priority(c).accepted) return false;
  for (uint64_t i = 0; i < deposits; ++i) {
    tx::Deposit d;
    d.serial = 1 + i;
    d.account = 1;
    d.token = 0;
    d.amount = 777 + i;
    if (!node.submit_priority(d).accepted) return false;
  }
  return true;
}

// A node with its JSON-RPC service and the prover methods on a free port, in a fresh data dir
// that goes at the end. The service stops first: its prover methods use the caller's job board.
class ServedNode {
 public:
  ServedNode(const std::string& name, node::NodeConfig nc)
      : dir_(fs::temp_directory_path() / ("zkamm-remote-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    nc.data_dir = dir_.string();
    node_ = std::make_unique<node::Node>(nc);
    EXPECT_EQ(node_->error(), "");
    node::rpc::ServiceConfig sc;
    sc.server.port = 0;
    svc_ = std::make_unique<node::rpc::Service>(*node_, sc);
  }
  ~ServedNode() {
    stop_service();
    node_->stop();
    fs::remove_all(dir_);
  }
  node::Node& node() { return *node_; }
  /// Serves zkamm_prover* over board for the keys k; false if the port cannot be bound.
  bool serve(JobBoard& board, const BatchKeys& k) {
    add_prover_methods(*svc_, board, CircuitKeys{&k});
    std::string err;
    const bool ok = svc_->start(&err);
    EXPECT_TRUE(ok) << err;
    return ok;
  }
  /// Serves zkamm_prover* over a route (a group member's); false if the port cannot be bound.
  bool serve(BoardSource source, const BatchKeys& k) {
    add_prover_methods(*svc_, std::move(source), CircuitKeys{&k});
    std::string err;
    const bool ok = svc_->start(&err);
    EXPECT_TRUE(ok) << err;
    return ok;
  }
  void stop_service() { svc_->stop(); }
  uint16_t port() const { return svc_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

 private:
  fs::path dir_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::rpc::Service> svc_;
};

// A `zkamm prover` worker of this node, with the test keys.
WorkerOptions worker_for(const ServedNode& n, const std::string& name, uint64_t max_jobs,
                         std::chrono::milliseconds idle_exit) {
  WorkerOptions wo;
  wo.url = n.url();
  wo.cache_dir = kTestKeyDir;
  wo.name = name;
  wo.max_jobs = max_jobs;
  wo.poll = 50ms;
  wo.idle_exit = idle_exit;
  return wo;
}

TEST(RemoteProver, ADeadWorkersJobIsProvenByAnotherOverTheRpc) {
  const BatchKeys& k = keys_n1();
  const batch::BatchWitness w = one_slot_witness();
  JobBoard board(300ms, [&](uint64_t batch, const snark::Proof& proof) {
    const std::vector<ff::Fr> pub = {w.public_input};
    return batch == 1 && snark::verify(k.vk, pub, proof);
  });
  board.post(1, batch::encode_witness(w));

  node::NodeConfig nc;
  nc.domain.chain_id = 31337;
  ServedNode sn("a", nc);
  ASSERT_TRUE(sn.serve(board, k));
  node::rpc::Client client(node::rpc::Endpoint{"127.0.0.1", sn.port()});

  const auto info = client.call("zkamm_proverInfo");
  EXPECT_EQ(info["slots"], 1);
  EXPECT_EQ(info["r1cs_hash"], digest_hex(k.r1cs_hash));

  // Worker 1 takes the job and dies without submitting.
  const auto lease = client.call("zkamm_proverLease", {{"worker", "dies"}});
  ASSERT_TRUE(lease.is_object());
  EXPECT_EQ(lease["batch"], 1);
  EXPECT_TRUE(client.call("zkamm_proverLease", {{"worker", "other"}}).is_null());  // still leased

  // A made-up proof (a valid proof of something else: the generator points) is refused.
  snark::Proof fake;
  fake.a = k.vk.alpha_g1;
  fake.b = k.vk.beta_g2;
  fake.c = k.vk.alpha_g1;
  const auto bad = client.call("zkamm_proverSubmit",
                               {{"lease_id", lease["lease_id"]}, {"proof", nlohmann::json::parse(snark::proof_to_json(fake))}});
  EXPECT_EQ(bad["outcome"], "invalid_proof");
  EXPECT_THROW(client.call("zkamm_proverSubmit", {{"lease_id", 1}, {"proof", "nope"}}), node::rpc::RpcError);

  // The job is open again (the bad proof reopened it); the real worker proves and submits it.
  const WorkerOptions wo = worker_for(sn, "worker-2", 1, 30s);
  std::atomic<bool> stop{false};
  std::ostringstream log;
  EXPECT_EQ(run_prover_worker(wo, stop, log), 0) << log.str();
  auto res = board.wait_result(1, 1s);
  ASSERT_TRUE(res.has_value()) << log.str();
  EXPECT_EQ(res->worker, "worker-2");
  const std::vector<ff::Fr> pub = {w.public_input};
  EXPECT_TRUE(snark::verify(k.vk, pub, res->proof));
  EXPECT_EQ(board.stats().rejected, 1u);
}

TEST(RemoteProver, AWorkerWithOtherKeysRefusesToProve) {
  const BatchKeys& k = keys_n1();
  JobBoard board(1s, [](uint64_t, const snark::Proof&) { return false; });
  BatchKeys other = k;
  other.r1cs_hash[0] ^= 1;  // the node announces a circuit the worker's keys are not for
  ServedNode sn("b", node::NodeConfig{});
  ASSERT_TRUE(sn.serve(board, other));
  WorkerOptions wo;
  wo.url = sn.url();
  wo.cache_dir = kTestKeyDir;
  std::atomic<bool> stop{false};
  std::ostringstream log;
  EXPECT_EQ(run_prover_worker(wo, stop, log), 1);
  EXPECT_NE(log.str().find("differs"), std::string::npos) << log.str();
}

// The node's pipeline with only remote provers: batches recorded by the node are proven by a
// `zkamm prover` worker over the RPC, checked, and emitted in order.
TEST(RemoteProver, TheNodesBatchesAreProvenByARemoteWorker) {
  const BatchKeys& k = keys_n1();
  ServedNode sn("c", one_slot_node_config());
  node::Node& node = sn.node();
  Prover prover(node, k, job_board(0));
  // The service serves the prover's job board: it stops before the prover, however the test ends.
  const struct StopServiceFirst {
    ServedNode& sn;
    ~StopServiceFirst() { sn.stop_service(); }
  } stop_service_first{sn};
  ASSERT_NE(prover.jobs(), nullptr);
  ASSERT_TRUE(sn.serve(*prover.jobs(), k));
  ASSERT_TRUE(create_and_fund(node, 1));

  const WorkerOptions wo = worker_for(sn, "remote-1", 2, 60s);
  std::atomic<bool> stop{false};
  std::ostringstream log;
  EXPECT_EQ(run_prover_worker(wo, stop, log), 0) << log.str();
  ASSERT_TRUE(prover.wait_proved(2, 30s)) << prover.error() << "\n" << log.str();
  for (uint64_t n : {1u, 2u}) {
    auto p = prover.proved(n);
    auto b = node.batch(n);
    ASSERT_TRUE(p && b);
    const std::vector<ff::Fr> pub = {b->public_input()};
    EXPECT_TRUE(snark::verify(k.vk, pub, p->proof));
  }
}

// Several proving threads in the node's process (the devnet's default with a GPU backend: the
// witnesses are synthesized in parallel): every batch is proven once, checked, and emitted in
// batch order, whichever thread finishes first.
TEST(RemoteProver, LocalWorkersProveBatchesInParallelAndEmitThemInOrder) {
  const BatchKeys& k = keys_n1();
  ServedNode sn("d", one_slot_node_config());
  node::Node& node = sn.node();
  Prover prover(node, k, job_board(3));
  std::mutex mu;
  std::condition_variable cv;
  std::vector<uint64_t> emitted;
  prover.on_proved([&](const ProvedBatch& p) {
    std::lock_guard lk(mu);
    emitted.push_back(p.number);
    cv.notify_all();
  });

  constexpr uint64_t kDeposits = 5;
  ASSERT_TRUE(create_and_fund(node, kDeposits));
  const uint64_t last = 1 + kDeposits;  // one batch per operation (1 slot)
  ASSERT_TRUE(prover.wait_proved(last, 60s)) << prover.error();
  EXPECT_EQ(prover.error(), "");
  for (uint64_t n = 1; n <= last; ++n) {
    auto p = prover.proved(n);
    auto b = node.batch(n);
    ASSERT_TRUE(p && b) << n;
    const std::vector<ff::Fr> pub = {b->public_input()};
    EXPECT_TRUE(snark::verify(k.vk, pub, p->proof)) << n;
    EXPECT_EQ(p->new_root, b->header.new_root) << n;
  }
  // Callbacks run after the proof is stored, which is what wait_proved waits for.
  std::unique_lock lk(mu);
  ASSERT_TRUE(cv.wait_for(lk, 30s, [&] { return emitted.size() >= last; })) << emitted.size();
  for (size_t i = 0; i < emitted.size(); ++i) EXPECT_EQ(emitted[i], i + 1) << "emitted out of order";
  ASSERT_NE(prover.jobs(), nullptr);
  EXPECT_EQ(prover.jobs()->stats().rejected, 0u);
}

// A sequencer group: a follower serves no jobs; it announces the circuit and names the leader,
// and answers lease and submit with -32006 and the leader's URL. A worker given only the
// follower proves the leader's job there (LeaderClient follows the redirect).
TEST(RemoteProver, AWorkerPointedAtAFollowerProvesForTheLeader) {
  const BatchKeys& k = keys_n1();
  const batch::BatchWitness w = one_slot_witness();
  JobBoard board(30s, [&](uint64_t batch, const snark::Proof& proof) {
    const std::vector<ff::Fr> pub = {w.public_input};
    return batch == 1 && snark::verify(k.vk, pub, proof);
  });
  board.post(1, batch::encode_witness(w));
  node::NodeConfig nc;
  nc.domain.chain_id = 31337;
  ServedNode leader("leader", nc);
  ASSERT_TRUE(leader.serve([&board] { return BoardRoute{&board, ""}; }, k));
  ServedNode follower("follower", nc);
  const std::string leader_url = leader.url();
  std::atomic<bool> known{false};  // false: an election, no leader known yet
  ASSERT_TRUE(follower.serve([&] { return BoardRoute{nullptr, known ? leader_url : ""}; }, k));

  node::rpc::Client client(node::rpc::Endpoint{"127.0.0.1", follower.port()});
  auto info = client.call("zkamm_proverInfo");
  EXPECT_EQ(info["r1cs_hash"], digest_hex(k.r1cs_hash));
  EXPECT_TRUE(info["leader"].is_null());
  EXPECT_FALSE(info.contains("jobs"));
  known = true;
  info = client.call("zkamm_proverInfo");
  EXPECT_EQ(info["leader"], leader_url);
  try {
    client.call("zkamm_proverLease", {{"worker", "w"}});
    FAIL() << "a follower handed out a lease";
  } catch (const node::rpc::RpcError& e) {
    EXPECT_EQ(e.code, kNotLeaderCode);
    EXPECT_EQ(e.data.value("leader", ""), leader_url);
  }
  EXPECT_EQ(board.stats().leases, 0u);

  WorkerOptions wo = worker_for(follower, "via-follower", 1, 30s);
  std::atomic<bool> stop{false};
  std::ostringstream log;
  EXPECT_EQ(run_prover_worker(wo, stop, log), 0) << log.str();
  auto res = board.wait_result(1, 1s);
  ASSERT_TRUE(res.has_value()) << log.str();
  EXPECT_EQ(res->worker, "via-follower");
  EXPECT_NE(log.str().find("jobs from " + leader_url), std::string::npos) << log.str();
}

TEST(RemoteProver, ProveWitnessBytesRejectsGarbage) {
  const std::vector<uint8_t> junk = {1, 2, 3};
  const auto r = prove_witness_bytes(CircuitKeys{&keys_n1()}, junk);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ProveErrc::kBadWitness);
  EXPECT_EQ(r.error().message, "witness does not decode");
}

}  // namespace
}  // namespace zkamm::settle::testing
