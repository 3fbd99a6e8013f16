#include "snark/constraint_system.hpp"

#include <algorithm>

namespace zkamm::snark {

using ff::Fr;

ConstraintSystem::ConstraintSystem(Mode mode) : mode_(mode) { values_.push_back(Fr::one()); }

Variable ConstraintSystem::alloc_public(const Fr& value) {
  const Variable v{static_cast<uint32_t>(values_.size())};
  values_.push_back(value);
  public_.push_back(v.index);
  return v;
}

Variable ConstraintSystem::alloc(const Fr& value) {
  const Variable v{static_cast<uint32_t>(values_.size())};
  values_.push_back(value);
  return v;
}

Variable ConstraintSystem::alloc_lc(const LinearExpr& lc) {
  const Variable v = alloc(eval(lc));
  enforce(lc, one(), v);
  return v;
}

Variable ConstraintSystem::mul(const LinearExpr& a, const LinearExpr& b) {
  const Variable v = alloc(eval(a) * eval(b));
  enforce(a, b, v);
  return v;
}

void ConstraintSystem::enforce(const LinearExpr& a, const LinearExpr& b, const LinearExpr& c) {
  ++constraint_count_;
  if (mode_ == Mode::kFull) constraints_.push_back({a, b, c});
}

Fr ConstraintSystem::eval(const LinearExpr& lc) const noexcept {
  Fr acc;
  for (const auto& [wire, coeff] : lc.terms()) acc += values_[wire] * coeff;
  return acc;
}

std::optional<size_t> ConstraintSystem::first_unsatisfied() const {
  for (size_t i = 0; i < constraints_.size(); ++i) {
    const auto& c = constraints_[i];
    if (eval(c.a) * eval(c.b) != eval(c.c)) return i;
  }
  return std::nullopt;
}

std::vector<uint32_t> ConstraintSystem::wire_order() const {
  std::vector<uint32_t> order(values_.size(), 0);
  std::vector<bool> is_public(values_.size(), false);
  uint32_t next = 1;
  for (uint32_t p : public_) {
    is_public[p] = true;
    order[p] = next++;
  }
  for (uint32_t i = 1; i < values_.size(); ++i) {
    if (!is_public[i]) order[i] = next++;
  }
  return order;
}

namespace {

/// Maps builder indices to iden3 wires and merges repeated wires, dropping zero coefficients
/// (iden3 tools expect each wire at most once per linear combination).
snark::LinearCombination to_r1cs_lc(const LinearExpr& lc, const std::vector<uint32_t>& order) {
  snark::LinearCombination out;
  out.reserve(lc.terms().size());
  for (const auto& [wire, coeff] : lc.terms()) out.push_back({order[wire], coeff});
  std::sort(out.begin(), out.end(), [](const Term& x, const Term& y) { return x.wire < y.wire; });
  size_t kept = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    if (kept > 0 && out[kept - 1].wire == out[i].wire) {
      out[kept - 1].coeff += out[i].coeff;
    } else {
      out[kept++] = out[i];
    }
  }
  out.resize(kept);
  std::erase_if(out, [](const Term& t) { return t.coeff.is_zero(); });
  return out;
}

}  // namespace

R1cs ConstraintSystem::to_r1cs() const {
  const auto order = wire_order();
  R1cs r;
  r.num_wires = static_cast<uint32_t>(values_.size());
  r.num_public_outputs = 0;
  r.num_public_inputs = static_cast<uint32_t>(public_.size());
  r.num_private_inputs = 0;
  r.num_labels = values_.size();
  r.constraints.reserve(constraints_.size());
  for (const auto& c : constraints_) {
    r.constraints.push_back({to_r1cs_lc(c.a, order), to_r1cs_lc(c.b, order), to_r1cs_lc(c.c, order)});
  }
  return r;
}

std::vector<Fr> ConstraintSystem::witness() const {
  const auto order = wire_order();
  std::vector<Fr> w(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) w[order[i]] = values_[i];
  return w;
}

std::vector<Fr> ConstraintSystem::public_inputs() const {
  std::vector<Fr> out;
  out.reserve(public_.size());
  for (uint32_t p : public_) out.push_back(values_[p]);
  return out;
}

}  // namespace zkamm::snark
