#pragma once
// Fixed-base scalar multiplication for key generation: many scalars times one generator.
// Precomputes d * 2^(8w) * G for all 8-bit digits d and windows w (Yao's method; see Menezes,
// van Oorschot, Vanstone, "Handbook of Applied Cryptography", section 14.6.3), so each product
// costs at most 32 mixed additions and no doublings.
#include <span>
#include <vector>

#include "ec/short_weierstrass.hpp"
#include "ff/bn254.hpp"
#include "ff/parallel.hpp"

namespace zkamm::snark {

template <class Cfg>
class FixedBaseTable {
 public:
  using Affine = ec::AffinePoint<Cfg>;
  using Point = ec::JacobianPoint<Cfg>;
  static constexpr unsigned kWindowBits = 8;
  static constexpr unsigned kWindows = 256 / kWindowBits;
  static constexpr unsigned kDigits = 1u << kWindowBits;

  explicit FixedBaseTable(const Point& base) : table_(size_t{kWindows} * kDigits) {
    std::vector<Point> jac(table_.size());
    Point window_base = base;
    for (unsigned w = 0; w < kWindows; ++w) {
      jac[w * kDigits] = Point::identity();
      for (unsigned d = 1; d < kDigits; ++d) jac[w * kDigits + d] = jac[w * kDigits + d - 1] + window_base;
      for (unsigned i = 0; i < kWindowBits; ++i) window_base = window_base.dbl();
    }
    Point::batch_to_affine(jac, table_);
  }

  /// [k] base for a plain (canonical) scalar.
  Point mul(const ff::U256& k) const noexcept {
    Point acc = Point::identity();
    for (unsigned w = 0; w < kWindows; ++w) {
      const unsigned d = static_cast<unsigned>(k[w / 8] >> ((w % 8) * 8)) & (kDigits - 1);
      if (d != 0) acc = acc.add_mixed(table_[w * kDigits + d]);
    }
    return acc;
  }

  /// out[i] = [scalars[i]] base, in affine form; equal sizes. Multithreaded.
  void mul_batch(std::span<const ff::Fr> scalars, std::span<Affine> out) const {
    ff::parallel_for_chunks(scalars.size(), [&](size_t begin, size_t end, unsigned) {
      constexpr size_t kBatch = 4096;
      std::vector<Point> tmp;
      tmp.reserve(kBatch);
      for (size_t s = begin; s < end; s += kBatch) {
        const size_t e = std::min(end, s + kBatch);
        tmp.clear();
        for (size_t i = s; i < e; ++i) tmp.push_back(mul(scalars[i].to_canonical()));
        Point::batch_to_affine(tmp, out.subspan(s, e - s));
      }
    });
  }

 private:
  std::vector<Affine> table_;
};

}  // namespace zkamm::snark
