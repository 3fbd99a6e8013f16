#pragma once
// The ZkammRollup calls and events the settlement layer uses (contracts/src/ZkammRollup.sol,
// docs/CONTRACTS.md), parsed once.
#include "l1/abi.hpp"

namespace zkamm::settle::rollup_abi {

const l1::abi::Function& commit_batch();    ///< commitBatch(bytes,bytes)
const l1::abi::Function& prove_batch();     ///< proveBatch(uint256,uint256[2],uint256[2][2],uint256[2])
const l1::abi::Function& execute_batch();   ///< executeBatch(uint256,bytes)
/// commitProveExecute(bytes[],bytes[],uint256[8][])
const l1::abi::Function& commit_prove_execute();
const l1::abi::Function& last_committed();  ///< lastCommitted()(uint256)
const l1::abi::Function& last_proven();     ///< lastProven()(uint256)
const l1::abi::Function& last_executed();   ///< lastExecuted()(uint256)
const l1::abi::Function& timestamp_window();  ///< timestampWindow()(uint256)
const l1::abi::Event& token_added();        ///< TokenAdded(uint16 indexed,address indexed)
/// PriorityOpQueued(uint64 indexed,uint8,uint32,uint16,uint128,bytes32,address,uint64)
const l1::abi::Event& priority_op_queued();

}  // namespace zkamm::settle::rollup_abi
