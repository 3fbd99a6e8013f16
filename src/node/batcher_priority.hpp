#pragma once
// The batcher thread's CPU priority (Linux: per thread; see BatcherPriority).
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace zkamm::node {

/// Batch roots may lag behind the blocks (bounded by max_batch_backlog); soft finality may not.
/// While its backlog is short the batcher runs `nice` steps nicer, so its tree updates wait for
/// the verifiers, writer and sealer when the cores are busy and cost nothing when they are idle.
/// When the backlog grows it returns to the normal priority so that the node sustains what it
/// accepts; raising the priority back needs CAP_SYS_NICE (or RLIMIT_NICE), and without it the
/// backlog limit sheds load instead. Acts on the thread that constructed it.
class BatcherPriority {
 public:
  /// The backlog (batches) at which the normal priority returns. A leader (or a node on its own):
  /// soon, since its roots feed the prover. A group's follower: at half the leader's shedding
  /// limit, since nothing reads its roots until it is promoted, and on shared cores the members'
  /// tree updates cost as much as everything else the group does (a leader's backlog above that
  /// sheds load anyway); once promoted, the leader's bound applies.
  static constexpr uint64_t raise_at(bool following, uint32_t max_batch_backlog) noexcept {
    return following ? std::max<uint64_t>(max_batch_backlog / 2, kLeaderRaise) : kLeaderRaise;
  }

  explicit BatcherPriority(int nice) noexcept
      : nice_(nice), tid_(static_cast<id_t>(::syscall(SYS_gettid))), base_(::getpriority(PRIO_PROCESS, tid_)) {}

  /// backlog: batches waiting for their roots, this one included; raise: raise_at(...).
  void update(uint64_t backlog, uint64_t raise) noexcept {
    if (nice_ <= 0) return;
    if (!lowered_ && backlog <= kLower) {
      lowered_ = ::setpriority(PRIO_PROCESS, tid_, base_ + nice_) == 0;
    } else if (lowered_ && backlog >= raise && can_raise_) {
      if (::setpriority(PRIO_PROCESS, tid_, base_) == 0) {
        lowered_ = false;
      } else {
        can_raise_ = false;
        spdlog::warn("node: the batcher cannot regain its CPU priority (no CAP_SYS_NICE); it stays {} nicer",
                     nice_);
      }
    }
  }
  bool lowered() const noexcept { return lowered_; }

  static constexpr uint64_t kLeaderRaise = 16;
  static constexpr uint64_t kLower = 2;

 private:
  int nice_;
  id_t tid_;
  int base_;
  bool lowered_ = false;
  bool can_raise_ = true;
};

}  // namespace zkamm::node
