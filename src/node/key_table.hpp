#pragma once
// Signer keys for the verifier threads: an account's key never changes once the account exists,
// so threads other than the writer read keys here instead of the State (which only the writer
// touches). Also mirrors each account's executed nonce (an atomic the writer bumps) for the
// mempool's nonce window. Entries never move: chunks are allocated once and kept.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "ec/babyjubjub.hpp"
#include "ec/babyjubjub_fast.hpp"

namespace zkamm::node {

class KeyTable {
 public:
  struct Entry {
    ec::BabyJubAffine key;
    std::atomic<uint64_t> nonce{0};
    /// Built on the account's first signature check (6 KiB; only accounts that trade pay it),
    /// then reused: a prepared check costs about 0.7x a plain one. Set once, never freed while
    /// the table lives; a thread that loses the race to set it deletes its own copy.
    mutable std::atomic<const ec::BabyJubPreparedKey*> prepared{nullptr};

    const ec::BabyJubPreparedKey& prepared_key() const {
      if (const auto* p = prepared.load(std::memory_order_acquire)) return *p;
      auto fresh = std::make_unique<const ec::BabyJubPreparedKey>(key);
      const ec::BabyJubPreparedKey* expected = nullptr;
      if (prepared.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
      return *expected;
    }
    ~Entry() { delete prepared.load(std::memory_order_relaxed); }
  };

  /// Writer only; index == size().
  void add(uint32_t index, const ec::BabyJubAffine& key, uint64_t nonce) {
    std::unique_lock lk(mu_);
    const std::size_t chunk = index / kChunk;
    while (chunks_.size() <= chunk) chunks_.push_back(std::make_unique<std::array<Entry, kChunk>>());
    Entry& e = (*chunks_[chunk])[index % kChunk];
    e.key = key;
    e.nonce.store(nonce, std::memory_order_relaxed);
    size_.store(static_cast<std::size_t>(index) + 1, std::memory_order_release);
  }

  /// nullptr for an account that does not exist (yet).
  const Entry* get(uint32_t index) const {
    if (index >= size_.load(std::memory_order_acquire)) return nullptr;
    std::shared_lock lk(mu_);
    return &(*chunks_[index / kChunk])[index % kChunk];
  }
  Entry* get_mut(uint32_t index) { return const_cast<Entry*>(static_cast<const KeyTable*>(this)->get(index)); }

  std::size_t size() const noexcept { return size_.load(std::memory_order_acquire); }

 private:
  static constexpr std::size_t kChunk = 4096;
  mutable std::shared_mutex mu_;
  std::vector<std::unique_ptr<std::array<Entry, kChunk>>> chunks_;
  std::atomic<std::size_t> size_{0};
};

}  // namespace zkamm::node
