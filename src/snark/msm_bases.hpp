#pragma once
// The bases of an MSM, read either from decoded points or in place from a .zkey's point records
// (snarkjs layout: affine x then y, each coordinate as its Montgomery-form limbs, 32 LE bytes per
// Fq, G2 coordinates c0 then c1; all zero bytes = the point at infinity). The second form lets the
// prover run on a mapped .zkey without a decoded copy of its largest sections (snark/zkey_file.hpp);
// records are copied out with memcpy, so they need no alignment.
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

#include "ec/short_weierstrass.hpp"

namespace zkamm::snark {

template <class Cfg>
class MsmBases {
 public:
  using Affine = ec::AffinePoint<Cfg>;
  using Field = typename Cfg::Field;
  static constexpr size_t kRecordBytes = 2 * sizeof(Field);
  static_assert(std::is_trivially_copyable_v<Field> && sizeof(Field) % 32 == 0,
                "a coordinate must be its Montgomery limbs and nothing else");

  MsmBases() = default;
  /// Decoded points (the span must outlive every use).
  template <class Range>
    requires std::is_convertible_v<const Range&, std::span<const Affine>>
  MsmBases(const Range& points) noexcept  // NOLINT(google-explicit-constructor): a view, like span
      : points_(std::span<const Affine>(points)), size_(points_.size()) {}

  /// records.size() / kRecordBytes points in the .zkey layout; coordinates are taken as they are
  /// (not checked on the curve: a wrong key only yields a proof that fails to verify).
  static MsmBases records(std::span<const uint8_t> records) noexcept {
    MsmBases b;
    b.records_ = records.data();
    b.size_ = records.size() / kRecordBytes;
    return b;
  }

  size_t size() const noexcept { return size_; }
  /// The decoded points, or an empty span when the bases are .zkey records (a mapped key).
  std::span<const Affine> decoded() const noexcept { return records_ == nullptr ? points_ : std::span<const Affine>{}; }
  bool empty() const noexcept { return size_ == 0; }

  Affine operator[](size_t i) const noexcept {
    if (records_ == nullptr) return points_[i];
    Affine p;
    const uint8_t* r = records_ + i * kRecordBytes;
    std::memcpy(static_cast<void*>(&p.x), r, sizeof(Field));
    std::memcpy(static_cast<void*>(&p.y), r + sizeof(Field), sizeof(Field));
    p.infinity = p.x.is_zero() && p.y.is_zero();
    return p;
  }

  /// Hints the cache that point i is read soon.
  void prefetch(size_t i) const noexcept {
    const void* p = records_ != nullptr ? static_cast<const void*>(records_ + i * kRecordBytes)
                                        : static_cast<const void*>(points_.data() + i);
    __builtin_prefetch(p);
  }

  /// Points [begin, begin + count).
  MsmBases subspan(size_t begin, size_t count) const noexcept {
    MsmBases b = *this;
    if (records_ != nullptr) {
      b.records_ = records_ + begin * kRecordBytes;
    } else {
      b.points_ = points_.subspan(begin, count);
    }
    b.size_ = count;
    return b;
  }

 private:
  std::span<const Affine> points_;
  const uint8_t* records_ = nullptr;
  size_t size_ = 0;
};

}  // namespace zkamm::snark
