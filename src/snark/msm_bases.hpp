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

#include "ec/glv.hpp"
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

  /// The GLV form's points (snark/msm_pippenger.hpp, glv_expand) as a view of `source`: point i
  /// is source[refs[i] >> 2], through phi (ec/glv.hpp) when bit 1 is set, negated when bit 0 is.
  /// No copy of the points: phi costs one multiplication (two on G2) per read, and a task that
  /// fills several windows at once reads each point once (MsmParams::window_group).
  static MsmBases glv_view(const MsmBases& source, std::span<const uint32_t> refs) noexcept {
    MsmBases b = source;
    b.glv_ = refs.data();
    b.size_ = refs.size();
    return b;
  }

  size_t size() const noexcept { return size_; }
  /// The decoded points, or an empty span when the bases are .zkey records (a mapped key) or a
  /// GLV view.
  std::span<const Affine> decoded() const noexcept {
    return records_ == nullptr && glv_ == nullptr ? points_ : std::span<const Affine>{};
  }
  bool empty() const noexcept { return size_ == 0; }

  Affine operator[](size_t i) const noexcept {
    if (glv_ != nullptr) {
      const uint32_t r = glv_[i];
      Affine p = at(r >> 2);
      if ((r & 2) != 0) p = ec::glv_endo(p);
      return (r & 1) != 0 ? -p : p;
    }
    return at(i);
  }

  /// Hints the cache that point i is read soon.
  void prefetch(size_t i) const noexcept {
    if (glv_ != nullptr) i = glv_[i] >> 2;
    const void* p = records_ != nullptr ? static_cast<const void*>(records_ + i * kRecordBytes)
                                        : static_cast<const void*>(points_.data() + i);
    __builtin_prefetch(p);
  }

  /// Points [begin, begin + count).
  MsmBases subspan(size_t begin, size_t count) const noexcept {
    MsmBases b = *this;
    if (glv_ != nullptr) {
      b.glv_ = glv_ + begin;
    } else if (records_ != nullptr) {
      b.records_ = records_ + begin * kRecordBytes;
    } else {
      b.points_ = points_.subspan(begin, count);
    }
    b.size_ = count;
    return b;
  }

 private:
  /// Point i of the underlying points or records.
  Affine at(size_t i) const noexcept {
    if (records_ == nullptr) return points_[i];
    Affine p;
    const uint8_t* r = records_ + i * kRecordBytes;
    std::memcpy(static_cast<void*>(&p.x), r, sizeof(Field));
    std::memcpy(static_cast<void*>(&p.y), r + sizeof(Field), sizeof(Field));
    p.infinity = p.x.is_zero() && p.y.is_zero();
    return p;
  }

  std::span<const Affine> points_;
  const uint8_t* records_ = nullptr;
  const uint32_t* glv_ = nullptr;  // a GLV view: references into points_ or records_
  size_t size_ = 0;
};

}  // namespace zkamm::snark
