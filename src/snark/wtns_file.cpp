#include "snark/wtns_file.hpp"

namespace zkamm::snark {

std::vector<uint8_t> encode_wtns(std::span<const ff::Fr> witness) {
  BinWriter w("wtns", 2);
  w.begin_section(1);
  write_prime_header(w, ff::Fr::kModulus);
  w.u32(static_cast<uint32_t>(witness.size()));
  w.end_section();
  w.begin_section(2);
  for (const auto& v : witness) w.u256(v.to_canonical());
  w.end_section();
  return std::move(w).finish();
}

Result<std::vector<ff::Fr>> decode_wtns(std::vector<uint8_t> bytes) {
  auto file = parse_binfile(std::move(bytes), "wtns", 2);
  if (!file) return file.error();
  auto hs = file->unique_section(1);
  if (!hs) return hs.error();
  ByteReader h(*hs);
  if (auto e = read_prime_header(h, ff::Fr::kModulus); e != FileError::kOk) return e;
  uint32_t n = 0;
  if (!h.u32(n)) return FileError::kTruncated;
  if (!h.at_end()) return FileError::kBadSectionSize;
  auto vs = file->unique_section(2);
  if (!vs) return vs.error();
  if (vs->size() != static_cast<size_t>(n) * 32) return FileError::kBadSectionSize;
  ByteReader v(*vs);
  std::vector<ff::Fr> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    auto x = read_fr_canonical(v);
    if (!x) return x.error();
    out.push_back(*x);
  }
  return out;
}

Result<std::vector<ff::Fr>> read_wtns(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return decode_wtns(std::move(bytes).take());
}

FileError write_wtns(const std::string& path, std::span<const ff::Fr> witness) {
  return write_file_bytes(path, encode_wtns(witness));
}

}  // namespace zkamm::snark
