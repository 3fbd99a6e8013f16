// A remote prover over the node's real JSON-RPC: a worker that leases a job and dies leaves it to
// `zkamm prover`'s loop (run_prover_worker), which proves it with its own copy of the keys; the
// node's checker accepts the proof only because it verifies against the node's public input.
// A made-up proof submitted over the RPC is refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "batch/witness_codec.hpp"
#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "node/rpc_client.hpp"
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
  hash::PrivateKey key{};
  key[0] = 7;
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

TEST(RemoteProver, ADeadWorkersJobIsProvenByAnotherOverTheRpc) {
  const BatchKeys& k = keys_n1();
  const batch::BatchWitness w = one_slot_witness();
  JobBoard board(300ms, [&](uint64_t batch, const snark::Proof& proof) {
    const std::vector<ff::Fr> pub = {w.public_input};
    return batch == 1 && snark::verify(k.vk, pub, proof);
  });
  board.post(1, batch::encode_witness(w));

  const fs::path dir = fs::temp_directory_path() / ("zkamm-remote-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::NodeConfig nc;
  nc.data_dir = dir.string();
  nc.domain.chain_id = 31337;
  node::Node node(nc);
  ASSERT_EQ(node.error(), "");
  node::rpc::ServiceConfig sc;
  sc.server.port = 0;
  node::rpc::Service svc(node, sc);
  add_prover_methods(svc, board, k);
  std::string err;
  ASSERT_TRUE(svc.start(&err)) << err;
  const std::string url = "http://127.0.0.1:" + std::to_string(svc.port());
  node::rpc::Client client(node::rpc::Endpoint{"127.0.0.1", svc.port()});

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
  WorkerOptions wo;
  wo.url = url;
  wo.cache_dir = kTestKeyDir;
  wo.name = "worker-2";
  wo.max_jobs = 1;
  wo.poll = 50ms;
  wo.idle_exit = 30s;
  std::atomic<bool> stop{false};
  std::ostringstream log;
  EXPECT_EQ(run_prover_worker(wo, stop, log), 0) << log.str();
  auto res = board.wait_result(1, 1s);
  ASSERT_TRUE(res.has_value()) << log.str();
  EXPECT_EQ(res->worker, "worker-2");
  const std::vector<ff::Fr> pub = {w.public_input};
  EXPECT_TRUE(snark::verify(k.vk, pub, res->proof));
  EXPECT_EQ(board.stats().rejected, 1u);
  svc.stop();
  node.stop();
  fs::remove_all(dir);
}

TEST(RemoteProver, AWorkerWithOtherKeysRefusesToProve) {
  const BatchKeys& k = keys_n1();
  JobBoard board(1s, [](uint64_t, const snark::Proof&) { return false; });
  BatchKeys other = k;
  other.r1cs_hash[0] ^= 1;  // the node announces a circuit the worker's keys are not for
  const fs::path dir = fs::temp_directory_path() / ("zkamm-remote-b-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::NodeConfig nc;
  nc.data_dir = dir.string();
  node::Node node(nc);
  node::rpc::ServiceConfig sc;
  sc.server.port = 0;
  node::rpc::Service svc(node, sc);
  add_prover_methods(svc, board, other);
  std::string err;
  ASSERT_TRUE(svc.start(&err)) << err;
  WorkerOptions wo;
  wo.url = "http://127.0.0.1:" + std::to_string(svc.port());
  wo.cache_dir = kTestKeyDir;
  std::atomic<bool> stop{false};
  std::ostringstream log;
  EXPECT_EQ(run_prover_worker(wo, stop, log), 1);
  EXPECT_NE(log.str().find("differs"), std::string::npos) << log.str();
  svc.stop();
  node.stop();
  fs::remove_all(dir);
}

// The node's pipeline with only remote provers: batches recorded by the node are proven by a
// `zkamm prover` worker over the RPC, checked, and emitted in order.
TEST(RemoteProver, TheNodesBatchesAreProvenByARemoteWorker) {
  const BatchKeys& k = keys_n1();
  const fs::path dir = fs::temp_directory_path() / ("zkamm-remote-c-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::NodeConfig nc;
  nc.data_dir = dir.string();
  nc.domain.chain_id = 31337;
  nc.batch_slots = 1;
  nc.batch_timeout = 50ms;
  nc.block_time = 20ms;
  node::Node node(nc);
  ASSERT_EQ(node.error(), "");
  ProverOptions po;
  po.remote_jobs = true;
  po.local_workers = 0;
  Prover prover(node, k, po);
  ASSERT_NE(prover.jobs(), nullptr);
  node::rpc::ServiceConfig sc;
  sc.server.port = 0;
  node::rpc::Service svc(node, sc);
  add_prover_methods(svc, *prover.jobs(), k);
  std::string err;
  ASSERT_TRUE(svc.start(&err)) << err;

  hash::PrivateKey key{};
  key[0] = 9;
  tx::CreateAccount c;
  c.serial = 0;
  c.account = 1;
  c.pubkey = ec::pack_point(hash::eddsa_public_key(key));
  ASSERT_TRUE(node.submit_priority(c).accepted);
  tx::Deposit d;
  d.serial = 1;
  d.account = 1;
  d.token = 0;
  d.amount = 777;
  ASSERT_TRUE(node.submit_priority(d).accepted);

  WorkerOptions wo;
  wo.url = "http://127.0.0.1:" + std::to_string(svc.port());
  wo.cache_dir = kTestKeyDir;
  wo.name = "remote-1";
  wo.max_jobs = 2;
  wo.poll = 50ms;
  wo.idle_exit = 60s;
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
  svc.stop();
  prover.stop();
  node.stop();
  fs::remove_all(dir);
}

TEST(RemoteProver, ProveWitnessBytesRejectsGarbage) {
  std::string err;
  const std::vector<uint8_t> junk = {1, 2, 3};
  EXPECT_FALSE(prove_witness_bytes(keys_n1(), junk, &err).has_value());
  EXPECT_EQ(err, "witness does not decode");
}

}  // namespace
}  // namespace zkamm::settle::testing
