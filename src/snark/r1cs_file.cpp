#include "snark/r1cs_file.hpp"

#include <algorithm>

namespace zkamm::snark {
namespace {

constexpr uint32_t kHeader = 1;
constexpr uint32_t kConstraints = 2;
constexpr uint32_t kWireMap = 3;

// iden3 tools read a linear combination as a map wire -> coefficient (r1csfile.js readLC assigns
// lc[idx] = val, so a repeated wire keeps only its last coefficient). We therefore write the
// canonical form circom writes: wires ascending, each once, coefficients summed, zeros dropped.
template <class Lc>
void put_lc(BinWriter& w, const Lc& lc) {
  std::vector<std::pair<uint32_t, ff::Fr>> terms;
  terms.reserve(lc.size());
  for (const auto& t : lc) terms.emplace_back(t.wire, t.coeff);
  std::stable_sort(terms.begin(), terms.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::pair<uint32_t, ff::Fr>> merged;
  for (const auto& t : terms) {
    if (!merged.empty() && merged.back().first == t.first) {
      merged.back().second += t.second;
    } else {
      merged.push_back(t);
    }
  }
  std::erase_if(merged, [](const auto& t) { return t.second.is_zero(); });
  w.u32(static_cast<uint32_t>(merged.size()));
  for (const auto& [wire, coeff] : merged) {
    w.u32(wire);
    w.u256(coeff.to_canonical());
  }
}

template <class Lc>
FileError get_lc(ByteReader& r, uint32_t num_wires, Lc& lc) {
  uint32_t n = 0;
  if (!r.u32(n)) return FileError::kTruncated;
  if (n > r.remaining() / 36) return FileError::kTruncated;  // each term is 4 + 32 bytes
  lc.clear();
  lc.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t wire = 0;
    if (!r.u32(wire)) return FileError::kTruncated;
    if (wire >= num_wires) return FileError::kInconsistent;
    auto c = read_fr_canonical(r);
    if (!c) return c.error();
    lc.push_back({wire, *c});
  }
  // A repeated wire has no agreed meaning (see put_lc): refuse it rather than guess.
  std::vector<uint32_t> wires;
  wires.reserve(lc.size());
  for (const auto& t : lc) wires.push_back(t.wire);
  std::sort(wires.begin(), wires.end());
  if (std::adjacent_find(wires.begin(), wires.end()) != wires.end()) return FileError::kNonCanonical;
  return FileError::kOk;
}

}  // namespace

std::vector<uint8_t> encode_r1cs(const R1cs& r, std::span<const uint64_t> wire_to_label) {
  BinWriter w("r1cs", 1);
  w.begin_section(kHeader);
  write_prime_header(w, ff::Fr::kModulus);
  w.u32(r.num_wires);
  w.u32(r.num_public_outputs);
  w.u32(r.num_public_inputs);
  w.u32(r.num_private_inputs);
  w.u64(r.num_labels);
  w.u32(static_cast<uint32_t>(r.constraints.size()));
  w.end_section();

  w.begin_section(kConstraints);
  for (const auto& c : r.constraints) {
    put_lc(w, c.a);
    put_lc(w, c.b);
    put_lc(w, c.c);
  }
  w.end_section();

  w.begin_section(kWireMap);
  for (uint32_t i = 0; i < r.num_wires; ++i) w.u64(wire_to_label.size() == r.num_wires ? wire_to_label[i] : i);
  w.end_section();
  return std::move(w).finish();
}

// 2^28: the most constraints a BN254 Groth16 domain (Fr's two-adicity) and snarkjs' largest
// powers of tau serve; a circuit with more wires than that is far beyond anything provable here.
constexpr uint32_t kMaxWires = 1U << 28;

Result<R1cs> decode_r1cs(std::vector<uint8_t> bytes) {
  auto file = parse_binfile(std::move(bytes), "r1cs", 1);
  if (!file) return file.error();
  if (file->has_section(4) || file->has_section(5)) return FileError::kUnsupported;

  auto hs = file->unique_section(kHeader);
  if (!hs) return hs.error();
  ByteReader h(*hs);
  if (auto e = read_prime_header(h, ff::Fr::kModulus); e != FileError::kOk) return e;
  R1cs r;
  uint32_t n_constraints = 0;
  if (!h.u32(r.num_wires) || !h.u32(r.num_public_outputs) || !h.u32(r.num_public_inputs) ||
      !h.u32(r.num_private_inputs) || !h.u64(r.num_labels) || !h.u32(n_constraints))
    return FileError::kTruncated;
  if (!h.at_end()) return FileError::kBadSectionSize;
  const uint64_t io = 1ULL + r.num_public_outputs + r.num_public_inputs + r.num_private_inputs;
  if (r.num_wires == 0 || io > r.num_wires) return FileError::kInconsistent;
  // Nothing else bounds nWires when the optional label map is absent, and every user allocates
  // per wire (witness, keys): a 300-byte file could ask for 2^32 of them (found by fuzz_r1cs).
  if (r.num_wires > kMaxWires) return FileError::kTooLarge;

  auto cs = file->unique_section(kConstraints);
  if (!cs) return cs.error();
  ByteReader c(*cs);
  // Each constraint needs at least 12 bytes (three empty LCs): bounds the reservation.
  if (n_constraints > c.remaining() / 12) return FileError::kTruncated;
  r.constraints.resize(n_constraints);
  for (auto& con : r.constraints) {
    for (auto* lc : {&con.a, &con.b, &con.c}) {
      if (auto e = get_lc(c, r.num_wires, *lc); e != FileError::kOk) return e;
    }
  }
  if (!c.at_end()) return FileError::kBadSectionSize;

  // The label map is optional for proving; when present it must hold one u64 per wire.
  if (file->has_section(kWireMap)) {
    auto ms = file->unique_section(kWireMap);
    if (!ms) return ms.error();
    if (ms->size() != static_cast<size_t>(r.num_wires) * 8) return FileError::kBadSectionSize;
  }
  return r;
}

Result<R1cs> read_r1cs(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return decode_r1cs(std::move(bytes).take());
}

FileError write_r1cs(const std::string& path, const R1cs& r) { return write_file_bytes(path, encode_r1cs(r)); }

}  // namespace zkamm::snark
