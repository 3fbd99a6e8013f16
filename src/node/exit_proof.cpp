#include "node/exit_proof.hpp"

#include <map>

#include "hash/poseidon.hpp"
#include "node/node.hpp"
#include "tx/tx.hpp"

namespace zkamm::node {
namespace {

using ff::Fr;
using nlohmann::json;

Fr fr_of(const ff::U256& v) noexcept { return Fr::from_canonical(v).value_or(Fr::zero()); }  // v < 2^128 < r

std::string fr_hex(const Fr& x) {
  uint8_t b[32];
  x.to_bytes_be(b);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "0x";
  for (uint8_t c : b) {
    s.push_back(kHex[c >> 4]);
    s.push_back(kHex[c & 15]);
  }
  return s;
}

ExitProofResult failure(ExitProofError e, std::string message) {
  return ExitProofResult{e, std::move(message), std::nullopt};
}

ReplayedState replay_failure(ExitProofError e, std::string message) {
  return ReplayedState{e, std::move(message), std::nullopt, std::nullopt};
}

/// Root of a quaternary Poseidon path as contracts/src/QuaternaryMerkle.sol computes it: at level
/// l the node sits at position (index >> 2l) & 3, path[3l .. 3l+2] are the other children in
/// increasing position. Precondition: path.size() == 3 * depth, index < 4^depth.
Fr fold_path(Fr node, uint64_t index, const std::vector<Fr>& path, unsigned depth) {
  for (unsigned l = 0; l < depth; ++l) {
    const auto pos = static_cast<unsigned>((index >> (2 * l)) & 3);
    std::array<Fr, 4> children;
    unsigned s = 0;
    for (unsigned k = 0; k < 4; ++k) children[k] = k == pos ? node : path[3 * l + s++];
    node = hash::poseidon({children[0], children[1], children[2], children[3]});
  }
  return node;
}

json fr_array(const std::vector<Fr>& v) {
  json a = json::array();
  for (const Fr& x : v) a.push_back(x.to_decimal());
  return a;
}

/// The empty state with every L1 token the node knows registered (ids in order). Registering a
/// token changes no tree, so registering all of them first gives the batches' roots.
state::State initial_state(const Node& node) {
  state::State s;
  for (state::TokenId id = 1; id < state::kMaxL1Tokens; ++id) {
    auto t = node.token(id);
    if (!t || t->is_lp) break;
    state::TokenId got = 0;
    if (!s.add_token(t->l1_address, got).ok() || got != id) break;
  }
  return s;
}

}  // namespace

std::string_view to_string(ExitProofError e) noexcept {
  switch (e) {
    case ExitProofError::kOk: return "ok";
    case ExitProofError::kUnknownAccount: return "unknown_account";
    case ExitProofError::kReservedAccount: return "reserved_account";
    case ExitProofError::kTokenOutOfRange: return "token_out_of_range";
    case ExitProofError::kUnknownPool: return "unknown_pool";
    case ExitProofError::kZeroBalance: return "zero_balance";
    case ExitProofError::kRootNotFound: return "root_not_found";
    case ExitProofError::kRootNotReady: return "root_not_ready";
    case ExitProofError::kReplayFailed: return "replay_failed";
  }
  return "unknown";
}

ExitProofResult make_exit_proof(const state::State& s, const state::StateTrees& trees, state::AccountIndex account,
                                state::TokenId token, uint64_t batch) {
  const std::string who = "account " + std::to_string(account) + ", token " + std::to_string(token);
  if (account == state::kReservedAccount) return failure(ExitProofError::kReservedAccount, "account 0 is reserved (no L1 owner)");
  const state::Account* a = s.account(account);
  if (a == nullptr) return failure(ExitProofError::kUnknownAccount, "account " + std::to_string(account) + " does not exist at this root");
  if (token >= tx::kTokenLimit) return failure(ExitProofError::kTokenOutOfRange, "token must be < 1024");
  ExitProof p;
  if (token >= state::kFirstLpToken) {
    const uint32_t pool = token - state::kFirstLpToken;
    const state::Pool* pl = s.pool_by_id(pool);
    if (pl == nullptr) return failure(ExitProofError::kUnknownPool, "pool " + std::to_string(pool) + " (LP token " + std::to_string(token) + ") does not exist at this root");
    LpExitData lp;
    lp.pool = pool;
    lp.leaf_fields = {Fr::from_u64(uint64_t{pl->token0} + (uint64_t{pl->token1} << 10)), fr_of(pl->reserve0), fr_of(pl->reserve1),
                      fr_of(pl->total_supply)};
    auto path = trees.pool_path(pool);
    if (!path) return failure(ExitProofError::kUnknownPool, "no path for pool " + std::to_string(pool));
    lp.pool_path = std::move(*path);
    lp.pair_root = trees.pair_root();
    lp.num_pools = trees.num_pools();
    p.lp = std::move(lp);
  } else if (token >= s.num_tokens()) {
    return failure(ExitProofError::kTokenOutOfRange, "token " + std::to_string(token) + " is not registered at this root");
  }
  p.batch = batch;
  p.root = trees.root();
  p.account = account;
  p.token = token;
  p.balance = a->balance(token);
  if (p.balance == ff::U256{}) return failure(ExitProofError::kZeroBalance, who + ": the balance is zero at this root");
  p.key = a->public_key;
  p.nonce = a->nonce;
  auto bp = trees.balance_path(account, token);
  auto ap = trees.account_path(account);
  if (!bp || !ap) return failure(ExitProofError::kUnknownAccount, who + ": no Merkle path");
  p.balance_path = std::move(*bp);
  p.account_path = std::move(*ap);
  p.pool_root = trees.pools_commitment();
  // The trees must hold what the state says: recompute the root from the proof's fields alone.
  const auto r = exit_proof_root(p);
  if (!r || *r != p.root) return failure(ExitProofError::kReplayFailed, who + ": the trees do not match the state");
  return ExitProofResult{ExitProofError::kOk, "", std::move(p)};
}

std::optional<Fr> exit_proof_root(const ExitProof& p) {
  if (p.balance_path.size() != 3 * state::kBalanceTreeDepth || p.account_path.size() != 3 * state::kAccountTreeDepth)
    return std::nullopt;
  if (p.token >= tx::kTokenLimit || p.account >= tx::kAccountLimit || p.balance[2] != 0 || p.balance[3] != 0)
    return std::nullopt;
  const Fr balance_root = fold_path(fr_of(p.balance), p.token, p.balance_path, state::kBalanceTreeDepth);
  const Fr leaf = hash::poseidon({p.key.x, p.key.y, Fr::from_u64(p.nonce), balance_root});
  const Fr account_root = fold_path(leaf, p.account, p.account_path, state::kAccountTreeDepth);
  Fr pool_root = p.pool_root;
  if (p.lp) {
    if (p.lp->pool_path.size() != 3 * state::kPoolTreeDepth || p.lp->pool >= (1u << (2 * state::kPoolTreeDepth)))
      return std::nullopt;
    const auto& f = p.lp->leaf_fields;
    const Fr pool_leaf = hash::poseidon({f[0], f[1], f[2], f[3]});
    const Fr tree_root = fold_path(pool_leaf, p.lp->pool, p.lp->pool_path, state::kPoolTreeDepth);
    if (state::pools_commitment(tree_root, p.lp->pair_root, p.lp->num_pools) != p.pool_root) return std::nullopt;
  }
  return state::state_root(account_root, pool_root);
}

ReplayedState state_at_batch(const Node& node, uint64_t batch) {
  const NodeStatus st = node.status();
  if (batch > st.last_root_batch) {
    return replay_failure(ExitProofError::kRootNotReady,
                          "batch " + std::to_string(batch) + " has no computed root (last batch with a root: " +
                              std::to_string(st.last_root_batch) + ")");
  }
  state::State s = initial_state(node);
  state::StateTrees trees = state::StateTrees::build(s);
  std::map<uint64_t, uint64_t> block_seconds;  // block number -> its time in seconds
  for (uint64_t n = 1; n <= batch; ++n) {
    auto b = node.batch(n);
    if (!b || !b->root_ready) return replay_failure(ExitProofError::kRootNotReady, "batch " + std::to_string(n) + " is missing or has no root");
    if (b->header.old_root != trees.root())
      return replay_failure(ExitProofError::kReplayFailed, "batch " + std::to_string(n) + ": old root differs from the replayed state");
    std::vector<uint64_t> ts;
    ts.reserve(b->slots.size());
    for (const BatchSlot& slot : b->slots) {
      if (slot.block == 0) {  // noop padding
        ts.push_back(b->header.timestamp);
        continue;
      }
      auto it = block_seconds.find(slot.block);
      if (it == block_seconds.end()) {
        auto blk = node.block(slot.block);
        if (!blk) return replay_failure(ExitProofError::kReplayFailed, "block " + std::to_string(slot.block) + " is missing");
        it = block_seconds.emplace(slot.block, blk->header.timestamp / 1000).first;
      }
      ts.push_back(it->second);
    }
    const BatchJob job{*b, ts, node.config().domain};
    const auto root = apply_batch(s, trees, job);
    if (!root || *root != b->header.new_root)
      return replay_failure(ExitProofError::kReplayFailed, "batch " + std::to_string(n) + " does not re-execute to its recorded root");
  }
  return ReplayedState{ExitProofError::kOk, "", std::move(s), std::move(trees)};
}

ExitProofResult exit_proof_at_root(const Node& node, state::AccountIndex account, state::TokenId token,
                                   const std::optional<Fr>& root) {
  const NodeStatus st = node.status();
  uint64_t batch = st.last_root_batch;
  if (root && *root != st.state_root) {
    // Look for the batch that produced this root, newest first (genesis is batch 0).
    std::optional<uint64_t> found;
    for (uint64_t n = st.last_root_batch; n >= 1 && !found; --n) {
      auto b = node.batch(n);
      if (b && b->root_ready && b->header.new_root == *root) found = n;
    }
    if (!found && *root == state::StateTrees::build(state::State{}).root()) found = 0;
    if (!found) {
      std::string m = "root " + fr_hex(*root) + " is not the new root of any batch of this node (latest batch with a root: " +
                      std::to_string(st.last_root_batch) + ", root " + fr_hex(st.state_root) + ")";
      if (st.last_batch > st.last_root_batch) m += "; batches after " + std::to_string(st.last_root_batch) + " have no root yet";
      return failure(ExitProofError::kRootNotFound, m);
    }
    batch = *found;
  }
  ReplayedState r = state_at_batch(node, batch);
  if (r.error != ExitProofError::kOk) return failure(r.error, r.message);
  if (root && r.trees->root() != *root) return failure(ExitProofError::kReplayFailed, "the replayed root differs from the one asked for");
  return make_exit_proof(*r.state, *r.trees, account, token, batch);
}

json exit_proof_json(const ExitProof& p) {
  json j = {{"batch", p.batch},
            {"root", fr_hex(p.root)},
            {"account", p.account},
            {"token", p.token},
            {"balance", ff::to_decimal(p.balance)},
            {"pubkey_x", p.key.x.to_decimal()},
            {"pubkey_y", p.key.y.to_decimal()},
            {"nonce", p.nonce},
            {"balance_path", fr_array(p.balance_path)},
            {"account_path", fr_array(p.account_path)},
            {"pool_root", p.pool_root.to_decimal()}};
  if (p.lp) {
    json leaf = json::array();
    for (const Fr& x : p.lp->leaf_fields) leaf.push_back(x.to_decimal());
    j["pool"] = {{"pool", p.lp->pool},
                 {"leaf", leaf},
                 {"path", fr_array(p.lp->pool_path)},
                 {"pair_root", p.lp->pair_root.to_decimal()},
                 {"num_pools", p.lp->num_pools}};
  }
  return j;
}

}  // namespace zkamm::node
