#pragma once
// A binary encoding of BatchWitness, so that a prover on another machine (`zkamm prover --node
// URL`) can synthesize and prove a batch the node recorded. The witness carries every leaf and
// sibling path the circuit reads, which is a few KB per slot, against megabytes for the full
// wire assignment. The receiver never trusts it: whatever it proves is checked by the node
// against its own header and public input, and a malformed encoding is rejected here.
//
// Layout (all integers big-endian): "ZKBW", version u8 (= 1), the batch fields, then per slot
// its fields in declaration order. Fr is 32 canonical bytes (>= r is rejected), U256 32 bytes,
// vectors a u16 length (<= kMaxPathLength elements) then their elements.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "batch/batch_circuit.hpp"

namespace zkamm::batch {

/// The longest sibling vector a witness may carry: 3 siblings per level of the deepest tree.
inline constexpr std::size_t kMaxPathLength = 3 * 12;
/// A decoder refuses witnesses with more slots than this (the largest circuit we set up).
inline constexpr std::size_t kMaxWitnessSlots = 4096;

/// Encodes w; never fails.
std::vector<uint8_t> encode_witness(const BatchWitness& w);

/// Decodes an encode_witness() output; nullopt for a wrong magic or version, a truncated or
/// over-long input, a non-canonical field element, an unknown tx type or an over-long vector.
std::optional<BatchWitness> decode_witness(std::span<const uint8_t> bytes);

}  // namespace zkamm::batch
