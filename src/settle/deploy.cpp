#include "settle/deploy.hpp"

#include <fstream>
#include <iomanip>
#include <iterator>
#include <ostream>

#include "hash/sha256.hpp"
#include "settle/contract_code.hpp"
#include "settle/l1_calls.hpp"
#include "settle/rollup_abi.hpp"
#include "snark/json_io.hpp"
#include "state/commitment.hpp"

namespace zkamm::settle {
namespace {

using l1::abi::Value;

std::string sha256_hex(std::span<const uint8_t> bytes) { return digest_hex(hash::sha256(bytes)); }

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return sha256_hex(b);
}

batch::BatchParams params_for(uint32_t slots, uint64_t chain_id, const l1::Address& rollup, bool swap) {
  batch::BatchParams p;
  p.num_slots = slots;
  p.domain.chain_id = chain_id;
  std::copy(rollup.begin(), rollup.end(), p.domain.rollup.begin());
  if (swap) p.kind = batch::BatchKind::Swap;
  return p;
}

void log_keys(std::ostream& log, const char* what, const BatchKeys& k) {
  log << "deploy: " << what << " keys " << (k.reused ? "reused" : "made") << " (" << k.source << "): " << k.num_constraints
      << " constraints, r1cs " << digest_hex(k.r1cs_hash) << ", " << std::fixed << std::setprecision(0) << k.setup_ms
      << " ms" << std::endl;
}

}  // namespace

l1::Address predicted_rollup_address(const l1::Address& deployer, uint64_t nonce, bool swap_batches) {
  // Order: poseidon2, poseidon4, poseidon5, key verifier, verifier, [swap verifier], rollup.
  return create_address(deployer, nonce + (swap_batches ? 6 : 5));
}

DeployedKey deployed_key(const BatchKeys& k) {
  DeployedKey d;
  d.r1cs_sha256 = digest_hex(k.r1cs_hash);
  d.zkey_sha256 = file_sha256(k.zkey_path);
  const std::string vk = snark::verification_key_to_json(k.vk);
  d.vk_sha256 = sha256_hex({reinterpret_cast<const uint8_t*>(vk.data()), vk.size()});
  d.constraints = k.num_constraints;
  d.source = k.source;
  return d;
}

DeployOutcome prepare_keys(const DeployConfig& cfg, uint64_t chain_id, const l1::Address& rollup, std::ostream& log) {
  DeployOutcome out;
  if (cfg.slots == 0 || cfg.slots >= (1u << 24)) {
    out.error = "slots must be in [1, 2^24)";
    return out;
  }
  if (!cfg.swap_zkey.empty() && !cfg.swap_batches) {
    out.error = "a swap-circuit .zkey without swap batches";
    return out;
  }
  log << "deploy: batch keys for N = " << cfg.slots << ", chain " << chain_id << ", rollup " << l1::to_checksum_address(rollup)
      << " (" << cfg.keys_dir << ") ..." << std::endl;
  const auto load = [&](bool swap, const std::string& zkey) {
    const auto p = params_for(cfg.slots, chain_id, rollup, swap);
    return zkey.empty() ? load_or_setup(p, cfg.keys_dir) : import_zkey(p, zkey, cfg.keys_dir);
  };
  KeysResult u = load(false, cfg.zkey);
  if (!u.ok()) {
    out.error = "keys: " + u.error;
    return out;
  }
  log_keys(log, "universal-circuit", *u.keys);
  out.keys = std::move(u.keys);
  if (cfg.swap_batches) {
    KeysResult s = load(true, cfg.swap_zkey);
    if (!s.ok()) {
      out.error = "swap keys: " + s.error;
      return out;
    }
    log_keys(log, "swap-circuit", *s.keys);
    out.swap_keys = std::move(s.keys);
  }
  return out;
}

