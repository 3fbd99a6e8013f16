#include "node/store_health.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include <spdlog/spdlog.h>

namespace zkamm::node {
namespace {

class RocksLogger final : public rocksdb::Logger {
 public:
  explicit RocksLogger(std::string name) : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), name_(std::move(name)) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char buf[1024];
    std::vsnprintf(buf, sizeof buf, format, ap);
    // RocksDB reports a missing folder as an error when it creates a new database.
    if (std::strstr(buf, "dir NotFound") != nullptr) return;
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) {
      spdlog::error("rocksdb {}: {}", name_, buf);
    } else {
      spdlog::warn("rocksdb {}: {}", name_, buf);
    }
  }

 private:
  std::string name_;
};

constexpr std::size_t kSlot = 64;
constexpr uint64_t kMagic = 0x7a6b616d6d61636bULL;  // "zkammack"

// FNV-1a: this guards against torn and stray writes, not adversaries.
uint64_t checksum(const uint8_t* p, std::size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}
void put64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }
uint64_t get64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

std::shared_ptr<rocksdb::Logger> make_rocks_logger(const std::string& name) {
  return std::make_shared<RocksLogger>(name);
}

std::optional<uint64_t> free_disk_bytes(const std::string& dir) {
  struct statvfs s{};
  if (::statvfs(dir.c_str(), &s) != 0) return std::nullopt;
  return static_cast<uint64_t>(s.f_bavail) * s.f_frsize;
}

std::unique_ptr<AckMarkFile> AckMarkFile::open(const std::string& path, Load& state, AckMark& mark,
                                               std::string& error) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  std::array<uint8_t, 2 * kSlot> buf{};
  const ssize_t n = ::pread(fd, buf.data(), buf.size(), 0);
  if (n < 0) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  uint64_t best_gen = 0;
  bool any = false;
  for (std::size_t s = 0; s < 2; ++s) {
    if (static_cast<std::size_t>(n) < (s + 1) * kSlot) break;
    const uint8_t* p = buf.data() + s * kSlot;
    if (get64(p) != kMagic || get64(p + 40) != checksum(p, 40)) continue;
    const uint64_t gen = get64(p + 8);
    if (!any || gen > best_gen) {
      best_gen = gen;
      mark = AckMark{get64(p + 16), get64(p + 24), get64(p + 32)};
      any = true;
    }
  }
  state = any ? Load::kOk : (n == 0 ? Load::kMissing : Load::kDamaged);
  return std::unique_ptr<AckMarkFile>(new AckMarkFile(fd, best_gen));
}

AckMarkFile::~AckMarkFile() { ::close(fd_); }

bool AckMarkFile::write(const AckMark& m) {
  const uint64_t gen = generation_ + 1;
  std::array<uint8_t, kSlot> slot{};
  put64(slot.data(), kMagic);
  put64(slot.data() + 8, gen);
  put64(slot.data() + 16, m.seq);
  put64(slot.data() + 24, m.head);
  put64(slot.data() + 32, m.soft_txs);
  put64(slot.data() + 40, checksum(slot.data(), 40));
  // The newest slot is never overwritten: a torn write here leaves the previous mark readable.
  const off_t at = static_cast<off_t>((gen % 2) * kSlot);
  if (::pwrite(fd_, slot.data(), slot.size(), at) != static_cast<ssize_t>(slot.size())) return false;
  if (::fdatasync(fd_) != 0) return false;
  generation_ = gen;
  return true;
}

}  // namespace zkamm::node
