#include "snark/r1cs.hpp"

namespace zkamm::snark {

ff::Fr evaluate(const LinearCombination& lc, std::span<const ff::Fr> witness) noexcept {
  ff::Fr acc;
  for (const auto& t : lc) {
    if (t.wire < witness.size()) acc += t.coeff * witness[t.wire];
  }
  return acc;
}

namespace {

bool wires_in_range(const LinearCombination& lc, size_t n) noexcept {
  for (const auto& t : lc) {
    if (t.wire >= n) return false;
  }
  return true;
}

}  // namespace

std::optional<size_t> R1cs::first_unsatisfied(std::span<const ff::Fr> witness) const {
  if (witness.size() != num_wires) return constraints.empty() ? std::nullopt : std::optional<size_t>{0};
  for (size_t i = 0; i < constraints.size(); ++i) {
    const auto& c = constraints[i];
    if (!wires_in_range(c.a, witness.size()) || !wires_in_range(c.b, witness.size()) ||
        !wires_in_range(c.c, witness.size())) {
      return i;
    }
    if (!(evaluate(c.a, witness) * evaluate(c.b, witness) == evaluate(c.c, witness))) return i;
  }
  return std::nullopt;
}

bool R1cs::is_satisfied(std::span<const ff::Fr> witness) const {
  if (witness.size() != num_wires || witness.empty() || !witness[0].is_one()) return false;
  return !first_unsatisfied(witness).has_value();
}

}  // namespace zkamm::snark