DeployOutcome deploy_rollup(l1::RpcClient& rpc, l1::TxSender& deployer, uint64_t chain_id, const DeployConfig& cfg,
                            std::ostream& log) {
  DeployOutcome out;
  const auto fail = [&](std::string why) {
    out.error = std::move(why);
    out.deployment.reset();
    return out;
  };
  // Every piece of code first: a build without contracts fails before anything is sent.
  std::string err;
  const auto p2 = contract_code::creation_code(contract_code::Contract::kPoseidon2, &err);
  const auto p4 = contract_code::creation_code(contract_code::Contract::kPoseidon4, &err);
  const auto p5 = contract_code::creation_code(contract_code::Contract::kPoseidon5, &err);
  const auto kv = contract_code::creation_code(contract_code::Contract::kKeyVerifier, &err);
  const auto rollup_code = contract_code::creation_code(contract_code::Contract::kRollup, &err);
  if (!p2 || !p4 || !p5 || !kv || !rollup_code) return fail(err);

  auto nonce0 = rpc.get_transaction_count(deployer.address(), l1::BlockTag::pending());
  if (!nonce0) return fail("deployer nonce: " + nonce0.error().message);
  const l1::Address rollup_addr = predicted_rollup_address(deployer.address(), *nonce0, cfg.swap_batches);
  DeployOutcome keys = prepare_keys(cfg, chain_id, rollup_addr, log);
  if (!keys.ok()) return fail(keys.error);
  out.keys = std::move(keys.keys);
  out.swap_keys = std::move(keys.swap_keys);
  const auto vcode = contract_code::verifier_code(out.keys->vk, 0, cfg.slots, &err);
  if (!vcode) return fail("universal verifier: " + err);
  std::optional<l1::Bytes> svcode;
  if (out.swap_keys) {
    svcode = contract_code::verifier_code(out.swap_keys->vk, 1, cfg.slots, &err);
    if (!svcode) return fail("swap verifier: " + err);
  }
  // The keys may have taken minutes: the predicted address holds only if the nonce did not move.
  auto nonce1 = rpc.get_transaction_count(deployer.address(), l1::BlockTag::pending());
  if (!nonce1) return fail("deployer nonce: " + nonce1.error().message);
  if (*nonce1 != *nonce0)
    return fail("the deployer's account sent transactions during the deployment (nonce " + std::to_string(*nonce0) + " -> " +
                std::to_string(*nonce1) + "); the keys were made for another rollup address");
  (void)deployer.resync_nonce();

  Deployment d;
  d.chain_id = chain_id;
  d.deployer = deployer.address();
  d.operator_address = cfg.operator_address.value_or(deployer.address());
  d.governor = cfg.governor.value_or(deployer.address());
  d.batch_slots = cfg.slots;
  d.swap_batches = cfg.swap_batches;
  d.priority_deadline_s = cfg.priority_deadline_s;
  d.priority_batch_s = cfg.priority_batch_s;
  d.timestamp_window_s = cfg.timestamp_window_s;
  d.genesis_root = state::StateTrees::build(state::State{}).root();
  d.universal_key = deployed_key(*out.keys);
  if (out.swap_keys) d.swap_key = deployed_key(*out.swap_keys);

  const auto deploy = [&](const char* what, const l1::Bytes& code, const l1::Bytes& args = {}) -> std::optional<l1::Address> {
    auto a = deployer.deploy(code, args);
    if (!a) {
      err = std::string("deploying ") + what + ": " + a.error().message;
      return std::nullopt;
    }
    log << "deploy: " << what << " " << l1::to_checksum_address(*a) << std::endl;
    return *a;
  };
  const auto step = [&](std::optional<l1::Address> a, l1::Address& into) {
    if (a) into = *a;
    return a.has_value();
  };
  if (!step(deploy("Poseidon2", *p2), d.poseidon2) || !step(deploy("Poseidon4", *p4), d.poseidon4) ||
      !step(deploy("Poseidon5", *p5), d.poseidon5) ||
      !step(deploy("EdDSAPoseidonVerifier", *kv,
                   encode_args({"address", "address"}, {Value::address(d.poseidon2), Value::address(d.poseidon5)})),
            d.key_verifier) ||
      !step(deploy("BatchGroth16Verifier (universal)", *vcode), d.verifier) ||
      (svcode && !step(deploy("BatchGroth16Verifier (swap)", *svcode), d.swap_verifier)))
    return fail(err);

  const l1::Bytes ctor = encode_args(
      {"address", "address", "address", "address", "address", "uint256", "uint32", "uint64", "uint64", "uint64", "address", "address"},
      {Value::address(d.verifier), Value::address(d.swap_verifier), Value::address(d.poseidon2), Value::address(d.poseidon4),
       Value::address(d.key_verifier), fr_value(d.genesis_root), Value::uint(cfg.slots), Value::uint(cfg.priority_deadline_s),
       Value::uint(cfg.priority_batch_s), Value::uint(cfg.timestamp_window_s), Value::address(d.operator_address),
       Value::address(d.governor)});
  l1::TxRequest req;
  req.data = *rollup_code;
  req.data.insert(req.data.end(), ctor.begin(), ctor.end());
  auto receipt = deployer.send_and_wait(req);
  if (!receipt) return fail("deploying ZkammRollup: " + receipt.error().message);
  if (!receipt->contract_address || *receipt->contract_address != rollup_addr)
    return fail("ZkammRollup deployed at an unexpected address (the deployer's account sent other transactions?)");
  d.rollup = rollup_addr;
  d.deploy_block = receipt->block_number;
  d.deploy_block_hash = receipt->block_hash;
  log << "deploy: ZkammRollup " << l1::to_checksum_address(d.rollup) << " in block " << d.deploy_block << " (gas "
      << receipt->gas_used << ")" << std::endl;
  out.deployment = std::move(d);
  return out;
}

