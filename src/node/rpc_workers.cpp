#include "node/rpc_workers.hpp"

#include <pthread.h>

#include <algorithm>

namespace zkamm::node::rpc {

WorkerPool::WorkerPool(WorkerLimits limits) : limits_(limits) {
  const unsigned n = std::max(1u, limits_.threads);
  for (unsigned i = 0; i < n; ++i)
    threads_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "zk-rpc-work");  // shown by top -H
      run();
    });
}

WorkerPool::~WorkerPool() { stop(); }

WorkerPool::Submit WorkerPool::submit(uint64_t key, std::function<void()> job, bool continuation) {
  {
    std::lock_guard lock(mu_);
    if (stop_) return Submit::kStopped;
    if (!continuation && load_ >= limits_.max_queued) return Submit::kPoolFull;
    Conn& c = conns_[key];
    if (!continuation && c.jobs.size() + c.running >= limits_.per_connection) {
      if (c.jobs.empty() && c.running == 0) conns_.erase(key);
      return Submit::kConnectionFull;
    }
    if (c.jobs.empty()) turn_.push_back(key);
    c.jobs.push_back(std::move(job));
    ++load_;
  }
  cv_.notify_one();
  return Submit::kOk;
}

void WorkerPool::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !turn_.empty(); });
    if (stop_) return;
    const uint64_t key = turn_.front();
    turn_.pop_front();
    Conn& c = conns_[key];
    std::function<void()> job = std::move(c.jobs.front());
    c.jobs.pop_front();
    if (!c.jobs.empty()) turn_.push_back(key);  // its next job waits for every other connection's
    ++c.running;
    lock.unlock();
    try {
      job();
    } catch (...) {
      // Jobs answer their own errors (the dispatcher wraps them); nothing may kill a worker.
    }
    job = nullptr;  // its captures (a Responder) die outside the lock
    lock.lock();
    --load_;
    auto it = conns_.find(key);
    if (it != conns_.end() && --it->second.running == 0 && it->second.jobs.empty()) conns_.erase(it);
  }
}

void WorkerPool::stop() {
  std::unordered_map<uint64_t, Conn> dropped;
  {
    std::lock_guard lock(mu_);
    if (stop_ && threads_.empty()) return;
    stop_ = true;
    dropped.swap(conns_);
    turn_.clear();
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  dropped.clear();  // the queued calls' Responders answer "dropped"
}

std::size_t WorkerPool::load() const {
  std::lock_guard lock(mu_);
  return load_;
}

}  // namespace zkamm::node::rpc
