#pragma once
// Gadgets shared by the universal slot (slot_circuit.cpp), the swap slot (swap_slot_circuit.cpp)
// and the batch circuit: the state trees' path shapes, conditional checks, exact integer
// division, path wires, the signed message and its EdDSA check, message-order bits.
#include <optional>
#include <vector>

#include "batch/batch_circuit.hpp"
#include "circuit/bits.hpp"
#include "circuit/merkle_gadget.hpp"
#include "snark/constraint_system.hpp"
#include "state/commitment.hpp"

namespace zkamm::batch::gadgets {

using Lc = snark::LinearExpr;

inline Fr fr(uint64_t v) noexcept { return Fr::from_u64(v); }
inline Fr fr(const U256& v) noexcept { return Fr::from_u256_reduced(v); }

/// Paths of the account tree, of a balance tree, of the pool tree and of the pair tree (docs/STATE.md).
inline const circuit::MerkleShape kAccountShape{4, state::kAccountTreeDepth};
inline const circuit::MerkleShape kBalanceShape{4, state::kBalanceTreeDepth};
inline const circuit::MerkleShape kPoolShape{4, state::kPoolTreeDepth};
inline const circuit::MerkleShape kPairShape{4, state::kPairTreeDepth};

/// n wires holding path[i] (0 where path is shorter).
std::vector<Lc> path_wires(snark::ConstraintSystem& cs, const std::vector<Fr>& path, size_t n);

/// Enforces y >= x when g = 1 (nothing when g = 0): g * (y - x) < 2^n. Precondition: g boolean;
/// x, y < 2^n when g = 1.
void assert_ge_if(snark::ConstraintSystem& cs, const Lc& g, const Lc& y, const Lc& x, size_t n);

/// Enforces a != 0 when g = 1 and pins the helper to 0 when g = 0 (2 constraints).
void assert_nonzero_if(snark::ConstraintSystem& cs, const Lc& g, const Lc& a);

/// [x == 0] with the helper pinned in both cases (out * inv = 0), so no wire is left free.
snark::Variable strict_is_zero(snark::ConstraintSystem& cs, const Lc& x);

/// q = floor(num / den) as num = q * den + rem, rem < den, q < 2^qbits, rem < 2^dbits; q is the
/// quotient computed here unless `claimed` gives the prover's value (tests claim wrong ones).
/// Precondition (no wrap-around): every satisfying assignment has num, den < 2^dbits and
/// qbits + dbits < 253.
snark::Variable divide(snark::ConstraintSystem& cs, const Lc& num, const Lc& den, size_t qbits, size_t dbits,
                       const std::optional<U256>& claimed = std::nullopt);

/// The signed message's fields (docs/TRANSACTIONS.md 3): those packed into e0, and e2..e5.
struct MessageFields {
  Lc type, account, nonce, token_x, token_y, deadline, to;
  Lc e2, e3, e4, e5;
};

/// M = Poseidon(e0, e1, e2, e3, e4, e5) as tx::message computes it, e1 being the domain's constant
/// (chain id and rollup address). Precondition: each e0 field is range-checked to its width.
Lc signed_message(snark::ConstraintSystem& cs, const tx::Domain& domain, const MessageFields& f);

/// Enforces (pkx, pky) on the curve, and w's signature (r8, s) of msg under it when enabled = 1;
/// otherwise a dummy check against Base8 (the unsigned slot's R8 = Base8, S = 0), so that no
/// helper wire of the verifier is left free. Precondition: enabled boolean.
void verify_signature_if(snark::ConstraintSystem& cs, const Lc& enabled, const Lc& pkx, const Lc& pky, const Lc& msg,
                         const SlotWitness& w);

/// Appends the nbits-wide big-endian field whose little-endian bits are le_bits, most significant
/// bit first (message order); bits above le_bits.size() are constant zeros.
void append_be_bits(std::vector<circuit::Bit>& out, const std::vector<snark::Variable>& le_bits, size_t nbits);

}  // namespace zkamm::batch::gadgets
