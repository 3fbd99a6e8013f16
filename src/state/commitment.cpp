#include "state/commitment.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "ff/parallel.hpp"
#include "hash/poseidon.hpp"
#include "hash/poseidon_batch.hpp"

namespace zkamm::state {
namespace {

Fr to_fr(const U256& v) noexcept { return Fr::from_canonical(v).value_or(Fr::zero()); }  // v < 2^128 < r
Fr to_fr(uint64_t v) noexcept { return Fr::from_canonical(U256{v, 0, 0, 0}).value_or(Fr::zero()); }

/// Poseidon of every row, eight rows per batch, groups of eight split across threads when many.
void hash_rows(const std::vector<std::array<Fr, 4>>& rows, std::vector<Fr>& out) {
  out.resize(rows.size());
  const size_t n = rows.size();
  ff::parallel_for_chunks(
      (n + 7) / 8,
      [&](size_t begin, size_t end, unsigned) {
        const size_t first = begin * 8, last = std::min(n, end * 8);
        hash::poseidon_batch<4>(std::span<const std::array<Fr, 4>>(rows.data() + first, last - first),
                                std::span<Fr>(out.data() + first, last - first));
      },
      n < 64 ? 1u : 0u);
}

const SparseMerkleTree& empty_balance_tree() {
  static const SparseMerkleTree t(kTreeArity, kBalanceTreeDepth);
  return t;
}

}  // namespace

Fr account_leaf(const PublicKey& key, uint64_t nonce, const Fr& balance_root) noexcept {
  return hash::poseidon({key.x, key.y, to_fr(nonce), balance_root});
}

namespace {
std::array<Fr, 4> pool_leaf_inputs(const Pool& p) noexcept {
  const uint64_t tokens = uint64_t{p.token0} + (uint64_t{p.token1} << 10);
  return {to_fr(tokens), to_fr(p.reserve0), to_fr(p.reserve1), to_fr(p.total_supply)};
}
}  // namespace

Fr pool_leaf(const Pool& p) noexcept {
  const std::array<Fr, 4> in = pool_leaf_inputs(p);
  return hash::poseidon(std::span<const Fr>(in));
}

Fr pools_commitment(const Fr& pool_root, const Fr& pair_root, uint64_t num_pools) noexcept {
  return hash::poseidon({pool_root, pair_root, to_fr(num_pools), Fr::zero()});
}

Fr state_root(const Fr& account_root, const Fr& pools_commitment) noexcept {
  return hash::poseidon({account_root, pools_commitment});
}

StateTrees::StateTrees()
    : accounts_(kTreeArity, kAccountTreeDepth), pools_(kTreeArity, kPoolTreeDepth), pairs_(kTreeArity, kPairTreeDepth) {}

StateTrees StateTrees::build(const State& s) {
  StateTrees t;
  Touched all;
  for (AccountIndex a = 0; a < s.num_accounts(); ++a) {
    all.accounts.push_back(a);
    for (const auto& [token, value] : s.account(a)->balances) all.balances.emplace_back(a, token);
  }
  for (uint32_t p = 0; p < s.num_pools(); ++p) all.pools.push_back(p);
  t.sync(s, all);
  return t;
}

Fr StateTrees::balance_root(AccountIndex a) const noexcept {
  const auto it = balances_.find(a);
  return it == balances_.end() ? empty_balance_tree().root() : it->second->root();
}

Fr StateTrees::balance_leaf_value(AccountIndex a, TokenId t) const noexcept {
  const auto it = balances_.find(a);
  return it == balances_.end() ? Fr::zero() : it->second->get_leaf(t);
}

std::optional<std::vector<Fr>> StateTrees::account_path(AccountIndex a) const { return accounts_.path(a); }

std::optional<std::vector<Fr>> StateTrees::balance_path(AccountIndex a, TokenId t) const {
  const auto it = balances_.find(a);
  return it == balances_.end() ? empty_balance_tree().path(t) : it->second->path(t);
}

std::optional<std::vector<Fr>> StateTrees::pool_path(uint32_t pool) const { return pools_.path(pool); }

SparseMerkleTree& StateTrees::balance_tree(AccountIndex a) {
  auto& tree = balances_[a];
  if (!tree) {
    tree = std::make_unique<SparseMerkleTree>(kTreeArity, kBalanceTreeDepth);
    tree->track_changes(tracking_);
  }
  return *tree;
}

void StateTrees::set_balance(AccountIndex a, TokenId t, const U256& value) {
  if (tracking_) changed_balances_.push_back(a);
  (void)balance_tree(a).set_leaf(t, to_fr(value));
}

void StateTrees::set_account(AccountIndex a, const PublicKey& key, uint64_t nonce) {
  (void)accounts_.set_leaf(a, account_leaf(key, nonce, balance_root(a)));
}

void StateTrees::set_pool(const Pool& p) {
  const uint32_t id = pool_id(p);
  (void)pools_.set_leaf(id, pool_leaf(p));
  if (id >= num_pools_) {
    (void)pairs_.set_leaf(pair_key(p.token0, p.token1), to_fr(uint64_t{id} + 1));
    num_pools_ = id + 1;
  }
}

void StateTrees::sync(const State& s, const Touched& touched) {
  // Balance leaves grouped per account (each leaf once: a batch names a leaf once per tx that
  // moves it, and the leaf takes the state's current value anyway); each balance tree is
  // independent.
  std::vector<std::pair<AccountIndex, TokenId>> named(touched.balances);
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  std::vector<std::pair<uint64_t, Fr>> balance_leaves;
  balance_leaves.reserve(named.size());
  for (const auto& [a, t] : named) balance_leaves.emplace_back(t, to_fr(s.balance(a, t)));
  // All touched balance trees level by level together, so that their nodes hash in batches.
  std::vector<SparseMerkleTree*> trees;
  std::vector<std::span<const std::pair<uint64_t, Fr>>> tree_updates;
  std::vector<AccountIndex> balance_accounts;
  for (size_t i = 0; i < named.size();) {
    size_t j = i;
    while (j < named.size() && named[j].first == named[i].first) ++j;
    balance_accounts.push_back(named[i].first);
    trees.push_back(&balance_tree(named[i].first));
    tree_updates.emplace_back(balance_leaves.data() + i, j - i);
    i = j;
  }
  if (tracking_) changed_balances_.insert(changed_balances_.end(), balance_accounts.begin(), balance_accounts.end());
  (void)SparseMerkleTree::set_leaves_many(trees, tree_updates);

  // Account leaves: every account named, and every account whose balances changed (each once),
  // hashed in one batch.
  std::vector<AccountIndex> accounts = touched.accounts;
  accounts.insert(accounts.end(), balance_accounts.begin(), balance_accounts.end());
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  std::vector<std::array<Fr, 4>> rows;
  std::vector<size_t> row_of(accounts.size(), SIZE_MAX);
  for (size_t i = 0; i < accounts.size(); ++i) {
    if (const Account* acc = s.account(accounts[i])) {
      row_of[i] = rows.size();
      rows.push_back({acc->public_key.x, acc->public_key.y, to_fr(acc->nonce), balance_root(accounts[i])});
    }
  }
  std::vector<Fr> hashed;
  hash_rows(rows, hashed);
  std::vector<std::pair<uint64_t, Fr>> leaves(accounts.size());
  for (size_t i = 0; i < accounts.size(); ++i) {
    leaves[i] = {accounts[i], row_of[i] == SIZE_MAX ? Fr::zero() : hashed[row_of[i]]};
  }
  (void)accounts_.set_leaves(leaves);

  // Pool leaves: each touched pool once (every swap names its pool).
  std::vector<uint32_t> pool_ids(touched.pools);
  std::sort(pool_ids.begin(), pool_ids.end());
  pool_ids.erase(std::unique(pool_ids.begin(), pool_ids.end()), pool_ids.end());
  std::vector<std::pair<uint64_t, Fr>> pool_leaves;
  std::vector<std::array<Fr, 4>> pool_rows;
  std::vector<size_t> pool_row_of;
  for (uint32_t id : pool_ids) {
    const Pool* p = s.pool_by_id(id);
    pool_row_of.push_back(p ? pool_rows.size() : SIZE_MAX);
    if (p) pool_rows.push_back(pool_leaf_inputs(*p));
  }
  std::vector<Fr> pool_hashed;
  hash_rows(pool_rows, pool_hashed);
  std::vector<std::pair<uint64_t, Fr>> pair_leaves;
  uint32_t num_pools = num_pools_;
  for (size_t i = 0; i < pool_ids.size(); ++i) {
    pool_leaves.emplace_back(pool_ids[i], pool_row_of[i] == SIZE_MAX ? Fr::zero() : pool_hashed[pool_row_of[i]]);
    // A pool's pair leaf is written once, when the trees first see the pool.
    const Pool* p = s.pool_by_id(pool_ids[i]);
    if (p != nullptr && pool_ids[i] >= num_pools_) {
      pair_leaves.emplace_back(pair_key(p->token0, p->token1), to_fr(uint64_t{pool_ids[i]} + 1));
      num_pools = std::max(num_pools, pool_ids[i] + 1);
    }
  }
  (void)pools_.set_leaves(pool_leaves);
  if (!pair_leaves.empty()) (void)pairs_.set_leaves(pair_leaves);
  num_pools_ = num_pools;
}

void StateTrees::track_changes(bool on) {
  tracking_ = on;
  changed_balances_.clear();
  accounts_.track_changes(on);
  pools_.track_changes(on);
  pairs_.track_changes(on);
  for (auto& [a, tree] : balances_) tree->track_changes(on);
}

std::vector<TreeNodeChange> StateTrees::take_changes() {
  std::vector<TreeNodeChange> out;
  for (const NodeChange& c : accounts_.take_changes()) out.push_back(TreeNodeChange{TreeKind::kAccounts, 0, c});
  for (const NodeChange& c : pools_.take_changes()) out.push_back(TreeNodeChange{TreeKind::kPools, 0, c});
  for (const NodeChange& c : pairs_.take_changes()) out.push_back(TreeNodeChange{TreeKind::kPairs, 0, c});
  std::sort(changed_balances_.begin(), changed_balances_.end());
  changed_balances_.erase(std::unique(changed_balances_.begin(), changed_balances_.end()), changed_balances_.end());
  for (const AccountIndex a : changed_balances_) {
    for (const NodeChange& c : balances_.at(a)->take_changes()) out.push_back(TreeNodeChange{TreeKind::kBalances, a, c});
  }
  changed_balances_.clear();
  return out;
}

std::vector<TreeNodeChange> StateTrees::all_nodes() const {
  std::vector<TreeNodeChange> out;
  for (const NodeChange& c : accounts_.all_nodes()) out.push_back(TreeNodeChange{TreeKind::kAccounts, 0, c});
  for (const NodeChange& c : pools_.all_nodes()) out.push_back(TreeNodeChange{TreeKind::kPools, 0, c});
  for (const NodeChange& c : pairs_.all_nodes()) out.push_back(TreeNodeChange{TreeKind::kPairs, 0, c});
  for (const auto& [a, tree] : balances_) {
    for (const NodeChange& c : tree->all_nodes()) out.push_back(TreeNodeChange{TreeKind::kBalances, a, c});
  }
  return out;
}

bool StateTrees::load_node(TreeKind kind, AccountIndex account, unsigned level, uint64_t index, const Fr& value) {
  switch (kind) {
    case TreeKind::kAccounts: return accounts_.load_node(level, index, value);
    case TreeKind::kPools:
      if (!pools_.load_node(level, index, value)) return false;
      if (level == 0 && !value.is_zero()) num_pools_ = std::max(num_pools_, static_cast<uint32_t>(index + 1));
      return true;
    case TreeKind::kPairs: return pairs_.load_node(level, index, value);
    case TreeKind::kBalances:
      if (uint64_t{account} >= accounts_.capacity()) return false;
      return balance_tree(account).load_node(level, index, value);
  }
  return false;
}

}  // namespace zkamm::state
