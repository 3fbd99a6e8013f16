#pragma once
// The batch header (docs/BATCH.md section 2): the one C++ home of its wire format. The node's
// batcher, the batch witness, the prover pipeline, the devnet and the L1 replica encode and read
// it here; contracts/src/BatchFormat.sol is its Solidity twin, and tests/tx/batch_header_test.cpp
// with contracts/test/BatchFormat.t.sol check that both agree field by field on one fixture
// (contracts/src/generated/BatchHeaderFixture.sol).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "ff/bn254.hpp"
#include "util/result.hpp"

namespace zkamm::tx {

/// Which slot circuit (and key, and L1 verifier) a batch runs: the header's kind byte.
enum class BatchKind : uint8_t {
  Universal = 0,  ///< every transaction type, 42 public-data bytes per slot
  Swap = 1,       ///< swaps with a float-encodable exact amount and noops, 10 bytes per slot
};
inline constexpr uint8_t kNumBatchKinds = 2;

/// "universal" or "swap" (RPC views, logs).
std::string_view batch_kind_name(BatchKind kind) noexcept;
/// Public-data bytes of one slot of a batch of this kind (docs/BATCH.md sections 3 and 8).
std::size_t slot_pubdata_bytes(BatchKind kind) noexcept;

/// Byte layout of the header: every field big-endian at a fixed offset.
namespace batch_header {
struct Field {
  std::size_t offset;
  std::size_t size;
  constexpr std::size_t end() const noexcept { return offset + size; }
  constexpr std::size_t bits() const noexcept { return size * 8; }
};
inline constexpr Field kNumber{0, 8};          ///< u64: 1 for the first batch, then +1
inline constexpr Field kTimestamp{8, 8};       ///< u64 seconds: the block time of its first tx
inline constexpr Field kOldRoot{16, 32};       ///< canonical Fr: the state root before
inline constexpr Field kNewRoot{48, 32};       ///< canonical Fr: the state root after
inline constexpr Field kPriorityFirst{80, 8};  ///< u64: serial of the first priority op consumed
inline constexpr Field kPriorityCount{88, 4};  ///< u32: priority ops in the batch
inline constexpr Field kKind{92, 1};           ///< u8: BatchKind
inline constexpr Field kNumSlots{93, 3};       ///< u24: N
inline constexpr Field kNumTokens{96, 2};      ///< u16: L1 tokens registered (ETH included)
inline constexpr std::size_t kBytes = 98;
static_assert(kNumber.end() == kTimestamp.offset && kTimestamp.end() == kOldRoot.offset &&
                  kOldRoot.end() == kNewRoot.offset && kNewRoot.end() == kPriorityFirst.offset &&
                  kPriorityFirst.end() == kPriorityCount.offset && kPriorityCount.end() == kKind.offset &&
                  kKind.end() == kNumSlots.offset && kNumSlots.end() == kNumTokens.offset && kNumTokens.end() == kBytes,
              "the fields tile the header");
inline constexpr uint32_t kMaxNumSlots = (1u << 24) - 1;
}  // namespace batch_header

inline constexpr std::size_t kBatchHeaderBytes = batch_header::kBytes;
using BatchHeaderBytes = std::array<uint8_t, kBatchHeaderBytes>;

/// The decoded header. Precondition of encode(): num_slots <= kMaxNumSlots.
struct BatchHeader {
  uint64_t number = 0;     ///< 1, 2, ...
  uint64_t timestamp = 0;  ///< seconds: the block time of the batch's first tx
  ff::Fr old_root = ff::Fr::zero();
  ff::Fr new_root = ff::Fr::zero();
  uint64_t priority_first = 0;
  uint32_t priority_count = 0;
  BatchKind kind = BatchKind::Universal;
  uint32_t num_slots = 0;   ///< < 2^24
  uint16_t num_tokens = 0;  ///< L1 tokens registered when the batch closed (create_pool's bound)

  BatchHeaderBytes encode() const noexcept;
  bool operator==(const BatchHeader&) const = default;
};

/// The header's bytes 92..95 read as one u32 (kind in the top byte, num_slots below): the batch
/// circuit writes them as one constant of its parameters.
constexpr uint32_t kind_and_slots(BatchKind kind, uint32_t num_slots) noexcept {
  return (static_cast<uint32_t>(kind) << 24) | (num_slots & batch_header::kMaxNumSlots);
}

enum class BatchHeaderErrc : uint8_t {
  kLength,            ///< not exactly kBatchHeaderBytes
  kUnknownKind,       ///< kind byte >= kNumBatchKinds
  kRootNotCanonical,  ///< old or new root >= r
};
using BatchHeaderError = Error<BatchHeaderErrc>;

/// Decodes and checks the form (length, kind, canonical roots); what the fields must equal
/// (number, roots, slot count) is the caller's check.
Result<BatchHeader, BatchHeaderError> decode_batch_header(std::span<const uint8_t> bytes);

/// The kind byte of an encoded header, without decoding the rest (nullopt-like error when the
/// length or the kind is wrong).
Result<BatchKind, BatchHeaderError> batch_header_kind(std::span<const uint8_t> bytes);

}  // namespace zkamm::tx
