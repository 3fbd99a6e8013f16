#include "snark/zkey_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "ff/parallel.hpp"

namespace zkamm::snark {
namespace {

using ec::G1Affine;
using ec::G2Affine;
using ff::Fq;
using ff::Fq2;
using ff::Fr;
using ff::U256;

constexpr uint32_t kGroth16 = 1;
constexpr size_t kG1Bytes = 64;
constexpr size_t kG2Bytes = 128;
constexpr size_t kCoefBytes = 12 + 32;
constexpr uint32_t kMaxDomain = 1U << 28;  // Fr's two-adicity

void put_g1(BinWriter& w, const G1Affine& p) {
  if (p.infinity) {
    w.u256(U256{});
    w.u256(U256{});
    return;
  }
  w.u256(p.x.raw());
  w.u256(p.y.raw());
}

void put_g2(BinWriter& w, const G2Affine& p) {
  if (p.infinity) {
    for (int i = 0; i < 4; ++i) w.u256(U256{});
    return;
  }
  w.u256(p.x.c0.raw());
  w.u256(p.x.c1.raw());
  w.u256(p.y.c0.raw());
  w.u256(p.y.c1.raw());
}

bool get_fq_mont(ByteReader& r, Fq& out, FileError& err) {
  U256 v{};
  if (!r.u256(v)) {
    err = FileError::kTruncated;
    return false;
  }
  if (!ff::less_than(v, Fq::kModulus)) {
    err = FileError::kNonCanonical;
    return false;
  }
  out = Fq::from_raw(v);
  return true;
}

FileError get_g1(ByteReader& r, G1Affine& p) {
  FileError err = FileError::kOk;
  Fq x, y;
  if (!get_fq_mont(r, x, err) || !get_fq_mont(r, y, err)) return err;
  if (x.is_zero() && y.is_zero()) {
    p = G1Affine{};
    return FileError::kOk;
  }
  p = G1Affine{x, y};
  return p.is_on_curve() ? FileError::kOk : FileError::kBadPoint;
}

FileError get_g2(ByteReader& r, G2Affine& p, bool check_subgroup) {
  FileError err = FileError::kOk;
  Fq x0, x1, y0, y1;
  if (!get_fq_mont(r, x0, err) || !get_fq_mont(r, x1, err) || !get_fq_mont(r, y0, err) ||
      !get_fq_mont(r, y1, err))
    return err;
  if (x0.is_zero() && x1.is_zero() && y0.is_zero() && y1.is_zero()) {
    p = G2Affine{};
    return FileError::kOk;
  }
  p = G2Affine{Fq2{x0, x1}, Fq2{y0, y1}};
  if (!p.is_on_curve()) return FileError::kBadPoint;
  if (check_subgroup && !p.is_in_subgroup()) return FileError::kBadPoint;
  return FileError::kOk;
}

/// Decodes `count` records of `record_bytes` each from `bytes` (size already checked) with
/// decode_one(ByteReader&, size_t index) -> FileError, in parallel chunks. Returns the error of
/// the lowest-index bad record, the same one a sequential pass reports.
template <class DecodeOne>
FileError decode_records(std::span<const uint8_t> bytes, size_t count, size_t record_bytes, DecodeOne&& decode_one) {
  // Below this many records a thread costs more than it saves.
  constexpr size_t kMinParallel = 1024;
  const unsigned workers = count < kMinParallel ? 1 : ff::worker_count();
  std::vector<FileError> errors(std::max(1U, workers), FileError::kOk);
  ff::parallel_for_chunks(
      count,
      [&](size_t begin, size_t end, unsigned worker) {
        ByteReader r(bytes.subspan(begin * record_bytes, (end - begin) * record_bytes));
        for (size_t i = begin; i < end; ++i) {
          if (auto e = decode_one(r, i); e != FileError::kOk) {
            errors[worker] = e;
            return;
          }
        }
      },
      workers);
  for (FileError e : errors)
    if (e != FileError::kOk) return e;
  return FileError::kOk;
}

/// A section holding exactly `count` G1 points.
FileError get_g1_section(const BinFile& f, uint32_t type, size_t count, std::vector<G1Affine>& out) {
  auto s = f.unique_section(type);
  if (!s) return s.error();
  if (s->size() != count * kG1Bytes) return FileError::kBadSectionSize;
  out.resize(count);
  return decode_records(*s, count, kG1Bytes, [&](ByteReader& r, size_t i) { return get_g1(r, out[i]); });
}

// Coefficients are stored as v * R^2 (see header). Our raw() is v * R, so the stored integer is
// the raw() of the element whose plain value is v * R.
U256 coef_to_file(const Fr& v) { return Fr::from_canonical_unchecked(v.raw()).raw(); }
Fr coef_from_file(const U256& stored) { return Fr::from_raw(Fr::from_raw(stored).to_canonical()); }

}  // namespace

std::vector<uint8_t> encode_zkey(const ProvingKey& pk) {
  BinWriter w("zkey", 1);
  w.begin_section(1);
  w.u32(kGroth16);
  w.end_section();

  w.begin_section(2);
  w.u32(32);
  w.u256(Fq::kModulus);
  w.u32(32);
  w.u256(Fr::kModulus);
  w.u32(pk.num_vars);
  w.u32(pk.num_public);
  w.u32(pk.domain_size);
  put_g1(w, pk.alpha_g1);
  put_g1(w, pk.beta_g1);
  put_g2(w, pk.beta_g2);
  put_g2(w, pk.gamma_g2);
  put_g1(w, pk.delta_g1);
  put_g2(w, pk.delta_g2);
  w.end_section();

  w.begin_section(3);
  for (const auto& p : pk.ic) put_g1(w, p);
  w.end_section();

  w.begin_section(4);
  w.u32(static_cast<uint32_t>(pk.coefs.size()));
  for (const auto& c : pk.coefs) {
    w.u32(c.matrix);
    w.u32(c.constraint);
    w.u32(c.signal);
    w.u256(coef_to_file(c.value));
  }
  w.end_section();

  w.begin_section(5);
  for (const auto& p : pk.a_g1) put_g1(w, p);
  w.end_section();
  w.begin_section(6);
  for (const auto& p : pk.b1_g1) put_g1(w, p);
  w.end_section();
  w.begin_section(7);
  for (const auto& p : pk.b2_g2) put_g2(w, p);
  w.end_section();
  w.begin_section(8);
  for (const auto& p : pk.c_g1) put_g1(w, p);
  w.end_section();
  w.begin_section(9);
  for (const auto& p : pk.h_g1) put_g1(w, p);
  w.end_section();

  // No MPC transcript: a zero circuit hash and zero contributions (snarkjs' own zkey_new writes
  // the same shape with the real hash; provers and `export verificationkey` never read it).
  w.begin_section(10);
  const uint8_t zero_hash[64] = {};
  w.bytes(zero_hash);
  w.u32(0);
  w.end_section();
  return std::move(w).finish();
}

namespace {

/// Sections 1 (protocol), 2 (header) and 3 (IC) into pk.
FileError decode_header(const BinFile& f, ProvingKey& pk) {
  {
    auto s = f.unique_section(1);
    if (!s) return s.error();
    ByteReader r(*s);
    uint32_t protocol = 0;
    if (!r.u32(protocol)) return FileError::kTruncated;
    if (!r.at_end()) return FileError::kBadSectionSize;
    if (protocol != kGroth16) return FileError::kUnsupported;
  }

  {
    auto s = f.unique_section(2);
    if (!s) return s.error();
    ByteReader r(*s);
    if (auto e = read_prime_header(r, Fq::kModulus); e != FileError::kOk) return e;
    if (auto e = read_prime_header(r, Fr::kModulus); e != FileError::kOk) return e;
    if (!r.u32(pk.num_vars) || !r.u32(pk.num_public) || !r.u32(pk.domain_size)) return FileError::kTruncated;
    if (pk.num_vars == 0 || static_cast<uint64_t>(pk.num_public) + 1 > pk.num_vars) return FileError::kInconsistent;
    if (pk.domain_size == 0 || (pk.domain_size & (pk.domain_size - 1)) != 0) return FileError::kInconsistent;
    if (pk.domain_size > kMaxDomain) return FileError::kTooLarge;
    for (FileError e : {get_g1(r, pk.alpha_g1), get_g1(r, pk.beta_g1), get_g2(r, pk.beta_g2, true),
                        get_g2(r, pk.gamma_g2, true), get_g1(r, pk.delta_g1), get_g2(r, pk.delta_g2, true)})
      if (e != FileError::kOk) return e;
    if (!r.at_end()) return FileError::kBadSectionSize;
  }

  return get_g1_section(f, 3, size_t{pk.num_public} + 1, pk.ic);
}

/// Section 4 (the coefficients of A and B): its count n and its n records of kCoefBytes, not
/// decoded (decode_zkey checks each; a mapped key reads them as the prover needs them).
FileError coef_section(const BinFile& f, uint32_t& n, std::span<const uint8_t>& records) {
  auto s = f.unique_section(4);
  if (!s) return s.error();
  ByteReader r(*s);
  if (!r.u32(n)) return FileError::kTruncated;
  if (r.remaining() != static_cast<size_t>(n) * kCoefBytes) return FileError::kBadSectionSize;
  if (!r.bytes(r.remaining(), records)) return FileError::kTruncated;
  return FileError::kOk;
}

}  // namespace

Result<ProvingKey> decode_zkey(std::vector<uint8_t> bytes) {
  auto file = parse_binfile(std::move(bytes), "zkey", 2);
  if (!file) return file.error();
  const BinFile& f = *file;
  ProvingKey pk;
  if (auto e = decode_header(f, pk); e != FileError::kOk) return e;

  {
    uint32_t n = 0;
    std::span<const uint8_t> records;
    if (auto e = coef_section(f, n, records); e != FileError::kOk) return e;
    pk.coefs.resize(n);
    const auto e = decode_records(records, n, kCoefBytes, [&](ByteReader& cr, size_t i) {
      Coef& c = pk.coefs[i];
      U256 v{};
      if (!cr.u32(c.matrix) || !cr.u32(c.constraint) || !cr.u32(c.signal) || !cr.u256(v)) return FileError::kTruncated;
      if (c.matrix > 1 || c.constraint >= pk.domain_size || c.signal >= pk.num_vars) return FileError::kInconsistent;
      if (!ff::less_than(v, Fr::kModulus)) return FileError::kNonCanonical;
      c.value = coef_from_file(v);
      return FileError::kOk;
    });
    if (e != FileError::kOk) return e;
  }

  if (auto e = get_g1_section(f, 5, pk.num_vars, pk.a_g1); e != FileError::kOk) return e;
  if (auto e = get_g1_section(f, 6, pk.num_vars, pk.b1_g1); e != FileError::kOk) return e;
  {
    auto s = f.unique_section(7);
    if (!s) return s.error();
    if (s->size() != size_t{pk.num_vars} * kG2Bytes) return FileError::kBadSectionSize;
    pk.b2_g2.resize(pk.num_vars);
    // No subgroup check on the prover's own bases (a wrong key only yields proofs that fail
    // to verify); on-curve is checked, as for every point.
    const auto e = decode_records(*s, pk.num_vars, kG2Bytes,
                                  [&](ByteReader& r, size_t i) { return get_g2(r, pk.b2_g2[i], false); });
    if (e != FileError::kOk) return e;
  }
  if (auto e = get_g1_section(f, 8, size_t{pk.num_vars} - pk.num_public - 1, pk.c_g1); e != FileError::kOk) return e;
  if (auto e = get_g1_section(f, 9, pk.domain_size, pk.h_g1); e != FileError::kOk) return e;

  if (!pk.is_consistent()) return FileError::kInconsistent;
  return pk;
}

Result<ProvingKey> read_zkey(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return decode_zkey(std::move(bytes).take());
}

namespace {

/// Drops the whole pages inside `bytes` of a private read-only file mapping from this process
/// (they stay in the page cache; a later read maps them again).
void release_mapped(std::span<const uint8_t> bytes) {
  static const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(bytes.data()) + page - 1) & ~(page - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size()) & ~(page - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

}  // namespace

MappedZkey::~MappedZkey() {
  if (base_ != nullptr) ::munmap(const_cast<uint8_t*>(base_), size_);
}

MappedZkey::MappedZkey(MappedZkey&& o) noexcept
    : base_(std::exchange(o.base_, nullptr)), size_(std::exchange(o.size_, 0)), view_(o.view_), vk_(std::move(o.vk_)) {}

MappedZkey& MappedZkey::operator=(MappedZkey&& o) noexcept {
  if (this != &o) {
    if (base_ != nullptr) ::munmap(const_cast<uint8_t*>(base_), size_);
    base_ = std::exchange(o.base_, nullptr);
    size_ = std::exchange(o.size_, 0);
    view_ = o.view_;
    vk_ = std::move(o.vk_);
  }
  return *this;
}

Result<MappedZkey> MappedZkey::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError::kIo;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return FileError::kIo;
  }
  if (st.st_size == 0) {
    ::close(fd);
    return FileError::kTruncated;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (map == MAP_FAILED) return FileError::kIo;
  MappedZkey m;
  m.base_ = static_cast<const uint8_t*>(map);
  m.size_ = size;

  auto file = parse_binfile_view({m.base_, m.size_}, "zkey", 2);
  if (!file) return file.error();
  const BinFile& f = *file;
  ProvingKey header;
  if (auto e = decode_header(f, header); e != FileError::kOk) return e;
  ProverKeyView& v = m.view_;
  v.num_vars = header.num_vars;
  v.num_public = header.num_public;
  v.domain_size = header.domain_size;
  v.alpha_g1 = header.alpha_g1;
  v.beta_g1 = header.beta_g1;
  v.delta_g1 = header.delta_g1;
  v.beta_g2 = header.beta_g2;
  v.delta_g2 = header.delta_g2;
  m.vk_ = snark::verification_key(header);

  uint32_t num_coefs = 0;
  if (auto e = coef_section(f, num_coefs, v.coef_records); e != FileError::kOk) return e;
  v.release = release_mapped;
  // Point sections: sizes only; the points are read (unchecked) as the MSMs use them.
  auto points = [&f](uint32_t type, size_t count, size_t record_bytes, std::span<const uint8_t>& out) {
    auto s = f.unique_section(type);
    if (!s) return s.error();
    if (s->size() != count * record_bytes) return FileError::kBadSectionSize;
    out = *s;
    return FileError::kOk;
  };
  std::span<const uint8_t> a, b1, b2, c, h;
  for (FileError e : {points(5, v.num_vars, kG1Bytes, a), points(6, v.num_vars, kG1Bytes, b1),
                      points(7, v.num_vars, kG2Bytes, b2),
                      points(8, size_t{v.num_vars} - v.num_public - 1, kG1Bytes, c),
                      points(9, v.domain_size, kG1Bytes, h)})
    if (e != FileError::kOk) return e;
  v.a_g1 = MsmBases<ec::G1Config>::records(a);
  v.b1_g1 = MsmBases<ec::G1Config>::records(b1);
  v.b2_g2 = MsmBases<ec::G2Config>::records(b2);
  v.c_g1 = MsmBases<ec::G1Config>::records(c);
  v.h_g1 = MsmBases<ec::G1Config>::records(h);
  if (!v.is_consistent()) return FileError::kInconsistent;
  return Result<MappedZkey>(std::move(m));
}

FileError write_zkey(const std::string& path, const ProvingKey& pk) { return write_file_bytes(path, encode_zkey(pk)); }

}  // namespace zkamm::snark
