#pragma once
// Clang's thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html) and
// mutex wrappers that carry them, so that `clang++ -Wthread-safety` checks which lock guards
// which member of the node. Under g++ the macros expand to nothing and the wrappers cost nothing
// over std::mutex / std::shared_mutex.
#include <condition_variable>
#include <mutex>
#include <shared_mutex>

#if defined(__clang__)
#define ZK_TSA(x) __attribute__((x))
#else
#define ZK_TSA(x)
#endif

#define CAPABILITY(x) ZK_TSA(capability(x))
#define SCOPED_CAPABILITY ZK_TSA(scoped_lockable)
#define GUARDED_BY(x) ZK_TSA(guarded_by(x))
#define PT_GUARDED_BY(x) ZK_TSA(pt_guarded_by(x))
#define REQUIRES(...) ZK_TSA(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) ZK_TSA(requires_shared_capability(__VA_ARGS__))
#define EXCLUDES(...) ZK_TSA(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) ZK_TSA(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) ZK_TSA(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) ZK_TSA(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) ZK_TSA(release_shared_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) ZK_TSA(release_generic_capability(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS ZK_TSA(no_thread_safety_analysis)

namespace zkamm::node {

/// std::mutex as a capability. `native()` is for std::condition_variable only (through UniqueLock).
class CAPABILITY("mutex") Mutex {
 public:
  void lock() ACQUIRE() { m_.lock(); }
  void unlock() RELEASE() { m_.unlock(); }
  std::mutex& native() { return m_; }

 private:
  std::mutex m_;
};

/// std::shared_mutex as a capability: exclusive for the writer, shared for readers.
class CAPABILITY("mutex") SharedMutex {
 public:
  void lock() ACQUIRE() { m_.lock(); }
  void unlock() RELEASE() { m_.unlock(); }
  void lock_shared() ACQUIRE_SHARED() { m_.lock_shared(); }
  void unlock_shared() RELEASE_SHARED() { m_.unlock_shared(); }

 private:
  std::shared_mutex m_;
};

/// std::lock_guard for Mutex.
class SCOPED_CAPABILITY LockGuard {
 public:
  explicit LockGuard(Mutex& m) ACQUIRE(m) : m_(m) { m_.lock(); }
  ~LockGuard() RELEASE() { m_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Mutex& m_;
};

/// std::unique_lock for Mutex; `native()` is what a std::condition_variable waits on. A wait's
/// predicate is a lambda that reads guarded members: annotate it REQUIRES(the mutex).
class SCOPED_CAPABILITY UniqueLock {
 public:
  explicit UniqueLock(Mutex& m) ACQUIRE(m) : lk_(m.native()) {}
  ~UniqueLock() RELEASE() {}
  UniqueLock(const UniqueLock&) = delete;
  UniqueLock& operator=(const UniqueLock&) = delete;
  void lock() ACQUIRE() { lk_.lock(); }
  void unlock() RELEASE() { lk_.unlock(); }
  std::unique_lock<std::mutex>& native() { return lk_; }

 private:
  std::unique_lock<std::mutex> lk_;
};

/// Exclusive lock of a SharedMutex (the writer).
class SCOPED_CAPABILITY WriterLock {
 public:
  explicit WriterLock(SharedMutex& m) ACQUIRE(m) : m_(m) { m_.lock(); }
  ~WriterLock() RELEASE() { m_.unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  SharedMutex& m_;
};

/// Shared lock of a SharedMutex (readers).
class SCOPED_CAPABILITY ReaderLock {
 public:
  explicit ReaderLock(SharedMutex& m) ACQUIRE_SHARED(m) : m_(m) { m_.lock_shared(); }
  ~ReaderLock() RELEASE() { m_.unlock_shared(); }
  ReaderLock(const ReaderLock&) = delete;
  ReaderLock& operator=(const ReaderLock&) = delete;

 private:
  SharedMutex& m_;
};

}  // namespace zkamm::node
