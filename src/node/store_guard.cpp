// The node's side of disk failures (docs/NODE.md "Failure modes"): the free-space guard that
// makes submit reject before the disk fills, and the retry of a store write that failed anyway.
#include <spdlog/spdlog.h>

#include "node/node_impl.hpp"
#include "node/store_health.hpp"

namespace zkamm::node {
namespace {

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

std::optional<uint64_t> Node::Impl::free_disk() const {
  return cfg.free_disk_probe ? cfg.free_disk_probe(cfg.data_dir) : free_disk_bytes(cfg.data_dir);
}

std::string Node::Impl::store_problem() const {
  LockGuard lk(health_mu);
  if (write_failed) return write_reason;
  if (disk_low) return disk_reason;
  return {};
}

void Node::Impl::disk_guard_loop() {
  if (cfg.min_free_disk_bytes == 0) return;
  const uint64_t resume_at =
      std::max(cfg.resume_free_disk_bytes != 0 ? cfg.resume_free_disk_bytes : 2 * cfg.min_free_disk_bytes,
               cfg.min_free_disk_bytes);
  UniqueLock lk(health_mu);
  while (!stop_requested) {
    lk.unlock();
    const std::optional<uint64_t> free = free_disk();
    lk.lock();
    if (free && !disk_low && *free < cfg.min_free_disk_bytes) {
      disk_reason = "disk nearly full: " + mib(*free) + " free in " + cfg.data_dir + ", under the " +
                    mib(cfg.min_free_disk_bytes) + " reserve; not accepting transactions until " + mib(resume_at) +
                    " are free";
      disk_low = true;
      spdlog::error("node: {}", disk_reason);
    } else if (free && disk_low && *free >= resume_at) {
      disk_low = false;
      disk_reason.clear();
      spdlog::warn("node: {} free in {} again; accepting transactions", mib(*free), cfg.data_dir);
    }
    health_cv.wait_for(lk.native(), cfg.disk_check_interval, [&] { return stop_requested.load(); });
  }
}

bool Node::Impl::wait_store_retry(const char* what) {
  {
    UniqueLock lk(health_mu);
    if (!write_failed) {
      write_reason = std::string("store write failed (") + what + " not written): " + store->last_error() +
                     "; not accepting transactions until it succeeds";
      write_failed = true;
      spdlog::error("node: {}", write_reason);
    }
    health_cv.wait_for(lk.native(), cfg.disk_check_interval, [&] { return stop_requested.load(); });
    if (stop_requested) return false;
  }
  // RocksDB refuses every write after a failed one until resumed; resuming flushes the memtables,
  // so it waits until the guard's resume threshold is free (any space if no guard).
  const std::optional<uint64_t> free = free_disk();
  const uint64_t need = cfg.min_free_disk_bytes == 0 ? 1 : cfg.min_free_disk_bytes;
  if (!free || *free >= need) (void)store->resume();
  return true;
}

void Node::Impl::store_write_ok() {
  LockGuard lk(health_mu);
  if (!write_failed) return;
  write_failed = false;
  write_reason.clear();
  spdlog::warn("node: store writes succeed again; accepting transactions");
}

bool Node::Impl::write_until_ok(rocksdb::WriteBatch& wb, bool sync, const std::string& what) {
  while (!store->write(wb, sync)) {
    if (!wait_store_retry(what.c_str())) return false;
  }
  if (write_failed.load(std::memory_order_relaxed)) store_write_ok();
  return true;
}

std::string Node::store_problem() const {
  if (!impl_->error.empty()) return impl_->error;
  return impl_->store_problem();
}

}  // namespace zkamm::node
