#include "state/commitment.hpp"

#include "ff/parallel.hpp"
#include "hash/poseidon.hpp"

namespace zkamm::state {
namespace {

Fr to_fr(const U256& v) noexcept { return Fr::from_canonical(v).value_or(Fr::zero()); }  // v < 2^128 < r
Fr to_fr(uint64_t v) noexcept { return Fr::from_canonical(U256{v, 0, 0, 0}).value_or(Fr::zero()); }

const SparseMerkleTree& empty_balance_tree() {
  static const SparseMerkleTree t(kTreeArity, kBalanceTreeDepth);
  return t;
}

}  // namespace

Fr account_leaf(const PublicKey& key, uint64_t nonce, const Fr& balance_root) noexcept {
  return hash::poseidon({key.x, key.y, to_fr(nonce), balance_root});
}

Fr pool_leaf(const Pool& p) noexcept {
  const uint64_t tokens = uint64_t{p.token0} + (uint64_t{p.token1} << 10);
  return hash::poseidon({to_fr(tokens), to_fr(p.reserve0), to_fr(p.reserve1), to_fr(p.total_supply)});
}

Fr state_root(const Fr& account_root, const Fr& pool_root) noexcept {
  return hash::poseidon({account_root, pool_root});
}

StateTrees::StateTrees() : accounts_(kTreeArity, kAccountTreeDepth), pools_(kTreeArity, kPoolTreeDepth) {}

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

void StateTrees::set_balance(AccountIndex a, TokenId t, const U256& value) {
  auto& tree = balances_[a];
  if (!tree) tree = std::make_unique<SparseMerkleTree>(kTreeArity, kBalanceTreeDepth);
  (void)tree->set_leaf(t, to_fr(value));
}

void StateTrees::set_account(AccountIndex a, const PublicKey& key, uint64_t nonce) {
  (void)accounts_.set_leaf(a, account_leaf(key, nonce, balance_root(a)));
}

void StateTrees::set_pool(const Pool& p) { (void)pools_.set_leaf(pool_id(p), pool_leaf(p)); }

void StateTrees::sync(const State& s, const Touched& touched) {
  // Balance leaves grouped per account; each account's balance tree is independent.
  std::unordered_map<AccountIndex, std::vector<std::pair<uint64_t, Fr>>> per_account;
  for (const auto& [a, t] : touched.balances) per_account[a].emplace_back(t, to_fr(s.balance(a, t)));
  std::vector<std::pair<SparseMerkleTree*, const std::vector<std::pair<uint64_t, Fr>>*>> jobs;
  for (auto& [a, updates] : per_account) {
    auto& tree = balances_[a];
    if (!tree) tree = std::make_unique<SparseMerkleTree>(kTreeArity, kBalanceTreeDepth);
    jobs.emplace_back(tree.get(), &updates);
  }
  ff::parallel_for_chunks(jobs.size(), [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) (void)jobs[i].first->set_leaves(*jobs[i].second);
  });

  // Account leaves: every account named, and every account whose balances changed.
  std::vector<AccountIndex> accounts = touched.accounts;
  for (const auto& [a, updates] : per_account) accounts.push_back(a);
  std::vector<std::pair<uint64_t, Fr>> leaves(accounts.size());
  ff::parallel_for_chunks(accounts.size(), [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) {
      const Account* acc = s.account(accounts[i]);
      leaves[i] = {accounts[i], acc ? account_leaf(acc->public_key, acc->nonce, balance_root(accounts[i])) : Fr::zero()};
    }
  });
  (void)accounts_.set_leaves(leaves);

  std::vector<std::pair<uint64_t, Fr>> pool_leaves;
  for (uint32_t id : touched.pools) {
    const Pool* p = s.pool_by_id(id);
    pool_leaves.emplace_back(id, p ? pool_leaf(*p) : Fr::zero());
  }
  (void)pools_.set_leaves(pool_leaves);
}

}  // namespace zkamm::state
