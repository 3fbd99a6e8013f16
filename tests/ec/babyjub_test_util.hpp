#pragma once
// What the Baby Jubjub tests share: the prime subgroup's order and random points of the whole group.
#include "ec/babyjubjub.hpp"

namespace zkamm::ec::testing {

/// l, the order of the prime subgroup (the group has order 8 * l).
inline constexpr ff::U256 kL = BabyJubScalarSpec::kModulus;

/// Any point of the full group (order 8 * l, torsion included): the generator times a random
/// scalar below 2^253.
template <class Rng>
BabyJubAffine random_point(Rng& rng) {
  return mul(BabyJubAffine::generator(), ff::U256{rng(), rng(), rng(), rng() >> 3});
}

}  // namespace zkamm::ec::testing
