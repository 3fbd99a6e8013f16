#pragma once
// Bit decomposition gadgets: boolean wires, n-bit decomposition with packing, and the strict
// 254-bit decomposition of a field element that rejects the alias x + r (the role of circomlib's
// Num2Bits_strict / AliasCheck, done here with a most-significant-first scan against r - 1).
// Bit order is little-endian throughout: bits[i] has weight 2^i.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ff/bn254.hpp"
#include "snark/constraint_system.hpp"

namespace zkamm::circuit {

using Lc = snark::LinearExpr;

/// 2^k in Fr. Precondition: k <= 253.
const ff::Fr& pow2(unsigned k) noexcept;
/// 2^-k in Fr. Precondition: k <= 253.
const ff::Fr& inv_pow2(unsigned k) noexcept;

/// A value known to be 0 or 1: a constant, a boolean wire, or one minus a boolean wire. Gadgets
/// fold constants and negations for free (SHA-256's IV and padding cost no constraint).
struct Bit {
  enum class Kind : uint8_t { kConstant, kWire, kNotWire };
  Kind kind = Kind::kConstant;
  bool constant = false;  ///< the value, when kind == kConstant
  snark::Variable wire{};

  static Bit constant_bit(bool v) noexcept { return Bit{Kind::kConstant, v, {}}; }
  /// Precondition: w is constrained to be boolean.
  static Bit of(snark::Variable w) noexcept { return Bit{Kind::kWire, false, w}; }
  bool is_constant() const noexcept { return kind == Kind::kConstant; }
  Bit operator!() const noexcept;
  Lc lc() const;
  bool value(const snark::ConstraintSystem& cs) const noexcept;
};

/// Enforces v * (v - 1) = 0 (1 constraint).
void assert_boolean(snark::ConstraintSystem& cs, const Lc& v);
/// A new wire holding b, constrained boolean (1 constraint).
snark::Variable alloc_bit(snark::ConstraintSystem& cs, bool b);

/// Little-endian bits of x: n boolean wires plus one packing constraint (n + 1 constraints).
/// Satisfiable iff x < 2^n. Precondition: 1 <= n <= 253 (so that the decomposition is unique).
std::vector<snark::Variable> to_bits(snark::ConstraintSystem& cs, const Lc& x, size_t n);

/// sum 2^i bits[i] (no constraint). Precondition: bits.size() <= 254.
Lc from_bits(std::span<const snark::Variable> bits);
Lc from_bits(std::span<const Bit> bits);

/// Enforces sum 2^i bits[i] <= c as integers. Costs (ones of c below its top bit in the
/// scanned range) + (runs of zeros of c) constraints; for c = r - 1 that is 152.
/// Precondition: each bit is constrained boolean; bits.size() <= 256.
void assert_bits_le_constant(snark::ConstraintSystem& cs, std::span<const snark::Variable> bits,
                             const ff::U256& c);

/// The unique 254-bit decomposition of x, its integer value < r (bits of x + r are rejected):
/// 254 booleans + 1 packing + 152 for the comparison with r - 1 = 407 constraints.
std::vector<snark::Variable> to_bits_strict(snark::ConstraintSystem& cs, const Lc& x);

/// Constraints of to_bits_strict (for budgets and tests).
size_t to_bits_strict_constraint_count() noexcept;

}  // namespace zkamm::circuit
