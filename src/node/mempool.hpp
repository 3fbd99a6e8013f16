#pragma once
// Pending L2 transactions (docs/NODE.md "Mempool"). Per account, a tx is "ready" when its nonce
// continues the account's executed nonce without a gap; later nonces wait (at most max_nonce_gap
// ahead) until the gap fills. Ready txs leave in arrival order, one FIFO for all accounts.
// Not thread-safe: the node guards it with one mutex.
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "node/node.hpp"

namespace zkamm::node {

struct HashHasher {
  std::size_t operator()(const Hash& h) const noexcept {
    std::size_t v;
    std::memcpy(&v, h.data(), sizeof v);
    return v;
  }
};

struct PendingTx {
  tx::Tx tx;
  Hash hash{};
  uint32_t account = 0;
  uint32_t nonce = 0;
  uint64_t deadline = UINT64_MAX;  ///< seconds; UINT64_MAX when the type has none
  TimeMs received = 0;
  TimeMs accepted = 0;
};
using PendingPtr = std::shared_ptr<PendingTx>;

struct MempoolLimits {
  uint32_t max_pending = 200000;
  uint32_t max_per_account = 1024;
  uint32_t max_nonce_gap = 64;
};

class Mempool {
 public:
  explicit Mempool(MempoolLimits limits) : limits_(limits) {}

  /// Adds p; `executed_nonce` is the signer's nonce in the live state (its next executable nonce).
  RejectCode insert(const PendingPtr& p, uint64_t executed_nonce);
  /// The pending (or executed but not yet sealed) tx with hash h.
  PendingPtr find(const Hash& h) const;

  /// Moves up to `max` ready txs, oldest first, to `out` (the writer executes them).
  void take_ready(std::size_t max, std::vector<PendingPtr>& out);
  /// The writer found p's nonce ahead of the state (an earlier tx of the account was rejected):
  /// p waits again. false when its nonce was meanwhile taken by a newer tx (p is then dropped
  /// from the pool and the caller reports it kNonceTaken).
  bool park(const PendingPtr& p);
  /// p executed; it stays findable until on_sealed.
  void on_executed(const PendingPtr& p);
  /// p failed with the state nonce `executed_nonce`; later nonces of the account wait again.
  void on_rejected(const PendingPtr& p, uint64_t executed_nonce);
  /// p's block is durable: forget it.
  void on_sealed(const Hash& h) { by_hash_.erase(h); }
  /// Drops waiting txs received before `oldest` or whose deadline is before `now_s`.
  void expire(TimeMs oldest, uint64_t now_s, std::vector<std::pair<PendingPtr, RejectCode>>& dropped);

  std::size_t pending() const noexcept { return total_; }  ///< not yet executed
  std::size_t ready() const noexcept { return ready_.size(); }
  std::size_t known() const noexcept { return by_hash_.size(); }

 private:
  struct Account {
    uint64_t ready_upto = 0;                 ///< next nonce to become ready
    std::map<uint32_t, PendingPtr> waiting;  ///< nonces beyond ready_upto
    uint32_t count = 0;                      ///< waiting + ready + in flight, not yet executed
  };
  void promote(Account& a, const PendingPtr& p);
  void drop_if_idle(uint32_t index);

  MempoolLimits limits_;
  std::unordered_map<Hash, PendingPtr, HashHasher> by_hash_;
  std::unordered_map<uint32_t, Account> accounts_;
  std::deque<PendingPtr> ready_;
  std::size_t total_ = 0;
};

}  // namespace zkamm::node
