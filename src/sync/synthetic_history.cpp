#include "sync/synthetic_history.hpp"

#include <random>

#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "tx/execute.hpp"
#include "tx/public_data.hpp"
#include "tx/swap_public_data.hpp"

namespace zkamm::sync {
namespace {

constexpr tx::Amount kE18 = 1'000'000'000'000'000'000ull;

struct Builder {
  const HistoryParams& p;
  History h;
  state::State s;
  state::StateTrees trees = state::StateTrees::build(s);
  state::Touched touched;
  ff::Fr prev_root = trees.root();
  uint64_t serial = 0;
  uint32_t batches_since_root = 0;
  std::vector<uint8_t> pubdata;
  uint32_t used = 0;
  tx::BatchKind kind = tx::BatchKind::Universal;

  explicit Builder(const HistoryParams& params) : p(params) {}

  void apply(const tx::Tx& t) {
    const tx::ExecResult r = tx::execute(s, t, tx::Domain{}, tx::ExecOptions{0, false});
    if (!r.ok()) return;  // a random swap the pool refuses is simply not published
    tx::collect_touched(s, t, touched);
    if (kind == tx::BatchKind::Swap) {
      auto slot = tx::swap_slot_of(t, r.executed);
      tx::append_swap_slot(pubdata, *slot);
    } else {
      tx::append_slot_public_data(pubdata, t, r.executed);
    }
    ++used;
    if (t.index() == static_cast<size_t>(tx::TxType::SwapExactIn)) ++h.swaps;
    if (used == p.slots) close();
  }

  void begin(tx::BatchKind k) {
    if (used != 0 && k != kind) close();
    kind = k;
  }

  void close() {
    if (used == 0) return;
    for (; used < p.slots; ++used) {
      if (kind == tx::BatchKind::Swap) tx::append_swap_slot(pubdata, tx::SwapSlot{});
      else tx::append_slot_public_data(pubdata, tx::Tx{tx::Noop{}});
    }
    L1Batch b;
    b.number = h.batches.size() + 1;
    ++batches_since_root;
    ff::Fr root;
    if (batches_since_root >= p.root_every) {
      trees.sync(s, touched);
      touched = {};
      root = trees.root();
      batches_since_root = 0;
    } else {
      root = ff::Fr::from_u64(0x5eed0000ull + b.number);  // a placeholder the chain of headers carries
    }
    const tx::BatchHeader header{.number = b.number,
                                 .timestamp = 1'700'000'000 + b.number,
                                 .old_root = prev_root,
                                 .new_root = root,
                                 .kind = kind,
                                 .num_slots = p.slots,
                                 .num_tokens = static_cast<uint16_t>(s.num_tokens())};
    const tx::BatchHeaderBytes hb = header.encode();
    b.header.assign(hb.begin(), hb.end());
    b.pubdata = std::move(pubdata);
    pubdata.clear();
    b.stored_root = root;
    b.commit_block = b.number;
    b.final_block = b.number;
    h.batches.push_back(std::move(b));
    prev_root = root;
    used = 0;
  }

  uint32_t nonce(uint32_t a) const { return static_cast<uint32_t>(s.account(a)->nonce); }
};

}  // namespace

History make_history(const HistoryParams& p) {
  Builder b(p);
  std::mt19937_64 rng(p.seed);
  for (uint16_t t = 1; t <= 2; ++t) {
    l1::Address a{};
    a[19] = static_cast<uint8_t>(t);
    state::TokenId id = 0;
    state::L1Address la{};
    std::copy(a.begin(), a.end(), la.begin());
    (void)b.s.add_token(la, id);
    b.h.tokens.emplace_back(t, a);
  }
  // Keys: a few distinct ones, shared round robin (a replay does not care whose key it is).
  std::vector<tx::PackedPubKey> keys;
  for (uint8_t i = 1; i <= 8; ++i) {
    hash::PrivateKey k{};
    k[0] = i;
    keys.push_back(ec::pack_point(hash::eddsa_public_key(k)));
  }
  b.begin(tx::BatchKind::Universal);
  for (uint32_t a = 1; a <= p.accounts; ++a) {
    b.apply(tx::CreateAccount{b.serial++, a, keys[a % keys.size()]});
    b.apply(tx::Deposit{b.serial++, a, 1, 1000 * kE18});
    b.apply(tx::Deposit{b.serial++, a, 2, 1000 * kE18});
    if (a <= 4) b.apply(tx::Deposit{b.serial++, a, 0, 10 * kE18});
  }
  // Two pools with LP positions of accounts 1..4.
  b.apply(tx::CreatePool{1, 1, 2, b.nonce(1), {}});
  b.apply(tx::CreatePool{2, 0, 1, b.nonce(2), {}});
  for (uint32_t a = 1; a <= std::min<uint32_t>(4, p.accounts); ++a) {
    b.apply(tx::AddLiquidity{a, 1, 2, 300 * kE18, 300 * kE18, 0, 0, ~uint64_t{0}, b.nonce(a), {}});
    b.apply(tx::AddLiquidity{a, 0, 1, 2 * kE18, 20 * kE18, 0, 0, ~uint64_t{0}, b.nonce(a), {}});
  }
  b.close();
  uint64_t swap_batches = 0;
  for (uint64_t i = 0; i < p.swaps;) {
    b.begin(p.swap_batches ? tx::BatchKind::Swap : tx::BatchKind::Universal);
    const uint32_t a = 1 + static_cast<uint32_t>(rng() % p.accounts);
    const bool pool0 = rng() % 4 != 0;
    const bool dir = rng() % 2 == 0;
    const uint16_t tin = pool0 ? (dir ? 1 : 2) : (dir ? 0 : 1);
    const uint16_t tout = pool0 ? (dir ? 2 : 1) : (dir ? 1 : 0);
    const tx::Amount amount = static_cast<tx::Amount>(1 + rng() % 999) * (tin == 0 ? 1'000'000'000'000ull : 10'000'000'000'000'000ull);
    const size_t before = b.h.batches.size();
    const uint64_t had = b.h.swaps;
    b.apply(tx::SwapExactIn{a, tin, tout, amount, 0, ~uint64_t{0}, b.nonce(a), {}});
    i += b.h.swaps - had;
    if (b.h.swaps == had) ++i;  // refused (e.g. a drained balance): counts as an attempt
    if (b.h.batches.size() != before && p.transfers_every != 0 && ++swap_batches % p.transfers_every == 0) {
      b.begin(tx::BatchKind::Universal);
      const uint32_t x = 1 + static_cast<uint32_t>(rng() % p.accounts);
      const uint32_t y = 1 + static_cast<uint32_t>(rng() % p.accounts);
      b.apply(tx::Transfer{x, y, 1, kE18, b.nonce(x), {}});
      tx::L1Address to{};
      to[0] = 0xaa;
      b.apply(tx::Withdraw{y, 2, kE18 / 2, to, b.nonce(y), {}});
      b.close();
    }
  }
  b.close();
  // The last batch's root is always a true one.
  if (!b.h.batches.empty() && b.batches_since_root != 0) {
    b.trees.sync(b.s, b.touched);
    L1Batch& last = b.h.batches.back();
    last.stored_root = b.trees.root();
    last.stored_root.to_bytes_be(last.header.data() + tx::batch_header::kNewRoot.offset);
  }
  b.h.final_state = b.s;
  b.h.final_root = b.trees.root();
  return std::move(b.h);
}

}  // namespace zkamm::sync
