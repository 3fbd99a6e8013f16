#pragma once
// The iden3 binary container shared by circom/snarkjs files (.r1cs, .wtns, .zkey, .ptau):
//   magic[4] | version u32 | n_sections u32 | n_sections x { type u32 | size u64 | bytes[size] }
// all integers little-endian. Layout learned from iden3/binfileutils (src/binfileutils.js).
// Parsing never trusts a size field: every length is checked against the bytes that remain.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ff/bn254.hpp"

namespace zkamm::snark {

/// Why a file could not be read or written.
enum class [[nodiscard]] FileError : uint8_t {
  kOk = 0,
  kIo,                ///< open/read/write failed
  kTruncated,         ///< fewer bytes than a header or size field promises
  kBadMagic,          ///< the 4-byte file type does not match
  kBadVersion,        ///< version newer than we understand (or 0)
  kMissingSection,    ///< a required section is absent
  kDuplicateSection,  ///< a section that must be unique appears twice
  kBadSectionSize,    ///< a section's size disagrees with its contents
  kWrongPrime,        ///< field size/prime is not BN254's
  kNonCanonical,      ///< a field element >= its modulus
  kBadPoint,          ///< a curve point is off the curve or outside the subgroup
  kInconsistent,      ///< header counts contradict each other or the data
  kUnsupported,       ///< valid file using a feature we do not implement (e.g. PLONK, custom gates)
  kTooLarge,          ///< counts beyond what we accept (guards allocations)
  kBadJson,           ///< not JSON, or not the expected JSON shape
};

/// A short English description for error messages.
const char* to_string(FileError e) noexcept;

/// A value or the reason there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)), error_(FileError::kOk) {}  // NOLINT(implicit)
  Result(FileError error) : error_(error) {}                            // NOLINT(implicit)
  bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  FileError error() const noexcept { return error_; }
  /// Precondition: ok().
  T& operator*() & noexcept { return *value_; }
  const T& operator*() const& noexcept { return *value_; }
  T* operator->() noexcept { return &*value_; }
  const T* operator->() const noexcept { return &*value_; }
  T take() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
  FileError error_;
};

/// Bounds-checked little-endian cursor over a byte span; every read fails (false) past the end.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data) noexcept : data_(data) {}
  bool u32(uint32_t& out) noexcept;
  bool u64(uint64_t& out) noexcept;
  /// Points `out` at the next n bytes and skips them.
  bool bytes(size_t n, std::span<const uint8_t>& out) noexcept;
  /// 32 little-endian bytes as an integer (no range check).
  bool u256(ff::U256& out) noexcept;
  size_t remaining() const noexcept { return data_.size() - pos_; }
  bool at_end() const noexcept { return pos_ == data_.size(); }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

/// A parsed container: the whole file and where each section's bytes are.
struct BinFile {
  struct Section {
    uint32_t type;
    size_t offset;
    size_t size;
  };
  std::vector<uint8_t> data;
  /// The bytes the sections index when they are held elsewhere (parse_binfile_view); else empty
  /// and the sections index `data`.
  std::span<const uint8_t> view;
  uint32_t version = 0;
  std::vector<Section> sections;

  /// The bytes of the single section of this type (kMissingSection / kDuplicateSection otherwise).
  Result<std::span<const uint8_t>> unique_section(uint32_t type) const;
  bool has_section(uint32_t type) const noexcept;
};

/// Parses a container; magic is 4 characters; accepts versions 1..max_version.
Result<BinFile> parse_binfile(std::vector<uint8_t> data, std::string_view magic, uint32_t max_version);
/// As parse_binfile over bytes held elsewhere (a mapped file), which must outlive the result.
Result<BinFile> parse_binfile_view(std::span<const uint8_t> bytes, std::string_view magic, uint32_t max_version);

/// Builds a container in memory; sections are written in the order begun.
class BinWriter {
 public:
  /// magic is 4 characters.
  BinWriter(std::string_view magic, uint32_t version);
  void begin_section(uint32_t type);
  void end_section();
  void u32(uint32_t v);
  void u64(uint64_t v);
  void bytes(std::span<const uint8_t> b);
  /// 32 little-endian bytes.
  void u256(const ff::U256& v);
  /// Precondition: no section open. Returns the finished file.
  std::vector<uint8_t> finish() &&;

 private:
  std::vector<uint8_t> out_;
  uint32_t n_sections_ = 0;
  size_t section_size_pos_ = 0;
  bool in_section_ = false;
};

/// Whole-file I/O (no size limit beyond memory).
Result<std::vector<uint8_t>> read_file_bytes(const std::string& path);
FileError write_file_bytes(const std::string& path, std::span<const uint8_t> bytes);

/// Field header used by .r1cs/.wtns (n8 u32 then the prime in n8 LE bytes): accepts only
/// n8 = 32 with the given prime.
FileError read_prime_header(ByteReader& r, const ff::U256& expected_prime);
void write_prime_header(BinWriter& w, const ff::U256& prime);

/// An Fr element stored as its plain (canonical) value, 32 LE bytes; rejects values >= r.
Result<ff::Fr> read_fr_canonical(ByteReader& r);

}  // namespace zkamm::snark
