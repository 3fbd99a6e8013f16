#include "tx/public_data.hpp"

#include <algorithm>
#include <array>
#include <type_traits>

namespace zkamm::tx {
namespace {

void put(std::vector<uint8_t>& out, uint64_t v, std::size_t bytes) {
  for (std::size_t i = bytes; i-- > 0;) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put_account(std::vector<uint8_t>& out, uint32_t a) { put(out, a, 3); }
void put_token(std::vector<uint8_t>& out, uint16_t t) { put(out, t, 2); }
void put_amount(std::vector<uint8_t>& out, Amount a) {
  put(out, static_cast<uint64_t>(a >> 64), 8);
  put(out, static_cast<uint64_t>(a), 8);
}

}  // namespace

std::size_t public_data_size(TxType type) noexcept {
  // type byte + fields (docs/TRANSACTIONS.md 4)
  static constexpr std::array<std::size_t, kTxTypeCount> sizes = {
      1,                  // Noop
      1 + 3 + 2 + 16,       // Deposit
      1 + 3 + 2 + 2 + 16 + 2 + 16,  // FullExit: of an LP token (an ordinary token's is 1 + 3 + 2 + 16)
      1 + 3 + 3 + 2 + 16,   // Transfer
      1 + 3 + 2 + 2 + 16,  // SwapExactIn: the exact side only
      1 + 3 + 2 + 2 + 16,  // SwapExactOut: the exact side only
      1 + 3 + 2 + 2 + 2,        // CreatePool
      1 + 3 + 2 + 2 + 16 + 16,       // AddLiquidity: the amounts, not the liquidity they mint
      1 + 3 + 2 + 2 + 16,            // RemoveLiquidity: the liquidity, not the amounts it pays
      1 + 3 + 2 + 16 + 20,           // Withdraw
      1 + 3 + 32,                    // CreateAccount
  };
  const auto i = static_cast<std::size_t>(type);
  return i < kTxTypeCount ? sizes[i] : 0;
}

void append_public_data(std::vector<uint8_t>& out, const Tx& t, const Executed& ex) {
  out.push_back(static_cast<uint8_t>(t.index()));
  std::visit(
      [&](const auto& x) {
        using T = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Deposit>) {
          put_account(out, x.account);
          put_token(out, x.token);
          put_amount(out, ex.amount_in);
        } else if constexpr (std::is_same_v<T, FullExit>) {
          put_account(out, x.account);
          put_token(out, x.token);
          if (x.token >= kFirstLpTokenId) {
            // The whole position is burned, so the liquidity follows from the state; the pool's
            // tokens and the amounts are what L1 pays out.
            put_token(out, ex.token0);
            put_amount(out, ex.amount_in);
            put_token(out, ex.token1);
            put_amount(out, ex.amount_out);
          } else {
            put_amount(out, ex.amount_in);
          }
        } else if constexpr (std::is_same_v<T, Transfer>) {
          put_account(out, x.from);
          put_account(out, x.to);
          put_token(out, x.token);
          put_amount(out, x.amount);
        } else if constexpr (std::is_same_v<T, SwapExactIn> || std::is_same_v<T, SwapExactOut>) {
          // The other side follows from the pool's reserves by the Uniswap V2 formulas.
          put_account(out, x.account);
          put_token(out, x.token_in);
          put_token(out, x.token_out);
          put_amount(out, std::is_same_v<T, SwapExactIn> ? ex.amount_in : ex.amount_out);
        } else if constexpr (std::is_same_v<T, CreatePool>) {
          put_account(out, x.account);
          put_token(out, x.token_a);
          put_token(out, x.token_b);
          put_token(out, ex.lp_token);
        } else if constexpr (std::is_same_v<T, AddLiquidity>) {
          put_account(out, x.account);
          put_token(out, x.token_a);
          put_token(out, x.token_b);
          put_amount(out, ex.amount_in);
          put_amount(out, ex.amount_out);  // the minted liquidity follows from these and the pool
        } else if constexpr (std::is_same_v<T, RemoveLiquidity>) {
          put_account(out, x.account);
          put_token(out, x.token_a);
          put_token(out, x.token_b);
          put_amount(out, x.liquidity);  // the amounts paid follow from it and the pool
        } else if constexpr (std::is_same_v<T, Withdraw>) {
          put_account(out, x.account);
          put_token(out, x.token);
          put_amount(out, x.amount);
          out.insert(out.end(), x.l1_address.begin(), x.l1_address.end());
        } else if constexpr (std::is_same_v<T, CreateAccount>) {
          put_account(out, x.account);
          out.insert(out.end(), x.pubkey.begin(), x.pubkey.end());
        }
      },
      t);
}

bool slot_fits_every_type() noexcept {
  std::size_t largest = 0;
  for (uint8_t ty = 0; ty < kTxTypeCount; ++ty) largest = std::max(largest, public_data_size(static_cast<TxType>(ty)));
  return largest == kSlotPublicDataBytes;
}

void append_slot_public_data(std::vector<uint8_t>& out, const Tx& t, const Executed& ex) {
  const std::size_t start = out.size();
  append_public_data(out, t, ex);
  out.resize(start + kSlotPublicDataBytes, 0);
}

}  // namespace zkamm::tx
