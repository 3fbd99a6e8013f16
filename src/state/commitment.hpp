#pragma once
// The Merkle commitment to the state (docs/STATE.md "What the leaves hold"): an account tree
// (depth 12) whose leaves are Poseidon(pubkey_x, pubkey_y, nonce, balance_root), one balance tree
// (depth 5) per account, a pool tree (depth 5) keyed by pool id, and a pair tree (depth 9) keyed
// by the pool's token pair whose leaf is pool id + 1; state root = Poseidon(account_root,
// Poseidon(pool_root, pair_root, num_pools, 0)). All quaternary, the same paths as
// circuit/merkle_gadget. The pair tree and the pool count let the circuit enforce one pool per
// pair, created at the next id (docs/STATE.md).
#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "ff/bn254.hpp"
#include "state/merkle_tree.hpp"
#include "state/state.hpp"

namespace zkamm::state {

inline constexpr unsigned kTreeArity = 4;
inline constexpr unsigned kAccountTreeDepth = 12;  ///< 2^24 accounts
inline constexpr unsigned kBalanceTreeDepth = 5;   ///< 2^10 tokens
inline constexpr unsigned kPoolTreeDepth = 5;      ///< 2^10 pool ids (512 used: LP ids 512..1023)
inline constexpr unsigned kPairTreeDepth = 9;      ///< 2^18 keys token0 + 2^9 * token1 (L1 tokens < 512)

/// The pair tree's key of a pool's tokens (token0 < token1 < kMaxL1Tokens).
inline uint64_t pair_key(TokenId token0, TokenId token1) noexcept { return uint64_t{token0} + (uint64_t{token1} << 9); }

/// Poseidon(pubkey_x, pubkey_y, nonce, balance_root).
Fr account_leaf(const PublicKey& key, uint64_t nonce, const Fr& balance_root) noexcept;
/// Poseidon(token0 + 2^10 * token1, reserve0, reserve1, total_supply).
Fr pool_leaf(const Pool& p) noexcept;
/// Poseidon(pool_root, pair_root, num_pools, 0): everything about pools, the second half of the
/// state root (exodusExit takes it as one value).
Fr pools_commitment(const Fr& pool_root, const Fr& pair_root, uint64_t num_pools) noexcept;
/// Poseidon(account_root, pools_commitment).
Fr state_root(const Fr& account_root, const Fr& pools_commitment) noexcept;
/// Pool id of a pool (its LP token - kFirstLpToken).
inline uint32_t pool_id(const Pool& p) noexcept { return p.lp_token - kFirstLpToken; }

/// What changed since the trees were last synced: the node collects these per batch.
struct Touched {
  std::vector<AccountIndex> accounts;                      ///< nonce, key or any balance changed
  std::vector<std::pair<AccountIndex, TokenId>> balances;  ///< balance leaves
  std::vector<uint32_t> pools;                             ///< pool ids
};

/// Which tree of a StateTrees a node belongs to (the key prefix under which the node stores it).
enum class TreeKind : uint8_t { kAccounts = 0, kPools = 1, kBalances = 2, kPairs = 3 };

/// A changed (or, from all_nodes(), a stored) node of one of the trees; `account` names the
/// balance tree and is 0 for the account and pool trees.
struct TreeNodeChange {
  TreeKind kind = TreeKind::kAccounts;
  AccountIndex account = 0;
  NodeChange node;
};

/// The trees of a State. Not thread-safe; sync() parallelises internally.
class StateTrees {
 public:
  StateTrees();
  /// Builds every tree from s (genesis, or a restart from a snapshot).
  static StateTrees build(const State& s);

  Fr root() const noexcept { return state_root(account_root(), pools_commitment()); }
  const Fr& account_root() const noexcept { return accounts_.root(); }
  const Fr& pool_root() const noexcept { return pools_.root(); }
  const Fr& pair_root() const noexcept { return pairs_.root(); }
  /// Pools created so far: the next pool's id. Pools take ids 0, 1, 2, ... and a pool leaf is never
  /// empty, so load_node recovers it from the stored pool leaves.
  uint32_t num_pools() const noexcept { return num_pools_; }
  Fr pools_commitment() const noexcept { return state::pools_commitment(pool_root(), pair_root(), num_pools_); }
  /// Root of an account's balance tree (the empty tree's root for an account without balances).
  Fr balance_root(AccountIndex a) const noexcept;

  /// Sibling paths in the gadget's layout (docs/STATE.md); nullopt for an index out of range.
  std::optional<std::vector<Fr>> account_path(AccountIndex a) const;
  std::optional<std::vector<Fr>> balance_path(AccountIndex a, TokenId t) const;
  std::optional<std::vector<Fr>> pool_path(uint32_t pool) const;
  Fr account_leaf_value(AccountIndex a) const noexcept { return accounts_.get_leaf(a); }
  Fr balance_leaf_value(AccountIndex a, TokenId t) const noexcept;
  Fr pool_leaf_value(uint32_t pool) const noexcept { return pools_.get_leaf(pool); }
  std::optional<std::vector<Fr>> pair_path(uint64_t key) const { return pairs_.path(key); }
  Fr pair_leaf_value(uint64_t key) const noexcept { return pairs_.get_leaf(key); }

  /// Single-leaf updates, in the order a slot circuit applies them. set_account recomputes the
  /// account leaf from key, nonce and the account's current balance root.
  void set_balance(AccountIndex a, TokenId t, const U256& value);
  void set_account(AccountIndex a, const PublicKey& key, uint64_t nonce);
  /// Sets the pool leaf; a new pool also gets its pair-tree leaf (id + 1) and counts in
  /// num_pools().
  void set_pool(const Pool& p);

  /// Brings the trees up to date with s for everything in `touched` (the batch-seal path):
  /// balance trees first (accounts in parallel), then the account and pool trees with
  /// SparseMerkleTree::set_leaves.
  void sync(const State& s, const Touched& touched);

  /// Persistence (SparseMerkleTree::track_changes): records the nodes every later update stores,
  /// in every tree including balance trees created later. Turning it off forgets the record.
  void track_changes(bool on);
  /// The nodes stored since tracking started or the last call; forgets them.
  std::vector<TreeNodeChange> take_changes();
  /// Every non-empty node of every tree (to write the trees whole after a rebuild).
  std::vector<TreeNodeChange> all_nodes() const;
  /// Puts back a node read from storage (no hashing). false when the position is out of range.
  [[nodiscard]] bool load_node(TreeKind kind, AccountIndex account, unsigned level, uint64_t index, const Fr& value);

 private:
  /// The account's balance tree, created (empty, tracking like the others) when missing.
  SparseMerkleTree& balance_tree(AccountIndex a);

  SparseMerkleTree accounts_;
  SparseMerkleTree pools_;
  SparseMerkleTree pairs_;
  uint32_t num_pools_ = 0;
  std::unordered_map<AccountIndex, std::unique_ptr<SparseMerkleTree>> balances_;
  bool tracking_ = false;
  std::vector<AccountIndex> changed_balances_;  ///< balance trees updated while tracking
};

}  // namespace zkamm::state