std::string deploy_test_tokens(l1::TxSender& deployer, Deployment& d, const std::vector<std::string>& symbols, std::ostream& log) {
  std::string err;
  const auto code = contract_code::creation_code(contract_code::Contract::kTestErc20, &err);
  if (!code) return err;
  for (const std::string& sym : symbols) {
    const l1::Bytes name(sym.begin(), sym.end());
    auto t = deployer.deploy(*code, encode_args({"string", "string"}, {Value::bytes_value(name), Value::bytes_value(name)}));
    if (!t) return "deploying test ERC-20 " + sym + ": " + t.error().message;
    l1::TxRequest req;
    req.to = d.rollup;
    req.data = call("addToken(address)", {Value::address(*t)});
    auto r = deployer.send_and_wait(req);
    if (!r) return "addToken(" + sym + "): " + r.error().message;
    // Token ids are given in order by the rollup: TokenAdded(uint16 indexed id, address indexed token).
    uint16_t id = 0;
    for (const l1::Log& lg : r->logs)
      if (lg.address == d.rollup && lg.topics.size() == 3 && lg.topics[0] == rollup_abi::token_added().topic0()) id = static_cast<uint16_t>(lg.topics[1][30] << 8 | lg.topics[1][31]);
    if (id == 0) return "addToken(" + sym + "): no TokenAdded event";
    d.tokens.emplace_back(id, *t);
    log << "deploy: token " << id << " " << sym << " " << l1::to_checksum_address(*t) << std::endl;
  }
  return "";
}

LoadedKeys load_deployment_keys(const Deployment& d, const std::string& keys_dir) {
  LoadedKeys out;
  const auto load = [&](bool swap, const DeployedKey& want) -> std::optional<BatchKeys> {
    KeysResult r = load_keys(params_for(d.batch_slots, d.chain_id, d.rollup, swap), keys_dir);
    if (!r.ok()) {
      out.error = r.error;
      return std::nullopt;
    }
    const DeployedKey got = deployed_key(*r.keys);
    const char* which = swap ? "swap" : "universal";
    if (got.r1cs_sha256 != want.r1cs_sha256) {
      out.error = std::string("the ") + which + " circuit built by this zkamm (r1cs " + got.r1cs_sha256 +
                  ") is not the deployed one (" + want.r1cs_sha256 + "): another zkamm version?";
      return std::nullopt;
    }
    if (got.vk_sha256 != want.vk_sha256) {
      out.error = std::string("the ") + which + " keys in " + keys_dir + " are not the ones the deployed verifier checks";
      return std::nullopt;
    }
    return std::move(r.keys);
  };
  out.universal = load(false, d.universal_key);
  if (!out.universal) return out;
  if (d.swap_batches) {
    out.swap = load(true, *d.swap_key);
    if (!out.swap) out.universal.reset();
  }
  return out;
}

}  // namespace zkamm::settle
