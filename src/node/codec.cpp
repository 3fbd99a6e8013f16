#include "node/codec.hpp"

#include <algorithm>

#include "hash/keccak256.hpp"
#include "hash/sha256.hpp"
#include "tx/encoding.hpp"
#include "tx/swap_public_data.hpp"

namespace zkamm::node {

void ByteWriter::u128(ff::uint128_t v) {
  be(static_cast<uint64_t>(v >> 64), 8);
  be(static_cast<uint64_t>(v), 8);
}

void ByteWriter::u256(const U256& v) {
  uint8_t b[32];
  ff::to_bytes_be(v, b);
  bytes(b);
}

uint64_t ByteReader::be(int n) {
  if (!ok_ || in_.size() - pos_ < static_cast<std::size_t>(n)) {
    ok_ = false;
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
  return v;
}

ff::uint128_t ByteReader::u128() {
  const uint64_t hi = be(8);
  const uint64_t lo = be(8);
  return (static_cast<ff::uint128_t>(hi) << 64) | lo;
}

std::span<const uint8_t> ByteReader::bytes(std::size_t n) {
  if (!ok_ || in_.size() - pos_ < n) {
    ok_ = false;
    return {};
  }
  std::span<const uint8_t> s(reinterpret_cast<const uint8_t*>(in_.data()) + pos_, n);
  pos_ += n;
  return s;
}

U256 ByteReader::u256() {
  const auto b = bytes(32);
  return ok_ ? ff::from_bytes_be(b.data()) : U256{};
}

ff::Fr ByteReader::fr() {
  const auto b = bytes(32);
  if (!ok_) return ff::Fr::zero();
  const auto v = ff::Fr::from_bytes_be(b.data());
  if (!v) {
    ok_ = false;
    return ff::Fr::zero();
  }
  return *v;
}

ff::uint128_t to_u128(const U256& v) noexcept { return (static_cast<ff::uint128_t>(v[1]) << 64) | v[0]; }
U256 to_u256(ff::uint128_t v) noexcept { return U256{static_cast<uint64_t>(v), static_cast<uint64_t>(v >> 64), 0, 0}; }

std::string encode_account(const state::Account& a) {
  std::string out;
  ByteWriter w(out);
  w.u32(a.index);
  w.fr(a.public_key.x);
  w.fr(a.public_key.y);
  w.u64(a.nonce);
  w.u16(static_cast<uint16_t>(a.balances.size()));
  for (const auto& [token, amount] : a.balances) {
    w.u16(static_cast<uint16_t>(token));
    w.u128(to_u128(amount));
  }
  return out;
}

std::optional<state::Account> decode_account(std::string_view in) {
  ByteReader r(in);
  state::Account a;
  a.index = r.u32();
  a.public_key.x = r.fr();
  a.public_key.y = r.fr();
  a.nonce = r.u64();
  const uint16_t n = r.u16();
  for (uint16_t i = 0; i < n && r.ok(); ++i) {
    const uint16_t token = r.u16();
    a.balances[token] = to_u256(r.u128());
  }
  if (!r.done() || a.balances.size() != n) return std::nullopt;
  return a;
}

std::string encode_token(const state::Token& t) {
  std::string out;
  ByteWriter w(out);
  w.u32(t.id);
  w.bytes(t.l1_address);
  w.u8(t.is_lp ? 1 : 0);
  return out;
}

std::optional<state::Token> decode_token(std::string_view in) {
  ByteReader r(in);
  state::Token t;
  t.id = r.u32();
  const auto addr = r.bytes(20);
  if (r.ok()) std::copy(addr.begin(), addr.end(), t.l1_address.begin());
  const uint8_t lp = r.u8();
  if (!r.done() || lp > 1) return std::nullopt;
  t.is_lp = lp == 1;
  return t;
}

std::string encode_pool(const state::Pool& p) {
  std::string out;
  ByteWriter w(out);
  w.u32(p.token0);
  w.u32(p.token1);
  w.u32(p.lp_token);
  w.u256(p.reserve0);
  w.u256(p.reserve1);
  w.u256(p.total_supply);
  return out;
}

std::optional<state::Pool> decode_pool(std::string_view in) {
  ByteReader r(in);
  state::Pool p;
  p.token0 = r.u32();
  p.token1 = r.u32();
  p.lp_token = r.u32();
  p.reserve0 = r.u256();
  p.reserve1 = r.u256();
  p.total_supply = r.u256();
  if (!r.done()) return std::nullopt;
  return p;
}

namespace {
bool is_lp_exit(const tx::Tx& t) noexcept {
  const auto* f = std::get_if<tx::FullExit>(&t);
  return f != nullptr && f->token >= tx::kFirstLpTokenId;
}
}  // namespace

void write_executed(ByteWriter& w, const tx::Tx& t, const tx::Executed& e) {
  w.u128(e.amount_in);
  w.u128(e.amount_out);
  w.u128(e.liquidity);
  w.u16(e.lp_token);
  if (is_lp_exit(t)) {
    w.u16(e.token0);
    w.u16(e.token1);
  }
}

tx::Executed read_executed(ByteReader& r, const tx::Tx& t) {
  tx::Executed e;
  e.amount_in = r.u128();
  e.amount_out = r.u128();
  e.liquidity = r.u128();
  e.lp_token = r.u16();
  if (is_lp_exit(t)) {
    e.token0 = r.u16();
    e.token1 = r.u16();
  }
  return e;
}

namespace {

void write_tx(ByteWriter& w, const tx::Tx& t) {
  const auto enc = tx::encode(t);
  w.u16(static_cast<uint16_t>(enc.size()));
  w.bytes(enc);
}

}  // namespace

std::optional<tx::Tx> read_tx(ByteReader& r) {
  const uint16_t n = r.u16();
  const auto b = r.bytes(n);
  if (!r.ok()) return std::nullopt;
  return tx::decode(b);
}

std::string encode_block(const Block& b) {
  std::string out;
  out.reserve(64 + b.txs.size() * 200);
  ByteWriter w(out);
  w.u64(b.header.number);
  w.u64(b.header.timestamp);
  w.bytes(b.header.parent_hash);
  w.bytes(b.header.hash);
  w.u32(b.header.tx_count);
  for (const auto& t : b.txs) {
    w.bytes(t.hash);
    write_tx(w, t.tx);
    write_executed(w, t.tx, t.executed);
  }
  // The leader's term (sequencer group fencing token) goes last, and only when set, so records
  // written before terms existed still decode (as term 0).
  if (b.header.term != 0 || b.header.close_batch != 0) w.u64(b.header.term);
  // The group's batch cut after the term, only when set (older records end before it).
  if (b.header.close_batch != 0) w.u64(b.header.close_batch);
  return out;
}

namespace {
void read_hash(ByteReader& r, Hash& h) {
  const auto b = r.bytes(32);
  if (r.ok()) std::copy(b.begin(), b.end(), h.begin());
}
}  // namespace

namespace {
// The fields before the txs; false when they are cut short.
bool read_block_header(ByteReader& r, BlockHeader& h) {
  h.number = r.u64();
  h.timestamp = r.u64();
  read_hash(r, h.parent_hash);
  read_hash(r, h.hash);
  h.tx_count = r.u32();
  return r.ok();
}

std::optional<BlockTx> read_block_tx(ByteReader& r) {
  BlockTx t;
  read_hash(r, t.hash);
  auto decoded = read_tx(r);
  if (!decoded) return std::nullopt;
  t.tx = std::move(*decoded);
  t.executed = read_executed(r, t.tx);
  if (!r.ok()) return std::nullopt;
  return t;
}
}  // namespace

std::optional<Block> decode_block(std::string_view in) {
  ByteReader r(in);
  Block b;
  if (!read_block_header(r, b.header)) return std::nullopt;
  b.txs.reserve(std::min<std::size_t>(b.header.tx_count, in.size() / 32));
  for (uint32_t i = 0; i < b.header.tx_count; ++i) {
    auto t = read_block_tx(r);
    if (!t) return std::nullopt;
    b.txs.push_back(std::move(*t));
  }
  if (!r.done()) {
    b.header.term = r.u64();
    if (!r.ok()) return std::nullopt;
    if (!r.done()) {
      b.header.close_batch = r.u64();
      if (!r.done() || b.header.close_batch == 0) return std::nullopt;
    } else if (b.header.term == 0) {
      return std::nullopt;
    }
  }
  return b;
}

std::optional<BlockTx> decode_block_tx(std::string_view in, uint32_t position) {
  ByteReader r(in);
  BlockHeader h;
  if (!read_block_header(r, h) || position >= h.tx_count) return std::nullopt;
  // The entries before it are skipped, not decoded: only an LP full exit's Executed is longer,
  // so only a full exit's tx is decoded, to tell (the lookup is then ~3x cheaper in a block of
  // swaps). The tx at the position is decoded whole and its hash checked by the caller.
  for (uint32_t i = 0; i < position; ++i) {
    (void)r.bytes(32);
    const auto enc = r.bytes(r.u16());
    if (!r.ok() || enc.empty()) return std::nullopt;
    if (enc[0] == static_cast<uint8_t>(tx::TxType::FullExit)) {
      const auto t = tx::decode(enc);
      if (!t) return std::nullopt;
      (void)read_executed(r, *t);
    } else {
      (void)read_executed(r, tx::Tx{});  // the layout of every other kind
    }
  }
  return read_block_tx(r);
}

std::string encode_batch(const Batch& b) {
  std::string out;
  ByteWriter w(out);
  const auto& h = b.header;
  w.u64(h.number);
  w.u64(h.timestamp);
  w.fr(h.old_root);
  w.fr(h.new_root);
  w.u64(h.priority_first);
  w.u32(h.priority_count);
  w.u32(tx::kind_and_slots(h.kind, h.num_slots));
  w.u32(h.num_tokens);
  w.u8(b.root_ready ? 1 : 0);
  for (const auto& s : b.slots) {
    w.bytes(s.hash);
    w.u64(s.block);
    w.u32(s.position);
    write_tx(w, s.tx);
    write_executed(w, s.tx, s.executed);
  }
  return out;
}

std::optional<Batch> decode_batch(std::string_view in) {
  ByteReader r(in);
  Batch b;
  auto& h = b.header;
  h.number = r.u64();
  h.timestamp = r.u64();
  h.old_root = r.fr();
  h.new_root = r.fr();
  h.priority_first = r.u64();
  h.priority_count = r.u32();
  const uint32_t kind_slots = r.u32();
  const uint32_t kind = kind_slots >> 24;
  h.kind = static_cast<BatchKind>(kind);
  h.num_slots = kind_slots & tx::batch_header::kMaxNumSlots;
  const uint32_t num_tokens = r.u32();
  h.num_tokens = static_cast<uint16_t>(num_tokens);
  const uint8_t ready = r.u8();
  if (!r.ok() || num_tokens > 0xffff || ready > 1 || kind >= tx::kNumBatchKinds || h.num_slots > (1u << 20)) return std::nullopt;
  b.root_ready = ready == 1;
  for (uint32_t i = 0; i < h.num_slots; ++i) {
    BatchSlot s;
    read_hash(r, s.hash);
    s.block = r.u64();
    s.position = r.u32();
    auto decoded = read_tx(r);
    if (!decoded) return std::nullopt;
    s.tx = std::move(*decoded);
    s.executed = read_executed(r, s.tx);
    if (!r.ok()) return std::nullopt;
    b.slots.push_back(std::move(s));
  }
  if (!r.done()) return std::nullopt;
  b.pubdata = batch_pubdata(b.slots, h.kind);
  if (b.pubdata.empty() && !b.slots.empty()) return std::nullopt;
  return b;
}

std::string encode_location(const TxLocation& l) {
  std::string out;
  ByteWriter w(out);
  w.u64(l.block);
  w.u32(l.position);
  w.u64(l.received);
  w.u64(l.accepted);
  w.u64(l.soft);
  return out;
}

std::optional<TxLocation> decode_location(std::string_view in) {
  ByteReader r(in);
  TxLocation l;
  l.block = r.u64();
  l.position = r.u32();
  l.received = r.u64();
  l.accepted = r.u64();
  l.soft = r.u64();
  if (!r.done()) return std::nullopt;
  return l;
}

Hash block_hash(const BlockHeader& h, std::span<const BlockTx> txs) {
  std::string buf;
  buf.reserve(60 + 32 * txs.size());
  ByteWriter w(buf);
  w.u64(h.number);
  w.u64(h.timestamp);
  w.bytes(h.parent_hash);
  w.u32(h.tx_count);
  for (const auto& t : txs) w.bytes(t.hash);
  return hash::keccak256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buf.data()), buf.size()));
}

std::vector<uint8_t> batch_pubdata(std::span<const BatchSlot> slots, BatchKind kind) {
  std::vector<uint8_t> out;
  if (kind == BatchKind::Swap) {
    out.reserve(slots.size() * tx::kSwapSlotBytes);
    for (const auto& s : slots) {
      const auto slot = tx::type_of(s.tx) == tx::TxType::Noop ? std::optional<tx::SwapSlot>(tx::SwapSlot{})
                                                                : tx::swap_slot_of(s.tx, s.executed);
      if (!slot) return {};
      tx::append_swap_slot(out, *slot);
    }
    return out;
  }
  out.reserve(slots.size() * kSlotPubdataBytes);
  for (const auto& s : slots) tx::append_slot_public_data(out, s.tx, s.executed);
  return out;
}

ff::Fr Batch::public_input() const {
  const auto h = header.encode();
  std::vector<uint8_t> msg(h.begin(), h.end());
  msg.insert(msg.end(), pubdata.begin(), pubdata.end());
  auto d = hash::sha256(msg);
  d[0] &= 0x1f;  // clear the top 3 bits of the big-endian integer: < 2^253 < r
  return *ff::Fr::from_bytes_be(d.data());
}

}  // namespace zkamm::node
