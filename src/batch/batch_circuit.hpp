#pragma once
// The batch circuit (docs/CIRCUIT.md): N transaction slots chained from the old state root to the
// new one, the 98-byte header and the slots' public data built from witnessed fields, and one
// public input = sha256(header || pubdata) with the top 3 bits cleared (docs/BATCH.md). Two kinds,
// each its own circuit and key: universal batches (one slot gadget for every type, selected by
// one-hot type flags, 42 bytes per slot) and swap batches (a slot that only swaps, 10 bytes per
// slot, docs/CIRCUIT.md section 5).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ec/babyjubjub.hpp"
#include "ff/bn254.hpp"
#include "snark/constraint_system.hpp"
#include "snark/r1cs.hpp"
#include "state/commitment.hpp"
#include "state/state.hpp"
#include "tx/batch_header.hpp"
#include "tx/execute.hpp"
#include "tx/message.hpp"
#include "tx/tx.hpp"

namespace zkamm::batch {

using ff::Fr;
using ff::U256;

inline constexpr size_t kSlotPubdataBytes = tx::kSlotPublicDataBytes;
inline constexpr size_t kHeaderBytes = tx::kBatchHeaderBytes;
/// Which slot circuit a batch runs (the header's kind byte); defined with the header's format.
using tx::BatchKind;
using tx::slot_pubdata_bytes;

/// Fixed per deployment: the key is made for one (num_slots, domain, kind).
struct BatchParams {
  uint32_t num_slots = 2;  ///< < 2^24
  tx::Domain domain{};
  BatchKind kind = BatchKind::Universal;
};

/// The header's bytes 92..95 (kind, then num_slots), which the circuit writes as one constant.
constexpr uint32_t header_slot_field(const BatchParams& params) noexcept {
  return tx::kind_and_slots(params.kind, params.num_slots);
}

/// Whether the circuit proves this transaction type (every type of docs/TRANSACTIONS.md; a type
/// byte >= 11 cannot be formed).
bool circuit_supports(tx::TxType t) noexcept;

/// Everything one slot's gadgets read, in the order the circuit updates the leaves:
/// account A's balances X then Y, A's leaf, account B's balance (token X), B's leaf, the pool.
struct SlotWitness {
  tx::TxType type = tx::TxType::Noop;
  // account A (signer or priority-op target)
  uint32_t account_a = 0;
  bool a_exists = true;  ///< false only for create_account and a full exit of an unknown account
  Fr a_pk_x = Fr::zero(), a_pk_y = Fr::one();
  uint64_t a_nonce = 0;  ///< before the slot
  Fr a_balance_root = Fr::zero();
  std::vector<Fr> a_account_path;
  uint32_t token_x = 0, token_y = 0;
  U256 bal_x{}, bal_y{}, bal_z{};  ///< before their updates (Z = the pool's LP token)
  std::vector<Fr> path_x, path_y, path_z;
  // account B (transfer recipient, or account 0 on a mint), after A's updates
  uint32_t account_b = 0;
  Fr b_pk_x = Fr::zero(), b_pk_y = Fr::one();
  uint64_t b_nonce = 0;
  Fr b_balance_root = Fr::zero();
  std::vector<Fr> b_account_path;
  U256 bal_b{};
  std::vector<Fr> path_b;
  // pool
  uint32_t pool_id = 0;
  bool zero_for_one = false;
  /// A full exit of LP token 512 + pool_id: X = the pool's token1, Y = its token0 (zero_for_one
  /// false), the whole LP balance burned, nothing credited (L1 pays out). Tokens 0 when the pool
  /// does not exist (its leaf is empty; nothing moves).
  bool lp_exit = false;
  Fr pool_leaf_old = Fr::zero();  ///< the leaf as stored (0 when empty)
  U256 reserve0{}, reserve1{}, supply{};
  std::vector<Fr> pool_path;
  // the pair tree's leaf: the new pool's pair on create_pool, else key 0 (no pool has (0, 0))
  Fr pair_leaf_old = Fr::zero();
  std::vector<Fr> pair_path;
  // amounts (docs/CIRCUIT.md: amt1 moves balance X, amt2 balance Y, amt3 the LP balance Z)
  U256 amt1{}, amt2{}, amt3{}, limit{};
  U256 desired_a{}, desired_b{}, min_a{}, min_b{};
  uint64_t deadline = 0;
  U256 l1_address{};
  // signature (a valid dummy for unsigned slots: R8 = Base8, S = 0; not small-order, so the
  // verifier's helper wires stay determined)
  Fr r8_x = ec::BabyJubAffine::base8().x, r8_y = ec::BabyJubAffine::base8().y;
  U256 s{};
};

struct BatchWitness {
  uint64_t batch_number = 1;
  uint64_t timestamp = 0;
  uint64_t priority_first = 0;
  Fr account_root_old = Fr::zero(), pool_root_old = Fr::zero(), pair_root_old = Fr::zero();
  uint32_t num_pools_old = 0;
  uint32_t num_tokens = 1;  ///< header bytes 96..97: L1 tokens registered (the contract checks it)
  std::vector<SlotWitness> slots;
  // Computed natively from tx::public_data (an independent path to the same bytes):
  std::vector<uint8_t> header;
  std::vector<uint8_t> pubdata;
  Fr old_root = Fr::zero(), new_root = Fr::zero();
  Fr public_input = Fr::zero();
};

struct BatchInput {
  std::vector<tx::Tx> txs;                ///< at most num_slots; padded with noops
  std::vector<tx::Executed> executed;     ///< optional: when given, checked against tx::execute
  uint64_t batch_number = 1;
  uint64_t timestamp = 0;
  uint64_t priority_first = 0;
  /// The header's token count (the node's, from its batch header); nullopt: the state's.
  std::optional<uint32_t> num_tokens;
};

struct [[nodiscard]] WitnessResult {
  std::string error;  ///< empty on success
  BatchWitness witness;
  bool ok() const noexcept { return error.empty(); }
};

/// Executes the batch on (s, trees) (mutating both to the batch end) and records every leaf and
/// path the circuit needs. Fails (state unspecified) when a transaction does not execute, a type
/// is not supported (in a swap batch: anything but a swap with a float-encodable exact amount),
/// or the batch is larger than params.num_slots.
WitnessResult build_witness(state::State& s, state::StateTrees& trees, const BatchParams& params,
                            const BatchInput& in);

/// Records sw's old leaves and paths from trees and applies its leaf updates, in the circuit's
/// order (A's balances X and Y, A's leaf, B's balance, B's leaf, the pool). Precondition: sw's
/// type, accounts, tokens, amounts, keys, nonces, pool id, direction and reserves are set.
void record_slot(state::StateTrees& trees, SlotWitness& sw);

/// The wires of the batch circuit a test may want to tamper with.
struct BatchHandles {
  snark::Variable public_input{};
  size_t first_slot_wire = 0;        ///< builder index of slot 0's first wire
  std::vector<size_t> slot_wire_begin;  ///< builder index of each slot's first wire
};

/// States the batch circuit into cs with the witness's values. Precondition:
/// w.slots.size() == params.num_slots.
BatchHandles synthesize(snark::ConstraintSystem& cs, const BatchParams& params, const BatchWitness& w);
/// As above; a null witness means noop_witness(params) (key generation).
BatchHandles synthesize(snark::ConstraintSystem& cs, const BatchParams& params, const BatchWitness* w);

/// A witness of num_slots noops on the genesis state (for setup: any satisfying witness works).
BatchWitness noop_witness(const BatchParams& params);

/// The R1CS of the batch circuit for params (built from noop_witness).
snark::R1cs batch_r1cs(const BatchParams& params);

}  // namespace zkamm::batch
