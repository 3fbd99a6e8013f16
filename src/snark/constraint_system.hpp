#pragma once
// The constraint-system builder: gadgets allocate wires and state rank-1 constraints while the
// witness is computed alongside, so one piece of code defines both the circuit and the way to
// satisfy it. In witness-only mode (the prover's hot path for a fixed circuit) constraints are
// not stored at all.
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "ff/bn254.hpp"
#include "snark/r1cs.hpp"

namespace zkamm::snark {

/// A wire of the circuit under construction. Index 0 is the constant one.
struct Variable {
  uint32_t index = 0;
  friend bool operator==(Variable, Variable) = default;
};

/// sum coeff_i * wire_i; the constant term is carried by wire 0 (the constant one).
class LinearExpr {
 public:
  LinearExpr() = default;
  LinearExpr(Variable v) : terms_{{v.index, ff::Fr::one()}} {}  // NOLINT: implicit by design
  static LinearExpr constant(const ff::Fr& c) {
    LinearExpr lc;
    if (!c.is_zero()) lc.terms_.push_back({0, c});
    return lc;
  }
  static LinearExpr constant(uint64_t c) { return constant(ff::Fr::from_u64(c)); }

  LinearExpr& add_term(Variable v, const ff::Fr& coeff) {
    terms_.push_back({v.index, coeff});
    return *this;
  }
  LinearExpr& operator+=(const LinearExpr& o) {
    terms_.insert(terms_.end(), o.terms_.begin(), o.terms_.end());
    return *this;
  }
  LinearExpr& operator-=(const LinearExpr& o) {
    for (const auto& [w, c] : o.terms_) terms_.push_back({w, -c});
    return *this;
  }
  LinearExpr& operator*=(const ff::Fr& k) {
    for (auto& t : terms_) t.second *= k;
    return *this;
  }
  friend LinearExpr operator+(LinearExpr a, const LinearExpr& b) { return a += b; }
  friend LinearExpr operator-(LinearExpr a, const LinearExpr& b) { return a -= b; }
  friend LinearExpr operator*(LinearExpr a, const ff::Fr& k) { return a *= k; }
  friend LinearExpr operator*(const ff::Fr& k, LinearExpr a) { return a *= k; }
  LinearExpr operator-() const { return LinearExpr{} - *this; }

  const std::vector<std::pair<uint32_t, ff::Fr>>& terms() const noexcept { return terms_; }

 private:
  std::vector<std::pair<uint32_t, ff::Fr>> terms_;
};

class ConstraintSystem {
 public:
  enum class Mode { kFull, kWitnessOnly };

  explicit ConstraintSystem(Mode mode = Mode::kFull);

  Mode mode() const noexcept { return mode_; }
  static Variable one() noexcept { return Variable{0}; }

  /// A public input wire (part of the proof's statement) holding `value`.
  Variable alloc_public(const ff::Fr& value);
  /// A private wire holding `value`; the caller must constrain it.
  Variable alloc(const ff::Fr& value);
  /// A private wire equal to lc, with the constraint (lc) * 1 = wire.
  Variable alloc_lc(const LinearExpr& lc);
  /// A private wire equal to a * b, with the constraint a * b = wire.
  Variable mul(const LinearExpr& a, const LinearExpr& b);

  /// States a * b = c. Nothing is checked here: is_satisfied() reports violations afterwards, so
  /// soundness tests can build witnesses that break a rule and watch the system reject them.
  void enforce(const LinearExpr& a, const LinearExpr& b, const LinearExpr& c);
  void enforce_equal(const LinearExpr& a, const LinearExpr& b) { enforce(a - b, one(), {}); }

  const ff::Fr& value(Variable v) const noexcept { return values_[v.index]; }
  ff::Fr eval(const LinearExpr& lc) const noexcept;
  /// Overwrites a wire's value (for tests that tamper with a witness).
  void set_value(Variable v, const ff::Fr& value) noexcept { values_[v.index] = value; }

  size_t num_variables() const noexcept { return values_.size(); }
  size_t num_public() const noexcept { return public_.size(); }
  /// Constraints stated so far (counted in both modes).
  size_t num_constraints() const noexcept { return constraint_count_; }

  /// Index of the first violated constraint under the current values; only in full mode.
  std::optional<size_t> first_unsatisfied() const;
  bool is_satisfied() const { return !first_unsatisfied().has_value(); }

  /// The circuit in iden3 wire order (one, public inputs in allocation order, private wires).
  /// Full mode only. Public wires are reported as public inputs (no public outputs).
  R1cs to_r1cs() const;
  /// The witness in the same order as to_r1cs().
  std::vector<ff::Fr> witness() const;
  /// The public inputs (without the leading one) in allocation order.
  std::vector<ff::Fr> public_inputs() const;
  /// Position of each builder variable in the iden3 order (size num_variables()).
  std::vector<uint32_t> wire_order() const;

 private:
  struct StoredConstraint {
    LinearExpr a, b, c;
  };
  Mode mode_;
  std::vector<ff::Fr> values_;
  std::vector<uint32_t> public_;  // builder indices of public wires, in allocation order
  std::vector<StoredConstraint> constraints_;
  size_t constraint_count_ = 0;
};

}  // namespace zkamm::snark
