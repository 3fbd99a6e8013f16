// zkamm sync: a replica of the L2 state rebuilt from L1 alone (issue 16, docs/SYNC.md). It needs
// only an Ethereum JSON-RPC URL and the rollup's address: batches come from the contract's events
// and the calldata of their commit transactions, are replayed onto persisted Merkle trees and
// checked against the roots the contract stored. It serves the read-only JSON-RPC and exodus exit
// proofs (the node's zkamm_getExitProof shape) while it follows L1; --once catches up and exits.
#include <signal.h>
#include <time.h>

#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "l1/rpc_client.hpp"
#include "sync/l1_follower.hpp"
#include "sync/replica.hpp"
#include "sync/sync_rpc.hpp"

namespace zkamm::app {
namespace {

struct SyncOptions {
  std::string l1 = "http://127.0.0.1:8545";
  std::string rollup;
  std::string data_dir;
  std::string rpc_host = "127.0.0.1";
  uint16_t rpc_port = 8546;
  uint64_t confirmations = 1;
  std::string finality = "executed";
  std::optional<uint64_t> from_block;
  uint64_t poll_ms = 500;
  uint64_t journal_depth = 64;
  uint64_t max_range = 2000;
  bool once = false;
  std::string tamper;  // TEST ONLY: "BATCH:BYTE"
};

nlohmann::json status_of(const sync::Replica& r) {
  const auto s = r.status();
  return {{"last_batch", s.meta.last_batch}, {"state_root", sync::fr_hex(s.meta.root)}, {"l1_block", s.meta.cursor.block},
          {"accounts", s.accounts},          {"pools", s.pools},                         {"slots_replayed", s.meta.slots_replayed}};
}

int run_sync(const SyncOptions& o) {
  auto rollup = l1::address_from_hex(o.rollup);
  if (!rollup) return fail("--rollup must be 0x + 40 hex digits");
  if (o.data_dir.empty()) return fail("--data-dir is required");
  if (o.finality != "executed" && o.finality != "committed") return fail("--finality must be executed or committed");
  auto rpc = l1::RpcClient::create(o.l1, std::chrono::seconds(30));
  if (!rpc) return fail("--l1 must look like http://127.0.0.1:8545");
  std::string err;
  auto replica = sync::Replica::open(o.data_dir, err);
  if (!replica) return fail(err);
  sync::FollowerConfig fc;
  fc.rollup = *rollup;
  fc.confirmations = o.confirmations;
  fc.finality = o.finality == "executed" ? sync::Finality::kExecuted : sync::Finality::kCommitted;
  fc.from_block = o.from_block;
  fc.poll_interval = std::chrono::milliseconds(o.poll_ms);
  fc.journal_depth = o.journal_depth;
  fc.max_range = o.max_range;
  if (!o.tamper.empty()) {
    const auto colon = o.tamper.find(':');
    if (colon == std::string::npos) return fail("--tamper-pubdata wants BATCH:BYTE");
    const uint64_t batch = std::stoull(o.tamper.substr(0, colon));
    const size_t byte = std::stoull(o.tamper.substr(colon + 1));
    std::cerr << "zkamm sync: TEST ONLY: byte " << byte << " of batch " << batch << "'s public data will be altered" << std::endl;
    fc.tamper = [batch, byte](sync::L1Batch& b) {
      if (b.number == batch && byte < b.pubdata.size()) b.pubdata[byte] ^= 0x01;
    };
  }
  sync::Follower follower(*rpc, *replica, fc);
  if (std::string e = follower.init(); !e.empty()) return fail(e);
  const auto st0 = replica->status();
  std::cout << "zkamm sync: rollup " << l1::to_checksum_address(*rollup) << " on chain " << st0.chain->chain_id
            << " (deployed in block " << st0.chain->deploy_block << "), resuming after batch " << st0.meta.last_batch
            << " (L1 block " << st0.meta.cursor.block << ")" << std::endl;
  if (o.once) {
    const auto t0 = std::chrono::steady_clock::now();
    if (std::string e = follower.catch_up(std::chrono::hours(24)); !e.empty()) return fail(e);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    nlohmann::json j = status_of(*replica);
    j["seconds"] = s;
    std::cout << j.dump() << std::endl;
    return 0;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  node::http::ServerConfig sc;
  sc.host = o.rpc_host;
  sc.port = o.rpc_port;
  sync::SyncService service(*replica, sc, [&follower] {
    const auto fs = follower.stats();
    return nlohmann::json{{"l1_head", fs.l1_head}, {"l1_rollbacks", fs.rollbacks}, {"follower_error", follower.error()}};
  });
  std::string serr;
  if (!service.start(&serr)) return fail("RPC server: " + serr);
  std::cout << "zkamm sync: JSON-RPC on http://" << o.rpc_host << ":" << service.port() << std::endl;
  follower.start();
  uint64_t reported = st0.meta.last_batch;
  int rc = 0;
  for (;;) {
    timespec ts{0, 200'000'000};
    const int sig = sigtimedwait(&signals, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
      std::cout << "zkamm sync: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping" << std::endl;
      break;
    }
    if (const uint64_t n = replica->meta().last_batch; n != reported) {
      reported = n;
      std::cout << "zkamm sync: " << status_of(*replica).dump() << std::endl;
    }
    if (std::string e = follower.error(); !e.empty()) {
      std::cerr << "error: " << e << std::endl;
      rc = 1;
      break;
    }
  }
  follower.stop();
  service.stop();
  return rc;
}

}  // namespace

void register_sync(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SyncOptions>();
  auto* cmd = app.add_subcommand("sync", "rebuild the L2 state from L1 alone and serve reads and exit proofs (docs/SYNC.md)");
  cmd->add_option("--l1", o->l1, "Ethereum JSON-RPC URL")->capture_default_str();
  cmd->add_option("--rollup", o->rollup, "ZkammRollup address")->required();
  cmd->add_option("--data-dir", o->data_dir, "the replica's store (RocksDB); resumed after a restart")->required();
  cmd->add_option("--rpc-host", o->rpc_host, "JSON-RPC host")->capture_default_str();
  cmd->add_option("--rpc-port", o->rpc_port, "JSON-RPC port (0: any)")->capture_default_str();
  cmd->add_option("--confirmations", o->confirmations, "L1 blocks an event needs before it counts")->capture_default_str();
  cmd->add_option("--finality", o->finality, "executed (batches the contract executed) or committed (committed + confirmations)")
      ->capture_default_str();
  cmd->add_option("--from-block", o->from_block, "the rollup's deployment block (default: searched with eth_getCode)");
  cmd->add_option("--poll-ms", o->poll_ms, "L1 poll interval at the head")->capture_default_str();
  cmd->add_option("--journal-depth", o->journal_depth, "steps within this many blocks of the head can be undone after a reorg")
      ->capture_default_str();
  cmd->add_option("--max-range", o->max_range, "blocks per eth_getLogs")->capture_default_str();
  cmd->add_flag("--once", o->once, "catch up with L1, print the status and exit");
  cmd->add_option("--tamper-pubdata", o->tamper, "TEST ONLY: flip the low bit of byte BYTE of batch BATCH's public data (BATCH:BYTE)")
      ->group("");
  cmd->callback([o, &exit_code] { exit_code = run_sync(*o); });
}

}  // namespace zkamm::app
