#pragma once
// A fresh anvil per test (skipped when node_modules has none) with anvil's first test key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "l1/rpc_client.hpp"
#include "l1/sender.hpp"
#include "settle/anvil.hpp"

namespace zkamm::settle::testing {

// anvil's default accounts 0 and 1 (public test keys of every anvil/hardhat node): 0 deploys and
// operates, 1 is an L1 user (deposits).
inline constexpr const char* kAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
inline constexpr const char* kAnvilKey1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

class AnvilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string bin = anvil_binary(std::string(ZKAMM_SOURCE_DIR) + "/node_modules");
    if (::access(bin.c_str(), X_OK) != 0) GTEST_SKIP() << "anvil not installed";
    log_ = (std::filesystem::temp_directory_path() / ("zkamm-settle-anvil-" + std::to_string(::getpid()) + ".log")).string();
    const std::string e = anvil_.start(bin, log_);
    ASSERT_EQ(e, "");
    rpc_ = l1::RpcClient::create(anvil_.url());
    ASSERT_NE(rpc_, nullptr);
    auto chain = rpc_->chain_id();
    ASSERT_TRUE(chain.ok());
    l1::SenderOptions so;
    so.poll_interval = std::chrono::milliseconds(10);
    sender_ = std::make_unique<l1::TxSender>(*rpc_, *l1::PrivateKey::from_hex(kAnvilKey0), *chain, so);
  }
  void TearDown() override {
    sender_.reset();
    rpc_.reset();
    anvil_.stop();
    if (!log_.empty()) std::filesystem::remove(log_);
  }

  AnvilProcess anvil_;
  std::string log_;
  std::unique_ptr<l1::RpcClient> rpc_;
  std::unique_ptr<l1::TxSender> sender_;
};

}  // namespace zkamm::settle::testing
