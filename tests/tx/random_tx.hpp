#pragma once
// Seeded random transactions for the tx tests (self-generated values; the oracle test checks
// them against circomlibjs). The seed is printed; ZKAMM_SEED overrides it.
#include <cstdlib>
#include <iostream>
#include <random>
#include <type_traits>
#include <utility>

#include "common/seed.hpp"
#include "tx/tx.hpp"

namespace zkamm::tx::testing {

using zkamm::testing::test_seed;

/// Random values in range; amounts and times often at their extremes.
struct RandomFiller {
  std::mt19937_64& rng;
  template <class T>
  void operator()(const char*, T& m, Field f) {
    const uint64_t pick = rng() % 8;
    if constexpr (std::is_same_v<T, Amount>) {
      if (pick == 0) m = 0;
      else if (pick == 1) m = ~Amount{0};
      else m = (static_cast<Amount>(rng()) << 64 | rng()) >> (rng() % 128);
    } else if constexpr (std::is_integral_v<T>) {
      uint64_t v = pick == 0 ? 0 : pick == 1 ? ~uint64_t{0} : rng() >> (rng() % 64);
      if (f == Field::Account) v %= kAccountLimit;
      if (f == Field::Token) v %= kTokenLimit;
      m = static_cast<T>(v);
    } else {
      for (auto& b : m) b = static_cast<uint8_t>(rng());
    }
  }
};

template <std::size_t I>
Tx random_tx_of(std::mt19937_64& rng) {
  Tx t(std::in_place_index<I>);
  std::visit([&](auto& x) { std::remove_cvref_t<decltype(x)>::visit(x, RandomFiller{rng}); }, t);
  return t;
}

inline Tx random_tx(std::mt19937_64& rng, TxType type) {
  Tx t;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((static_cast<std::size_t>(type) == I ? (void)(t = random_tx_of<I>(rng)) : void()), ...);
  }(std::make_index_sequence<kTxTypeCount>{});
  return t;
}

inline constexpr TxType kL2Types[] = {TxType::Transfer,     TxType::SwapExactIn,     TxType::SwapExactOut,
                                      TxType::CreatePool,   TxType::AddLiquidity,    TxType::RemoveLiquidity,
                                      TxType::Withdraw};

}  // namespace zkamm::tx::testing
