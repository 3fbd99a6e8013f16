// The deployment file (settle/deployment.hpp): what is written reads back equal, and the reader
// refuses a file it cannot trust, naming the field.
#include "settle/deployment.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>

#include <nlohmann/json.hpp>

namespace zkamm::settle {
namespace {

l1::Address addr(uint8_t b) {
  l1::Address a{};
  a.fill(b);
  return a;
}

DeployedKey key(const char* source) {
  DeployedKey k;
  k.r1cs_sha256 = "0x" + std::string(64, 'a');
  k.zkey_sha256 = "0x" + std::string(64, 'b');
  k.vk_sha256 = "0x" + std::string(64, 'c');
  k.constraints = 12345;
  k.source = source;
  return k;
}

Deployment sample() {
  Deployment d;
  d.chain_id = 11155111;
  d.rollup = addr(0x11);
  d.deploy_block = 7'000'001;
  d.deploy_block_hash.fill(0x22);
  d.deployer = addr(0x33);
  d.operator_address = addr(0x44);
  d.governor = addr(0x55);
  d.batch_slots = 64;
  d.swap_batches = true;
  d.genesis_root = ff::Fr::from_u64(987654321);
  d.priority_deadline_s = 604800;
  d.priority_batch_s = 60;
  d.timestamp_window_s = 86400;
  d.poseidon2 = addr(1), d.poseidon4 = addr(2), d.poseidon5 = addr(3), d.key_verifier = addr(4), d.verifier = addr(5);
  d.swap_verifier = addr(6);
  d.universal_key = key("dev");
  d.swap_key = key("file");
  d.tokens = {{1, addr(7)}, {2, addr(8)}};
  return d;
}

TEST(Deployment, RoundTripsThroughTheFile) {
  const Deployment d = sample();
  const std::string path = (std::filesystem::temp_directory_path() / ("zkamm-deployment-" + std::to_string(::getpid()) + ".json")).string();
  ASSERT_EQ(write_deployment(d, path), "");
  const DeploymentResult r = read_deployment(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(*r.deployment, d);
  EXPECT_EQ(r.deployment->domain().chain_id, 11155111u);
  EXPECT_EQ(r.deployment->domain().rollup[0], 0x11);
}

TEST(Deployment, WithoutSwapBatches) {
  Deployment d = sample();
  d.swap_batches = false;
  d.swap_verifier = {};
  d.swap_key.reset();
  d.tokens.clear();
  const DeploymentResult r = parse_deployment(deployment_to_json(d));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(*r.deployment, d);
}

/// The error of parsing sample() after `edit`.
std::string error_after(const std::function<void(nlohmann::json&)>& edit) {
  auto j = nlohmann::json::parse(deployment_to_json(sample()));
  edit(j);
  const DeploymentResult r = parse_deployment(j.dump());
  return r.ok() ? "" : r.error;
}

TEST(Deployment, RefusesWhatItCannotTrust) {
  EXPECT_EQ(parse_deployment("[1]").error, "not a JSON object");
  EXPECT_EQ(parse_deployment("{").error, "not a JSON object");
  EXPECT_NE(error_after([](auto& j) { j["format"] = "zkamm-deployment/2"; }).find("format"), std::string::npos);
  EXPECT_EQ(error_after([](auto& j) { j.erase("rollup"); }), "rollup: missing");
  EXPECT_EQ(error_after([](auto& j) { j["rollup"] = "0x1234"; }), "rollup: not 0x + 40 hex digits");
  EXPECT_EQ(error_after([](auto& j) { j["chain_id"] = -1; }), "chain_id: not an unsigned integer");
  EXPECT_EQ(error_after([](auto& j) { j["chain_id"] = "1"; }), "chain_id: not an unsigned integer");
  EXPECT_EQ(error_after([](auto& j) { j["batch_slots"] = 0; }), "batch_slots: not in [1, 2^24)");
  EXPECT_EQ(error_after([](auto& j) { j["genesis_root"] = "0x" + std::string(64, 'f'); }),
            "genesis_root: not 0x + 64 hex digits below the field modulus");
  EXPECT_EQ(error_after([](auto& j) { j["contracts"].erase("verifier"); }), "contracts.verifier: missing");
  EXPECT_EQ(error_after([](auto& j) { j["keys"]["universal"]["zkey_sha256"] = "0x12"; }),
            "keys.universal.zkey_sha256: not 0x + 64 hex digits");
  EXPECT_EQ(error_after([](auto& j) { j["keys"].erase("swap"); }), "keys.swap: present iff swap_batches is true");
  EXPECT_EQ(error_after([](auto& j) { j["contracts"]["swap_verifier"] = "0x" + std::string(40, '0'); }),
            "contracts.swap_verifier: zero iff swap_batches is false");
  EXPECT_EQ(error_after([](auto& j) { j["tokens"][0]["id"] = 0; }), "tokens[].id: not in [1, 65535]");
  EXPECT_EQ(read_deployment("/nonexistent/deployment.json").error, "cannot read /nonexistent/deployment.json");
}

}  // namespace
}  // namespace zkamm::settle
