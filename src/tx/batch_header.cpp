#include "tx/batch_header.hpp"

#include <string>

#include "tx/public_data.hpp"
#include "tx/swap_public_data.hpp"

namespace zkamm::tx {
namespace {

namespace bh = batch_header;

void put_be(BatchHeaderBytes& out, bh::Field f, uint64_t v) noexcept {
  for (std::size_t i = 0; i < f.size; ++i) out[f.offset + i] = static_cast<uint8_t>(v >> (8 * (f.size - 1 - i)));
}

uint64_t get_be(std::span<const uint8_t> in, bh::Field f) noexcept {
  uint64_t v = 0;
  for (std::size_t i = 0; i < f.size; ++i) v = (v << 8) | in[f.offset + i];
  return v;
}

BatchHeaderError length_error(std::size_t size) {
  return {BatchHeaderErrc::kLength,
          "the batch header is " + std::to_string(size) + " bytes, not " + std::to_string(kBatchHeaderBytes)};
}

}  // namespace

std::string_view batch_kind_name(BatchKind kind) noexcept { return kind == BatchKind::Swap ? "swap" : "universal"; }

std::size_t slot_pubdata_bytes(BatchKind kind) noexcept {
  return kind == BatchKind::Swap ? kSwapSlotBytes : kSlotPublicDataBytes;
}

BatchHeaderBytes BatchHeader::encode() const noexcept {
  BatchHeaderBytes out{};
  put_be(out, bh::kNumber, number);
  put_be(out, bh::kTimestamp, timestamp);
  old_root.to_bytes_be(out.data() + bh::kOldRoot.offset);
  new_root.to_bytes_be(out.data() + bh::kNewRoot.offset);
  put_be(out, bh::kPriorityFirst, priority_first);
  put_be(out, bh::kPriorityCount, priority_count);
  put_be(out, bh::kKind, static_cast<uint8_t>(kind));
  put_be(out, bh::kNumSlots, num_slots);
  put_be(out, bh::kNumTokens, num_tokens);
  return out;
}

Result<BatchKind, BatchHeaderError> batch_header_kind(std::span<const uint8_t> bytes) {
  if (bytes.size() != kBatchHeaderBytes) return length_error(bytes.size());
  const uint8_t k = bytes[bh::kKind.offset];
  if (k >= kNumBatchKinds)
    return BatchHeaderError{BatchHeaderErrc::kUnknownKind, "unknown batch kind " + std::to_string(k)};
  return static_cast<BatchKind>(k);
}

Result<BatchHeader, BatchHeaderError> decode_batch_header(std::span<const uint8_t> bytes) {
  auto kind = batch_header_kind(bytes);
  if (!kind) return std::move(kind).error();
  BatchHeader h;
  h.kind = *kind;
  h.number = get_be(bytes, bh::kNumber);
  h.timestamp = get_be(bytes, bh::kTimestamp);
  const auto old_root = ff::Fr::from_bytes_be(bytes.data() + bh::kOldRoot.offset);
  const auto new_root = ff::Fr::from_bytes_be(bytes.data() + bh::kNewRoot.offset);
  if (!old_root || !new_root) {
    return BatchHeaderError{BatchHeaderErrc::kRootNotCanonical,
                            std::string("the batch header's ") + (old_root ? "new" : "old") + " root is not below r"};
  }
  h.old_root = *old_root;
  h.new_root = *new_root;
  h.priority_first = get_be(bytes, bh::kPriorityFirst);
  h.priority_count = static_cast<uint32_t>(get_be(bytes, bh::kPriorityCount));
  h.num_slots = static_cast<uint32_t>(get_be(bytes, bh::kNumSlots));
  h.num_tokens = static_cast<uint16_t>(get_be(bytes, bh::kNumTokens));
  return h;
}

}  // namespace zkamm::tx
