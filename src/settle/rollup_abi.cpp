#include "settle/rollup_abi.hpp"

namespace zkamm::settle::rollup_abi {
namespace {
l1::abi::Function fn(const char* text) { return *l1::abi::parse_function(text); }
l1::abi::Event ev(const char* text) { return *l1::abi::parse_event(text); }
}  // namespace

const l1::abi::Function& commit_batch() {
  static const auto f = fn("commitBatch(bytes,bytes)");
  return f;
}
const l1::abi::Function& prove_batch() {
  static const auto f = fn("proveBatch(uint256,uint256[2],uint256[2][2],uint256[2])");
  return f;
}
const l1::abi::Function& execute_batch() {
  static const auto f = fn("executeBatch(uint256,bytes)");
  return f;
}
const l1::abi::Function& commit_prove_execute() {
  static const auto f = fn("commitProveExecute(bytes[],bytes[],uint256[8][])");
  return f;
}
const l1::abi::Function& last_committed() {
  static const auto f = fn("lastCommitted()(uint256)");
  return f;
}
const l1::abi::Function& last_proven() {
  static const auto f = fn("lastProven()(uint256)");
  return f;
}
const l1::abi::Function& last_executed() {
  static const auto f = fn("lastExecuted()(uint256)");
  return f;
}
const l1::abi::Function& timestamp_window() {
  static const auto f = fn("timestampWindow()(uint256)");
  return f;
}
const l1::abi::Event& token_added() {
  static const auto e = ev("TokenAdded(uint16 indexed,address indexed)");
  return e;
}
const l1::abi::Event& priority_op_queued() {
  static const auto e =
      ev("PriorityOpQueued(uint64 indexed,uint8,uint32,uint16,uint128,bytes32,address,uint64)");
  return e;
}

}  // namespace zkamm::settle::rollup_abi
