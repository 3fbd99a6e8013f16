#include "snark/iden3_binfile.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>

namespace zkamm::snark {

const char* to_string(FileError e) noexcept {
  switch (e) {
    case FileError::kOk: return "ok";
    case FileError::kIo: return "cannot open, read or write the file";
    case FileError::kTruncated: return "file is truncated";
    case FileError::kBadMagic: return "wrong file type (magic bytes)";
    case FileError::kBadVersion: return "unsupported file version";
    case FileError::kMissingSection: return "a required section is missing";
    case FileError::kDuplicateSection: return "a section appears more than once";
    case FileError::kBadSectionSize: return "a section has the wrong size";
    case FileError::kWrongPrime: return "field is not BN254";
    case FileError::kNonCanonical: return "a field element is not reduced (>= modulus)";
    case FileError::kBadPoint: return "a curve point is invalid";
    case FileError::kInconsistent: return "header counts are inconsistent";
    case FileError::kUnsupported: return "unsupported feature";
    case FileError::kTooLarge: return "counts are too large";
    case FileError::kBadJson: return "malformed JSON";
  }
  return "unknown error";
}

bool ByteReader::u32(uint32_t& out) noexcept {
  if (remaining() < 4) return false;
  out = 0;
  for (int i = 3; i >= 0; --i) out = (out << 8) | data_[pos_ + static_cast<size_t>(i)];
  pos_ += 4;
  return true;
}

bool ByteReader::u64(uint64_t& out) noexcept {
  if (remaining() < 8) return false;
  out = 0;
  for (int i = 7; i >= 0; --i) out = (out << 8) | data_[pos_ + static_cast<size_t>(i)];
  pos_ += 8;
  return true;
}

bool ByteReader::bytes(size_t n, std::span<const uint8_t>& out) noexcept {
  if (remaining() < n) return false;
  out = data_.subspan(pos_, n);
  pos_ += n;
  return true;
}

bool ByteReader::u256(ff::U256& out) noexcept {
  std::span<const uint8_t> b;
  if (!bytes(32, b)) return false;
  out = ff::from_bytes_le(b.data());
  return true;
}

Result<std::span<const uint8_t>> BinFile::unique_section(uint32_t type) const {
  const Section* found = nullptr;
  for (const auto& s : sections) {
    if (s.type != type) continue;
    if (found != nullptr) return FileError::kDuplicateSection;
    found = &s;
  }
  if (found == nullptr) return FileError::kMissingSection;
  return (view.empty() ? std::span<const uint8_t>(data) : view).subspan(found->offset, found->size);
}

bool BinFile::has_section(uint32_t type) const noexcept {
  for (const auto& s : sections)
    if (s.type == type) return true;
  return false;
}

namespace {

/// Reads the header and section table of `bytes` into f.
FileError parse_layout(std::span<const uint8_t> bytes, std::string_view magic, uint32_t max_version, BinFile& f) {
  ByteReader r(bytes);
  std::span<const uint8_t> m;
  if (!r.bytes(4, m)) return FileError::kTruncated;
  if (magic.size() != 4 || std::memcmp(m.data(), magic.data(), 4) != 0) return FileError::kBadMagic;
  uint32_t n_sections = 0;
  if (!r.u32(f.version) || !r.u32(n_sections)) return FileError::kTruncated;
  if (f.version == 0 || f.version > max_version) return FileError::kBadVersion;
  // Each section costs at least 12 header bytes, so n_sections is bounded by the file size
  // before we reserve anything.
  if (n_sections > r.remaining() / 12) return FileError::kTruncated;
  f.sections.reserve(n_sections);
  for (uint32_t i = 0; i < n_sections; ++i) {
    uint32_t type = 0;
    uint64_t size = 0;
    if (!r.u32(type) || !r.u64(size)) return FileError::kTruncated;
    if (size > r.remaining()) return FileError::kTruncated;
    const size_t offset = bytes.size() - r.remaining();
    std::span<const uint8_t> skip;
    if (!r.bytes(static_cast<size_t>(size), skip)) return FileError::kTruncated;
    f.sections.push_back({type, offset, static_cast<size_t>(size)});
  }
  return FileError::kOk;
}

}  // namespace

Result<BinFile> parse_binfile(std::vector<uint8_t> data, std::string_view magic, uint32_t max_version) {
  BinFile f;
  f.data = std::move(data);
  if (auto e = parse_layout(f.data, magic, max_version, f); e != FileError::kOk) return e;
  return f;
}

Result<BinFile> parse_binfile_view(std::span<const uint8_t> bytes, std::string_view magic, uint32_t max_version) {
  BinFile f;
  f.view = bytes;
  if (auto e = parse_layout(bytes, magic, max_version, f); e != FileError::kOk) return e;
  return f;
}

BinWriter::BinWriter(std::string_view magic, uint32_t version) {
  out_.insert(out_.end(), magic.begin(), magic.end());
  u32(version);
  u32(0);  // section count, patched by finish()
}

void BinWriter::begin_section(uint32_t type) {
  u32(type);
  section_size_pos_ = out_.size();
  u64(0);
  in_section_ = true;
  ++n_sections_;
}

void BinWriter::end_section() {
  uint64_t size = out_.size() - section_size_pos_ - 8;
  for (int i = 0; i < 8; ++i) out_[section_size_pos_ + static_cast<size_t>(i)] = static_cast<uint8_t>(size >> (8 * i));
  in_section_ = false;
}

void BinWriter::u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void BinWriter::u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void BinWriter::bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }

void BinWriter::u256(const ff::U256& v) {
  uint8_t buf[32];
  ff::to_bytes_le(v, buf);
  bytes(buf);
}

std::vector<uint8_t> BinWriter::finish() && {
  for (int i = 0; i < 4; ++i) out_[8 + static_cast<size_t>(i)] = static_cast<uint8_t>(n_sections_ >> (8 * i));
  return std::move(out_);
}

Result<std::vector<uint8_t>> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileError::kIo;
  // One read of the known size: a .zkey is tens of MB, and byte-wise streambuf iteration with
  // repeated reallocation cost more than decoding it. Non-seekable inputs fall back to chunks.
  std::vector<uint8_t> data;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size >= 0 && in) {
    in.seekg(0, std::ios::beg);
    data.resize(static_cast<size_t>(size));
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size)) return FileError::kIo;
    // A file that grew after tellg: take the rest too, so the result is the whole file.
    if (in.peek() == std::char_traits<char>::eof()) return data;
  } else {
    in.clear();
  }
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0)
    data.insert(data.end(), buf, buf + static_cast<size_t>(in.gcount()));
  if (in.bad()) return FileError::kIo;
  return data;
}

FileError write_file_bytes(const std::string& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return FileError::kIo;
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  return out ? FileError::kOk : FileError::kIo;
}

FileError read_prime_header(ByteReader& r, const ff::U256& expected_prime) {
  uint32_t n8 = 0;
  if (!r.u32(n8)) return FileError::kTruncated;
  if (n8 != 32) return FileError::kWrongPrime;
  ff::U256 prime{};
  if (!r.u256(prime)) return FileError::kTruncated;
  return prime == expected_prime ? FileError::kOk : FileError::kWrongPrime;
}

void write_prime_header(BinWriter& w, const ff::U256& prime) {
  w.u32(32);
  w.u256(prime);
}

Result<ff::Fr> read_fr_canonical(ByteReader& r) {
  ff::U256 v{};
  if (!r.u256(v)) return FileError::kTruncated;
  auto f = ff::Fr::from_canonical(v);
  if (!f) return FileError::kNonCanonical;
  return *f;
}

}  // namespace zkamm::snark
