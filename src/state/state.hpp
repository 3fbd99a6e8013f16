#pragma once
// The L2 state as an in-memory model: accounts, tokens and Uniswap V2 pools, and the operations
// that change them. Every operation is all-or-nothing: on any error the state is unchanged.
// Persistence (RocksDB) and the Merkle commitment come later; the types are plain values with a
// fixed field order so that each can be hashed into a leaf.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "ff/bn254.hpp"
#include "state/amm.hpp"

namespace zkamm::state {

using TokenId = uint32_t;
using AccountIndex = uint32_t;

/// Token 0 is ETH; account 0 is reserved (it holds the locked MINIMUM_LIQUIDITY, like address(0)).
inline constexpr TokenId kEthToken = 0;
inline constexpr AccountIndex kReservedAccount = 0;
/// Token ids 0..511 are L1 tokens (registration order); pool p's LP token is 512 + p
/// (docs/STATE.md). Accounts < 2^24.
inline constexpr TokenId kFirstLpToken = 512;
inline constexpr TokenId kMaxL1Tokens = 512;
inline constexpr uint32_t kMaxPools = 512;
inline constexpr AccountIndex kMaxAccounts = AccountIndex{1} << 24;

/// Baby Jubjub public key (affine twisted Edwards point over Fr); checked by the tx layer.
struct PublicKey {
  ff::Fr x = ff::Fr::zero();
  ff::Fr y = ff::Fr::one();
  friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

struct Account {
  AccountIndex index = 0;
  PublicKey public_key;
  uint64_t nonce = 0;
  std::map<TokenId, U256> balances;  ///< absent = 0; every value < 2^128

  U256 balance(TokenId token) const noexcept;
  friend bool operator==(const Account&, const Account&) = default;
};

using L1Address = std::array<uint8_t, 20>;

struct Token {
  TokenId id = 0;
  L1Address l1_address{};    ///< all zero for ETH and for LP tokens (they live only on the L2)
  bool is_lp = false;
  friend bool operator==(const Token&, const Token&) = default;
};

// GCC's -Wshadow takes the scoped enumerator kReservedAccount for a shadow of the constant above;
// it is always named StateError::kReservedAccount.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
enum class [[nodiscard]] StateError : uint8_t {
  kOk = 0,
  kUnknownAccount,
  kUnknownToken,
  kReservedAccount,     ///< account 0 cannot send or trade
  kAmountTooLarge,      ///< an amount >= 2^128
  kZeroAmount,          ///< transfer/withdraw of 0
  kInsufficientBalance,
  kBalanceOverflow,     ///< a balance would reach 2^128
  kIdenticalTokens,
  kLpTokenInPool,       ///< pools trade only ordinary tokens
  kPoolExists,
  kPoolNotFound,
  kTokenExists,
  kAmm,                 ///< see Status::amm
  kCapacity,            ///< no account index, token id or pool id left
};
#pragma GCC diagnostic pop

/// Outcome of a state operation: the state error and, for kAmm, the Uniswap V2 error.
struct [[nodiscard]] Status {
  StateError error = StateError::kOk;
  AmmError amm = AmmError::kOk;
  bool ok() const noexcept { return error == StateError::kOk; }
  friend bool operator==(const Status&, const Status&) = default;
};

std::string_view to_string(StateError e) noexcept;

struct SwapReceipt {
  U256 amount_in;
  U256 amount_out;
};
struct AddLiquidityReceipt {
  U256 amount_a;  ///< in the caller's order (token_a, token_b)
  U256 amount_b;
  U256 liquidity;
};
struct RemoveLiquidityReceipt {
  U256 amount_a;
  U256 amount_b;
};
struct LpExitReceipt {
  U256 liquidity;  ///< the LP tokens burned: the account's whole position
  U256 amount0;    ///< the pool's token0 paid out (to L1)
  U256 amount1;
};

class State {
 public:
  /// Creates account 0 (reserved) and token 0 (ETH).
  State();

  // -- set-up (L1 registrations and priority operations) --
  /// Binds a new token id to an L1 ERC-20 address.
  Status add_token(const L1Address& l1_address, TokenId& id);
  /// Creates the next account (index = num_accounts()).
  Status create_account(const PublicKey& key, AccountIndex& index);
  /// Credits an L1 deposit; amount < 2^128.
  Status deposit(AccountIndex to, TokenId token, const U256& amount);
  /// Debits a withdrawal to L1.
  Status withdraw(AccountIndex from, TokenId token, const U256& amount);

