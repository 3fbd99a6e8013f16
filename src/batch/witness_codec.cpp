#include "batch/witness_codec.hpp"

#include <type_traits>

namespace zkamm::batch {
namespace {

constexpr uint8_t kMagic[4] = {'Z', 'K', 'B', 'W'};
constexpr uint8_t kVersion = 3;  // 2: pair tree, pool count, token count; 3: LP full exits (2026-12-06)

// One list of fields serves both directions, so encoder and decoder cannot drift apart.
template <class Slot, class F>
void slot_fields(Slot& s, F&& f) {
  f(s.type);
  f(s.account_a);
  f(s.a_exists);
  f(s.a_pk_x);
  f(s.a_pk_y);
  f(s.a_nonce);
  f(s.a_balance_root);
  f(s.a_account_path);
  f(s.token_x);
  f(s.token_y);
  f(s.bal_x);
  f(s.bal_y);
  f(s.bal_z);
  f(s.path_x);
  f(s.path_y);
  f(s.path_z);
  f(s.account_b);
  f(s.b_pk_x);
  f(s.b_pk_y);
  f(s.b_nonce);
  f(s.b_balance_root);
  f(s.b_account_path);
  f(s.bal_b);
  f(s.path_b);
  f(s.pool_id);
  f(s.zero_for_one);
  f(s.lp_exit);
  f(s.pool_leaf_old);
  f(s.reserve0);
  f(s.reserve1);
  f(s.supply);
  f(s.pool_path);
  f(s.pair_leaf_old);
  f(s.pair_path);
  f(s.amt1);
  f(s.amt2);
  f(s.amt3);
  f(s.limit);
  f(s.desired_a);
  f(s.desired_b);
  f(s.min_a);
  f(s.min_b);
  f(s.deadline);
  f(s.l1_address);
  f(s.r8_x);
  f(s.r8_y);
  f(s.s);
}

template <class W, class F>
void batch_fields(W& w, F&& f) {
  f(w.batch_number);
  f(w.timestamp);
  f(w.priority_first);
  f(w.account_root_old);
  f(w.pool_root_old);
  f(w.pair_root_old);
  f(w.num_pools_old);
  f(w.num_tokens);
  f(w.header);
  f(w.pubdata);
  f(w.old_root);
  f(w.new_root);
  f(w.public_input);
}

class Writer {
 public:
  std::vector<uint8_t> out;

  void uint(uint64_t v, unsigned bytes) {
    for (unsigned i = bytes; i-- > 0;) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void operator()(bool v) { uint(v ? 1 : 0, 1); }
  void operator()(uint32_t v) { uint(v, 4); }
  void operator()(uint64_t v) { uint(v, 8); }
  void operator()(tx::TxType v) { uint(static_cast<uint8_t>(v), 1); }
  void operator()(const ff::U256& v) {
    uint8_t b[32];
    ff::to_bytes_be(v, b);
    out.insert(out.end(), b, b + 32);
  }
  void operator()(const Fr& v) {
    uint8_t b[32];
    v.to_bytes_be(b);
    out.insert(out.end(), b, b + 32);
  }
  void operator()(const std::vector<Fr>& v) {
    uint(v.size(), 2);
    for (const Fr& x : v) (*this)(x);
  }
  void operator()(const std::vector<uint8_t>& v) {
    uint(v.size(), 4);
    out.insert(out.end(), v.begin(), v.end());
  }
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}
  bool ok = true;

  bool done() const { return ok && pos_ == in_.size(); }
  uint64_t uint(unsigned bytes) {
    if (!ok || in_.size() - pos_ < bytes) {
      ok = false;
      return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v = (v << 8) | in_[pos_++];
    return v;
  }
  void operator()(bool& v) {
    const uint64_t b = uint(1);
    if (b > 1) ok = false;
    v = b == 1;
  }
  void operator()(uint32_t& v) { v = static_cast<uint32_t>(uint(4)); }
  void operator()(uint64_t& v) { v = uint(8); }
  void operator()(tx::TxType& v) {
    const uint64_t t = uint(1);
    if (t >= tx::kTxTypeCount) ok = false;
    v = static_cast<tx::TxType>(t);
  }
  void operator()(ff::U256& v) {
    if (!take(32)) return;
    v = ff::from_bytes_be(in_.data() + pos_ - 32);
  }
  void operator()(Fr& v) {
    if (!take(32)) return;
    auto f = Fr::from_bytes_be(in_.data() + pos_ - 32);
    if (!f) ok = false;
    else v = *f;
  }
  void operator()(std::vector<Fr>& v) {
    const uint64_t n = uint(2);
    if (n > kMaxPathLength) ok = false;
    if (!ok) return;
    v.assign(n, Fr::zero());
    for (Fr& x : v) (*this)(x);
  }
  void operator()(std::vector<uint8_t>& v) {
    const uint64_t n = uint(4);
    if (!ok || n > in_.size() - pos_) {
      ok = false;
      return;
    }
    v.assign(in_.begin() + static_cast<std::ptrdiff_t>(pos_), in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
  }

 private:
  bool take(std::size_t n) {
    if (!ok || in_.size() - pos_ < n) {
      ok = false;
      return false;
    }
    pos_ += n;
    return true;
  }
  std::span<const uint8_t> in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<uint8_t> encode_witness(const BatchWitness& w) {
  Writer wr;
  wr.out.insert(wr.out.end(), std::begin(kMagic), std::end(kMagic));
  wr.uint(kVersion, 1);
  batch_fields(w, wr);
  wr.uint(w.slots.size(), 4);
  for (const SlotWitness& s : w.slots) slot_fields(s, wr);
  return std::move(wr.out);
}

std::optional<BatchWitness> decode_witness(std::span<const uint8_t> bytes) {
  Reader rd(bytes);
  for (uint8_t m : kMagic) {
    if (rd.uint(1) != m) return std::nullopt;
  }
  if (rd.uint(1) != kVersion) return std::nullopt;
  BatchWitness w;
  batch_fields(w, rd);
  const uint64_t n = rd.uint(4);
  if (!rd.ok || n > kMaxWitnessSlots) return std::nullopt;
  w.slots.resize(n);
  for (SlotWitness& s : w.slots) {
    slot_fields(s, rd);
    if (!rd.ok) return std::nullopt;
  }
  if (!rd.done()) return std::nullopt;
  return w;
}

}  // namespace zkamm::batch
