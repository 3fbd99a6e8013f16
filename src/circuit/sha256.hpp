#pragma once
// SHA-256 (FIPS 180-4) in-circuit for a message of fixed length. Padding, the IV and the round
// constants are constants that fold away; a 32-bit word is 32 Bits (constant, wire or negated
// wire). Per 64-byte block with every word a wire: the schedule costs 48 * (61 + 54 + 34), each
// round 294 (Sigma1 and Sigma0 64 each as two 2-input XORs per bit, Ch 32, Maj 64, and the two
// sums mod 2^32 35 each: 32 result bits and 3 carry bits, the top carry kept linear so the
// packing needs no constraint of its own), the final feed-forward 8 * 33: 26,232 in all. The
// first block starts from the constant IV and is cheaper.
#include <cstddef>
#include <span>
#include <vector>

#include "circuit/bits.hpp"
#include "snark/constraint_system.hpp"

namespace zkamm::circuit {

/// SHA-256 of the message given as bits in message order (most significant bit of each byte
/// first); any bit length. Returns the 256 digest bits in the same order.
std::vector<Bit> sha256(snark::ConstraintSystem& cs, std::span<const Bit> message);

/// Message-order bits of byte wires: each byte is decomposed into 8 boolean wires (9 constraints
/// per byte, which also enforces byte < 256).
std::vector<Bit> bytes_to_bits(snark::ConstraintSystem& cs, std::span<const Lc> bytes);

/// Bytes (as linear combinations, no constraint) of message-order bits.
/// Precondition: bits.size() % 8 == 0.
std::vector<Lc> bits_to_bytes(std::span<const Bit> bits);

/// SHA-256 of byte wires; returns the 32 digest bytes. Costs bytes_to_bits plus sha256.
std::vector<Lc> sha256_bytes(snark::ConstraintSystem& cs, std::span<const Lc> bytes);

}  // namespace zkamm::circuit
