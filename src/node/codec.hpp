#pragma once
// Fixed binary records of the node's store (docs/NODE.md "Store"): big-endian integers, Fr as 32
// canonical big-endian bytes, amounts as 16 bytes (every balance and amount is < 2^128), pool
// reserves and supply as 32 bytes. Decoders return nullopt on any deviation (wrong length,
// non-canonical field element), never throw.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "node/node.hpp"

namespace zkamm::node {

/// Appends fixed-width big-endian fields to a byte string.
class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { be(v, 2); }
  void u32(uint32_t v) { be(v, 4); }
  void u64(uint64_t v) { be(v, 8); }
  void u128(ff::uint128_t v);
  void u256(const U256& v);
  void fr(const ff::Fr& v) { u256(v.to_canonical()); }
  void bytes(std::span<const uint8_t> b) { out_.append(reinterpret_cast<const char*>(b.data()), b.size()); }

 private:
  void be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<char>(v >> (8 * i)));
  }
  std::string& out_;
};

/// Reads what ByteWriter wrote; every read fails (ok() = false) once the input runs short.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool ok() const noexcept { return ok_; }
  bool done() const noexcept { return ok_ && pos_ == in_.size(); }
  uint8_t u8() { return static_cast<uint8_t>(be(1)); }
  uint16_t u16() { return static_cast<uint16_t>(be(2)); }
  uint32_t u32() { return static_cast<uint32_t>(be(4)); }
  uint64_t u64() { return be(8); }
  ff::uint128_t u128();
  U256 u256();
  ff::Fr fr();
  /// The next n bytes (empty and !ok() when short).
  std::span<const uint8_t> bytes(std::size_t n);

 private:
  uint64_t be(int n);
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

ff::uint128_t to_u128(const U256& v) noexcept;  ///< v < 2^128
U256 to_u256(ff::uint128_t v) noexcept;

std::string encode_account(const state::Account& a);
std::optional<state::Account> decode_account(std::string_view in);
std::string encode_token(const state::Token& t);
std::optional<state::Token> decode_token(std::string_view in);
std::string encode_pool(const state::Pool& p);
std::optional<state::Pool> decode_pool(std::string_view in);

/// What a transaction moved. The pool's tokens of an LP full exit follow it (4 bytes), only for
/// that kind of tx, so records written before LP full exits existed read the same.
void write_executed(ByteWriter& w, const tx::Tx& t, const tx::Executed& e);
tx::Executed read_executed(ByteReader& r, const tx::Tx& t);
/// A tx as blocks hold it: its encoding's length (u16), then the encoding; nullopt when the
/// record is cut short or the bytes are no tx.
std::optional<tx::Tx> read_tx(ByteReader& r);

/// Block record: header fields, then per tx its hash, encoding (u16 length) and Executed.
std::string encode_block(const Block& b);
std::optional<Block> decode_block(std::string_view in);
/// The tx at `position` of a block record, reading the record only up to it (the tx index's
/// lookups, Store::tx); nullopt when the block has no such tx or does not decode up to it.
std::optional<BlockTx> decode_block_tx(std::string_view in, uint32_t position);

/// Batch record: header, root_ready, then per slot hash, block, position, encoding, Executed.
/// The pubdata is recomputed on decode.
std::string encode_batch(const Batch& b);
std::optional<Batch> decode_batch(std::string_view in);

/// Tx index record: where a soft tx is and when it got there.
struct TxLocation {
  uint64_t block = 0;
  uint32_t position = 0;
  TimeMs received = 0;
  TimeMs accepted = 0;
  TimeMs soft = 0;
};
std::string encode_location(const TxLocation& l);
std::optional<TxLocation> decode_location(std::string_view in);

/// keccak256 over the header fields (number, timestamp, parent hash, tx count) and the tx hashes.
Hash block_hash(const BlockHeader& h, std::span<const BlockTx> txs);

/// The public data of every slot: 42 bytes each (docs/BATCH.md section 3), or 10 in a swap batch
/// (BatchKind::Swap, section 8); empty when a slot does not fit a swap batch.
std::vector<uint8_t> batch_pubdata(std::span<const BatchSlot> slots, BatchKind kind = BatchKind::Universal);

}  // namespace zkamm::node
