// The node's side of a sequencer group (docs/NODE.md "Sequencer group"): a follower applies the
// leader's blocks and tokens in order (through the writer), forwards sends, and is promoted to
// leader. Who leads is decided above the node (src/cluster); the node only knows its role.
#include <spdlog/spdlog.h>

#include "node/node_impl.hpp"

namespace zkamm::node {

bool Node::Impl::forward_if_follower(std::vector<uint8_t>& encoded, std::function<void(const SubmitResult&)>& done) {
  Node::Forwarder f;
  {
    LockGuard lk(mp_mu);
    if (!follower) return false;
    f = forwarder;
  }
  if (f) {
    f(std::move(encoded), std::move(done));
  } else if (done) {
    done(SubmitResult{false, RejectCode::kNotLeader, "this node follows the group's leader, which is unknown", {}});
  }
  return true;
}

bool Node::Impl::queue_replicated(Replicated item, std::string* why) {
  {
    LockGuard lk(mp_mu);
    std::string err;
    if (stopping) err = "node is stopping";
    else if (!follower) err = "not a follower";
    else if (!diverged_reason.empty()) err = "diverged: " + diverged_reason;
    if (!err.empty()) {
      if (why) *why = err;
      return false;
    }
    replicated.push_back(std::move(item));
  }
  writer_cv.notify_one();
  return true;
}

bool Node::apply_replicated(std::shared_ptr<const Block> block, std::string* why) {
  if (!impl_->error.empty()) {
    if (why) *why = impl_->error;
    return false;
  }
  if (!block) return false;
  return impl_->queue_replicated(Replicated{std::move(block), std::nullopt, std::nullopt, nullptr}, why);
}

bool Node::apply_replicated_token(const state::L1Address& address) {
  if (!impl_->error.empty()) return false;
  return impl_->queue_replicated(Replicated{nullptr, address, std::nullopt, nullptr}, nullptr);
}

bool Node::promote(uint64_t term, std::chrono::milliseconds timeout) {
  if (!impl_->error.empty()) return false;
  auto done = std::make_shared<std::promise<void>>();
  auto fut = done->get_future();
  {
    LockGuard lk(impl_->mp_mu);
    if (!impl_->follower || impl_->stopping || !impl_->diverged_reason.empty()) return false;
    impl_->forwarder = nullptr;
    // After every block queued before: the writer turns leader when it reaches this item.
    impl_->replicated.push_back(Replicated{nullptr, std::nullopt, term, done});
  }
  impl_->writer_cv.notify_one();
  return fut.wait_for(timeout) == std::future_status::ready;
}

bool Node::is_follower() const {
  LockGuard lk(impl_->mp_mu);
  return impl_->follower;
}

std::string Node::diverged() const {
  LockGuard lk(impl_->mp_mu);
  return impl_->diverged_reason;
}

uint64_t Node::durable_head() const { return impl_->durable_head.load(std::memory_order_acquire); }

std::optional<Block> Node::durable_block(uint64_t number) const {
  if (!impl_->store || number > durable_head()) return std::nullopt;
  return impl_->store->block(number);
}

std::optional<std::pair<state::L1Address, uint64_t>> Node::token_registration(state::TokenId id) const {
  if (!impl_->store) return std::nullopt;
  const auto t = impl_->store->token(id);
  if (!t) return std::nullopt;
  return std::pair{t->first.l1_address, t->second};
}

uint32_t Node::num_tokens() const {
  ReaderLock lk(impl_->state_mu);
  return static_cast<uint32_t>(impl_->state.num_tokens());
}

void Node::set_forwarder(Forwarder f) {
  LockGuard lk(impl_->mp_mu);
  impl_->forwarder = std::move(f);
}

}  // namespace zkamm::node
