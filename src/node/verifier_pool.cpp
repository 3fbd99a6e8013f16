// The verifier pool (submit_async): signature checks in Poseidon/EdDSA batches, then submit_tx.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "hash/eddsa_batch.hpp"
#include "hash/poseidon_batch.hpp"
#include "node/node_impl.hpp"
#include "tx/encoding.hpp"
#include "tx/message.hpp"

namespace zkamm::node {

namespace {

/// tx::verify(*txs[i], keys[i]->prepared_key(), d) for every i with txs[i] and keys[i] set
/// (nullopt for the others), with the group's message hashes and EdDSA hm hashes each computed
/// in one Poseidon batch (hash/poseidon_batch.hpp).
std::vector<std::optional<bool>> verify_group(const std::vector<std::optional<tx::Tx>>& txs,
                                              const std::vector<const KeyTable::Entry*>& keys, const tx::Domain& d) {
  std::vector<std::optional<bool>> out(txs.size());
  std::vector<std::size_t> candidates;
  std::vector<const uint8_t*> packed;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (!txs[i] || keys[i] == nullptr) continue;
    const tx::PackedSignature* p = nullptr;
    std::visit(
        [&](const auto& x) {
          if constexpr (requires { x.signature; }) p = &x.signature;
        },
        *txs[i]);
    if (p == nullptr) {
      out[i] = false;  // what tx::verify answers for these
      continue;
    }
    candidates.push_back(i);
    packed.push_back(p->data());
  }
  std::vector<std::optional<hash::EddsaSignature>> unpacked(packed.size());
  hash::unpack_signatures(packed, unpacked);
  std::vector<std::size_t> live;
  std::vector<std::array<ff::Fr, tx::kMessageInputs>> inputs;
  std::vector<hash::EddsaSignature> sigs;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    const std::size_t i = candidates[c];
    const auto& sig = unpacked[c];
    const auto e = sig ? tx::message_inputs(*txs[i], d) : std::nullopt;
    if (!e) {
      out[i] = false;  // what tx::verify answers for these
      continue;
    }
    live.push_back(i);
    inputs.push_back(*e);
    sigs.push_back(*sig);
  }
  std::vector<ff::Fr> m(live.size());
  hash::poseidon_batch<tx::kMessageInputs>(inputs, m);
  std::vector<hash::EddsaPreparedItem> items(live.size());
  for (std::size_t k = 0; k < live.size(); ++k) items[k] = {&keys[live[k]]->prepared_key(), m[k], sigs[k]};
  const std::vector<bool> ok = hash::eddsa_verify_poseidon_batch_prepared(items);
  for (std::size_t k = 0; k < live.size(); ++k) out[live[k]] = ok[k];
  return out;
}

}  // namespace

void Node::Impl::verifier_loop() {
  // Up to this many queued transactions are taken at once so that their signature hashes run in
  // Poseidon batches. Fewer than kVerifyFill wait for company up to verify_linger after the oldest
  // was queued; under load the queue fills at once and nobody waits.
  constexpr std::size_t kGroup = 16;
  std::vector<VerifyJob> jobs;
  UniqueLock lk(verify_mu);
  for (;;) {
    verify_cv.wait(lk.native(), [&]() REQUIRES(verify_mu) { return verify_stop || !verify_queue.empty(); });
    if (verify_queue.empty()) return;
    if (!verify_stop && verify_queue.size() < kVerifyFill && cfg.verify_linger.count() > 0) {
      verify_cv.wait_until(lk.native(), verify_queue.front().queued + cfg.verify_linger,
                           [&]() REQUIRES(verify_mu) { return verify_stop || verify_queue.size() >= kVerifyFill; });
      if (verify_queue.empty()) continue;  // another verifier took them
    }
    jobs.clear();
    while (!verify_queue.empty() && jobs.size() < kGroup) {
      jobs.push_back(std::move(verify_queue.front()));
      verify_queue.pop_front();
    }
    if (!verify_queue.empty()) verify_cv.notify_one();  // the rest for another verifier
    lk.unlock();
    const TimeMs received = now_ms();
    std::vector<std::optional<tx::Tx>> txs(jobs.size());
    std::vector<const KeyTable::Entry*> group_keys(jobs.size(), nullptr);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      txs[i] = tx::decode(jobs[i].bytes);
      if (!cfg.check_signatures || !txs[i] || !tx::in_range(*txs[i])) continue;
      if (const auto account = tx::signer_account(*txs[i])) group_keys[i] = keys.get(*account);
    }
    const std::vector<std::optional<bool>> sig_ok =
        cfg.check_signatures ? verify_group(txs, group_keys, cfg.domain) : std::vector<std::optional<bool>>(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      SubmitResult r;
      if (txs[i]) {
        r = submit_tx(std::move(*txs[i]), received, sig_ok[i], /*notify_writer=*/false);
      } else {
        r = SubmitResult{false, RejectCode::kMalformed, "transaction bytes do not decode", {}};
      }
      if (jobs[i].done) jobs[i].done(r);
    }
    writer_cv.notify_one();  // once per group: each notify can cost a futex call
    lk.lock();
  }
}

}  // namespace zkamm::node
