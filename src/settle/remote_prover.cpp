#include "settle/remote_prover.hpp"

#include <ostream>
#include <thread>

#include "batch/witness_codec.hpp"
#include "l1/bytes.hpp"
#include "node/rpc_client.hpp"
#include "settle/leader_client.hpp"
#include "snark/backend.hpp"
#include "snark/constraint_system.hpp"
#include "snark/json_io.hpp"
#include "tx/batch_header.hpp"

namespace zkamm::settle {
namespace {

using node::rpc::json;
using node::rpc::RpcError;
namespace rpc_code = node::rpc::code;

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

json circuit_info(const CircuitKeys& keys) {
  const BatchKeys& u = *keys.universal;
  json j = {{"slots", u.params.num_slots},
            {"chain_id", u.params.domain.chain_id},
            {"rollup", l1::to_hex(u.params.domain.rollup)},
            {"r1cs_hash", digest_hex(u.r1cs_hash)}};
  if (keys.swap != nullptr) j["swap_r1cs_hash"] = digest_hex(keys.swap->r1cs_hash);
  return j;
}

/// Loads (or makes) the keys of params from dir and checks their R1CS hash against the node's.
std::optional<BatchKeys> worker_keys(const batch::BatchParams& params, const std::string& dir, const std::string& hash,
                                     std::ostream& log) {
  KeysResult keys = load_or_setup(params, dir);
  if (!keys.ok()) {
    log << "prover: keys: " << keys.error << "\n";
    return std::nullopt;
  }
  if (digest_hex(keys.keys->r1cs_hash) != hash) {
    log << "prover: our circuit's R1CS hash " << digest_hex(keys.keys->r1cs_hash)
        << " differs from the node's; refusing to prove\n";
    return std::nullopt;
  }
  return std::move(keys.keys);
}

uint64_t u64_param(const json& params, std::size_t pos, const char* name) {
  const json* p = node::rpc::param(params, pos, name);
  if (!p->is_number_unsigned()) throw RpcError(rpc_code::kInvalidParams, std::string(name) + " must be an unsigned integer");
  return p->get<uint64_t>();
}

double ms_param(const json& params, const char* name) {
  const json* p = node::rpc::param(params, 99, name, false);
  if (p == nullptr || !p->is_number() || p->get<double>() < 0) return 0;
  return p->get<double>();
}

}  // namespace

void add_prover_methods(node::rpc::Service& svc, JobBoard& board, const CircuitKeys& keys) {
  add_prover_methods(svc, [&board] { return BoardRoute{&board, ""}; }, keys);
}

void add_prover_methods(node::rpc::Service& svc, BoardSource source, const CircuitKeys& keys) {
  // A follower's answer to lease and submit: the leader's URL, which the worker follows.
  const auto board_or_redirect = [source](BoardRoute& r) -> JobBoard& {
    r = source();
    if (r.board == nullptr) {
      throw RpcError(kNotLeaderCode, "not the leader: prover jobs are served by the sequencer group's leader",
                     json{{"leader", r.leader_url.empty() ? json(nullptr) : json(r.leader_url)}});
    }
    return *r.board;
  };
  svc.add_method("zkamm_proverInfo", [source, keys](const json&, const node::rpc::CallContext&) {
    json j = circuit_info(keys);
    const BoardRoute r = source();
    if (r.board == nullptr) {
      // Any member announces the circuit (a worker checks its keys at start); jobs: the leader's.
      j["leader"] = r.leader_url.empty() ? json(nullptr) : json(r.leader_url);
      return j;
    }
    const JobBoardStats s = r.board->stats();
    j["lease_ms"] = r.board->lease_time().count();
    j["jobs"] = {{"open", s.open}, {"leased", s.leased}, {"done", s.done},
                 {"leases", s.leases}, {"expired", s.expired}, {"rejected", s.rejected}};
    return j;
  });
  svc.add_method("zkamm_proverLease", [board_or_redirect](const json& params, const node::rpc::CallContext&) {
    std::string worker = "anonymous";
    if (const json* w = node::rpc::param(params, 0, "worker", false); w != nullptr && w->is_string()) {
      worker = w->get<std::string>().substr(0, 64);
    }
    BoardRoute route;
    JobBoard& board = board_or_redirect(route);
    const std::optional<JobLease> l = board.lease(worker);
    if (!l) return json(nullptr);
    return json{{"batch", l->batch},
                {"lease_id", l->lease_id},
                {"lease_ms", board.lease_time().count()},
                {"witness", l1::to_hex(*l->witness)}};
  });
  svc.add_method("zkamm_proverSubmit", [board_or_redirect](const json& params, const node::rpc::CallContext&) {
    const uint64_t lease_id = u64_param(params, 0, "lease_id");
    const json* p = node::rpc::param(params, 1, "proof");
    if (!p->is_object()) throw RpcError(rpc_code::kInvalidParams, "proof must be a snarkjs proof object");
    auto proof = snark::proof_from_json(p->dump());
    if (!proof) throw RpcError(rpc_code::kInvalidParams, "proof is not a valid snarkjs Groth16 proof (points on the curve, values below the modulus)");
    std::optional<uint64_t> batch;
    if (const json* b = node::rpc::param(params, 99, "batch", false); b != nullptr) {
      if (!b->is_number_unsigned()) throw RpcError(rpc_code::kInvalidParams, "batch must be an unsigned integer");
      batch = b->get<uint64_t>();
    }
    JobResult r;
    r.proof = *proof;
    r.witness_ms = ms_param(params, "witness_ms");
    r.prove_ms = ms_param(params, "prove_ms");
    if (const json* w = node::rpc::param(params, 99, "worker", false); w != nullptr && w->is_string()) {
      r.worker = w->get<std::string>().substr(0, 64);
    }
    BoardRoute route;
    const SubmitOutcome o = board_or_redirect(route).submit(lease_id, std::move(r), batch);
    return json{{"outcome", std::string(to_string(o))}};
  });
}

Result<JobResult, ProveError> prove_witness(const BatchKeys& keys, const batch::BatchWitness& w) {
  const auto fail = [](ProveErrc code, std::string why) { return ProveError{code, std::move(why)}; };
  JobResult r;
  const auto t0 = std::chrono::steady_clock::now();
  snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
  const batch::BatchHandles h = batch::synthesize(cs, keys.params, w);
  const std::vector<ff::Fr> wit = cs.witness();
  r.witness_ms = ms_since(t0);
  if (cs.value(h.public_input) != w.public_input)
    return fail(ProveErrc::kMismatch, "synthesized public input differs from the witness'");
  const auto t1 = std::chrono::steady_clock::now();
  auto proof = snark::prove(keys.pk, wit);
  if (!proof) return fail(ProveErrc::kProve, "prove failed (witness size)");
  const std::vector<ff::Fr> pub = {w.public_input};
  if (!snark::verify(keys.vk, pub, *proof)) return fail(ProveErrc::kVerify, "proof does not verify (unsatisfied witness)");
  r.proof = *proof;
  r.prove_ms = ms_since(t1);
  return r;
}

Result<JobResult, ProveError> prove_witness_bytes(const CircuitKeys& keys, std::span<const uint8_t> bytes) {
  std::optional<batch::BatchWitness> w = batch::decode_witness(bytes);
  if (!w) return ProveError{ProveErrc::kBadWitness, "witness does not decode"};
  const auto kind = tx::batch_header_kind(w->header);
  if (!kind) return ProveError{ProveErrc::kBadWitness, "the witness's batch header: " + kind.error().message};
  const BatchKeys* k = keys.for_kind(*kind);
  if (k == nullptr) return ProveError{ProveErrc::kNoKeys, "no keys for the witness's batch kind"};
  if (w->slots.size() != k->params.num_slots)
    return ProveError{ProveErrc::kNoKeys, "witness has a different slot count than the keys"};
  return prove_witness(*k, *w);
}

namespace {

/// Offers a proof until a member answers (a leader's board, any outcome) or the patience ends.
/// A leader that died after the lease makes the submission fail: the client then finds the next
/// leader, whose board accepts the proof for the batch if that is still open there.
json submit_proof(LeaderClient& client, const json& req, const WorkerOptions& opts, const std::atomic<bool>& stop,
                  std::ostream& log) {
  const auto until = std::chrono::steady_clock::now() + opts.submit_patience;
  for (;;) {
    try {
      return client.call("zkamm_proverSubmit", req);
    } catch (const RpcError& e) {
      if (e.code != kNotLeaderCode) throw;
      if (std::chrono::steady_clock::now() >= until || stop.load()) throw;
    } catch (const std::exception& e) {
      if (std::chrono::steady_clock::now() >= until || stop.load()) throw;
      log << "prover: submit of batch " << req.value("batch", uint64_t{0}) << " failed (" << e.what() << "); retrying"
          << std::endl;
    }
    std::this_thread::sleep_for(opts.poll);
  }
}

}  // namespace

int run_prover_worker(const WorkerOptions& opts, const std::atomic<bool>& stop, std::ostream& log) {
  std::vector<std::string> urls{opts.url};
  urls.insert(urls.end(), opts.more_urls.begin(), opts.more_urls.end());
  for (const std::string& u : urls) {
    if (!node::rpc::parse_url(u)) {
      log << "prover: bad node URL " << u << "\n";
      return 1;
    }
  }
  LeaderClient client(urls, std::chrono::seconds(15));  // a stalled member costs this long, then the next
  json info;
  try {
    info = client.call("zkamm_proverInfo");
  } catch (const std::exception& e) {
    log << "prover: cannot reach the node's prover methods at";
    for (const std::string& u : urls) log << " " << u;
    log << ": " << e.what() << "\n";
    return 1;
  }
  batch::BatchParams params;
  params.num_slots = info.value("slots", 0u);
  params.domain.chain_id = info.value("chain_id", uint64_t{0});
  const auto rollup = l1::fixed_from_hex<20>(info.value("rollup", std::string()));
  if (params.num_slots == 0 || !rollup) {
    log << "prover: the node announced no usable circuit\n";
    return 1;
  }
  params.domain.rollup = *rollup;
  log << "prover " << opts.name << ": " << params.num_slots << "-slot batches for chain " << params.domain.chain_id
      << "; loading keys from " << opts.cache_dir << std::endl;
  const std::optional<BatchKeys> universal =
      worker_keys(params, opts.cache_dir, info.value("r1cs_hash", std::string()), log);
  if (!universal) return 1;
  std::optional<BatchKeys> swap;
  if (info.contains("swap_r1cs_hash")) {
    params.kind = batch::BatchKind::Swap;
    swap = worker_keys(params, opts.cache_dir, info.value("swap_r1cs_hash", std::string()), log);
    if (!swap) return 1;
  }
  const CircuitKeys keys{&*universal, swap ? &*swap : nullptr};
  uint64_t done = 0;
  std::string serving;  // the member whose board answered the last lease
  auto idle_since = std::chrono::steady_clock::now();
  while (!stop.load()) {
    json lease;
    try {
      lease = client.call("zkamm_proverLease", json{{"worker", opts.name}});
      if (client.current() != serving) {
        serving = client.current();  // found through a redirect, or a member given that now leads
        log << "prover " << opts.name << ": jobs from " << serving << std::endl;
      }
    } catch (const std::exception& e) {
      log << "prover: lease failed: " << e.what() << std::endl;
      lease = nullptr;
    }
    if (lease.is_null()) {
      if (opts.idle_exit.count() > 0 && std::chrono::steady_clock::now() - idle_since > opts.idle_exit) break;
      std::this_thread::sleep_for(opts.poll);
      continue;
    }
    const uint64_t batch_no = lease.value("batch", uint64_t{0});
    const auto bytes = l1::from_hex(lease.value("witness", std::string()));
    auto r = bytes ? prove_witness_bytes(keys, *bytes) : ProveError{ProveErrc::kBadWitness, "witness is not hex"};
    if (!r) {
      log << "prover: batch " << batch_no << ": " << r.error().message << std::endl;
      std::this_thread::sleep_for(opts.poll);
      continue;
    }
    try {
      const json res = submit_proof(client,
                                    json{{"lease_id", lease.value("lease_id", uint64_t{0})},
                                         {"proof", json::parse(snark::proof_to_json(r->proof))},
                                         {"batch", batch_no},
                                         {"witness_ms", r->witness_ms},
                                         {"prove_ms", r->prove_ms},
                                         {"worker", opts.name}},
                                    opts, stop, log);
      log << "prover " << opts.name << ": batch " << batch_no << " proven in " << static_cast<uint64_t>(r->prove_ms)
          << " ms (backend " << snark::default_backend().name() << "): " << res.value("outcome", std::string("?")) << std::endl;
    } catch (const std::exception& e) {
      log << "prover: submit of batch " << batch_no << " failed: " << e.what() << std::endl;
    }
    idle_since = std::chrono::steady_clock::now();
    if (opts.max_jobs != 0 && ++done >= opts.max_jobs) break;
  }
  return 0;
}

}  // namespace zkamm::settle