  // -- L2 transactions (signature, nonce and deadline are the tx layer's) --
  Status transfer(AccountIndex from, AccountIndex to, TokenId token, const U256& amount);
  /// Creates an empty pool for an unordered pair of ordinary tokens and its LP token.
  Status create_pool(TokenId token_a, TokenId token_b, TokenId& lp_token);
  /// Router02.addLiquidity: amounts in the caller's order (token_a, token_b), priced from
  /// token_a's side as the router does, so swapping A and B can change the amounts taken.
  Status add_liquidity(AccountIndex account, TokenId token_a, TokenId token_b, const U256& amount_a_desired,
                       const U256& amount_b_desired, const U256& amount_a_min, const U256& amount_b_min,
                       AddLiquidityReceipt& receipt);
  /// pair.mint after exactly amount_a and amount_b were transferred in, without the router's
  /// optimal amounts and minimums: what an add_liquidity's public data records (it publishes
  /// the executed amounts), so a replay of the public data mints the same liquidity.
  Status add_liquidity_exact(AccountIndex account, TokenId token_a, TokenId token_b, const U256& amount_a,
                             const U256& amount_b, AddLiquidityReceipt& receipt);
  /// Router02.removeLiquidity.
  Status remove_liquidity(AccountIndex account, TokenId token_a, TokenId token_b, const U256& liquidity,
                          const U256& amount_a_min, const U256& amount_b_min, RemoveLiquidityReceipt& receipt);
  /// A forced exit of an LP position (an L1 full exit of LP token kFirstLpToken + pool_id):
  /// burns the account's whole balance of it pro rata, as pair.burn computes the amounts, and the
  /// amounts leave the L2 (the contract pays them out on L1). Unlike Router02.removeLiquidity
  /// there are no minimums and no INSUFFICIENT_LIQUIDITY_BURNED: the owner asked on L1 for
  /// whatever the position is worth, which may round to 0. Fails on an unknown pool or account.
  Status exit_lp(AccountIndex account, uint32_t pool_id, LpExitReceipt& receipt);
  /// Router02.swapExactTokensForTokens (one hop).
  Status swap_exact_in(AccountIndex account, TokenId token_in, TokenId token_out, const U256& amount_in,
                       const U256& amount_out_min, SwapReceipt& receipt);
  /// Router02.swapTokensForExactTokens (one hop).
  Status swap_exact_out(AccountIndex account, TokenId token_in, TokenId token_out, const U256& amount_out,
                        const U256& amount_in_max, SwapReceipt& receipt);
  /// Increments an account's nonce (after the tx layer accepted a signed transaction).
  Status bump_nonce(AccountIndex account);

  // -- reads --
  const Account* account(AccountIndex index) const noexcept;
  const Token* token(TokenId id) const noexcept;
  /// The pool of an unordered pair, or nullptr.
  const Pool* pool(TokenId token_a, TokenId token_b) const noexcept;
  /// The pool with id `id` (LP token kFirstLpToken + id), or nullptr.
  const Pool* pool_by_id(uint32_t id) const noexcept;
  U256 balance(AccountIndex index, TokenId token) const noexcept;
  size_t num_accounts() const noexcept { return accounts_.size(); }
  /// L1 tokens (ids 0 .. num_tokens() - 1); LP tokens are counted by num_pools().
  size_t num_tokens() const noexcept { return tokens_.size(); }
  size_t num_pools() const noexcept { return pool_pairs_.size(); }
  const std::map<std::pair<TokenId, TokenId>, Pool>& pools() const noexcept { return pools_; }

  /// Rebuilds a state from a snapshot: accounts in index order (account 0 first), L1 tokens in id
  /// order (ETH first), pools in id order (pool i has LP token kFirstLpToken + i). nullopt when
  /// the parts are inconsistent.
  static std::optional<State> from_parts(std::vector<Account> accounts, std::vector<Token> l1_tokens,
                                         std::vector<Pool> pools);

  friend bool operator==(const State&, const State&) = default;

 private:
  Status check_amount(const U256& amount) const noexcept;
  Status check_trader(AccountIndex account) const noexcept;
  /// Checks `amount` can be taken from / given to an account without changing anything.
  Status can_debit(AccountIndex account, TokenId token, const U256& amount) const noexcept;
  Status can_credit(AccountIndex account, TokenId token, const U256& amount) const noexcept;
  /// Applies a debit/credit already checked with can_debit/can_credit.
  void debit(AccountIndex account, TokenId token, const U256& amount) noexcept;
  void credit(AccountIndex account, TokenId token, const U256& amount) noexcept;
  Pool* find_pool(TokenId token_a, TokenId token_b) noexcept;
  /// Debits amount0/amount1 (token0/token1 order) from account, mints into p, credits the LP
  /// tokens; a_is_0 orders the receipt as the caller's (token_a, token_b).
  Status mint(AccountIndex account, Pool& p, const U256& amount0, const U256& amount1, bool a_is_0,
              AddLiquidityReceipt& receipt);
  Status swap(AccountIndex account, TokenId token_in, TokenId token_out, const U256& amount, const U256& limit,
              bool exact_in, SwapReceipt& receipt);

  bool token_exists(TokenId id) const noexcept;

  std::vector<Account> accounts_;
  std::vector<Token> tokens_;     ///< L1 tokens, index = id
  std::vector<Token> lp_tokens_;  ///< index = id - kFirstLpToken = pool id
  std::map<std::pair<TokenId, TokenId>, Pool> pools_;  ///< key (token0, token1), token0 < token1
  std::vector<std::pair<TokenId, TokenId>> pool_pairs_;  ///< pool id -> key of pools_
};

}  // namespace zkamm::state
