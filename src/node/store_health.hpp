#pragma once
// What keeps the store honest about its disk (docs/NODE.md "Failure modes"):
// - RocksLogger: RocksDB's info log goes to spdlog instead of a LOG file. The Debian librocksdb
//   is built with asserts, and its file logger asserts (SIGABRT) on the append after a failed
//   one, so with the LOG file a full disk aborted the node before any write could report NoSpace.
// - free_disk_bytes: the guard that stops accepting before RocksDB ever sees ENOSPC.
// - AckMark: the high-water mark of acknowledged (synced) writes, kept in its own file beside the
//   WAL. RocksDB's default point-in-time WAL recovery drops everything after a damaged record
//   without an error, and a truncation at a record boundary looks like a clean end; comparing the
//   recovered sequence number against this mark is what turns that silent rollback into a refusal.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <rocksdb/env.h>

namespace zkamm::node {

/// Forwards RocksDB's log lines (warnings and worse) to spdlog; never touches the disk.
std::shared_ptr<rocksdb::Logger> make_rocks_logger(const std::string& name);

/// Bytes available to an unprivileged writer on the file system holding `dir`; nullopt if unknown.
std::optional<uint64_t> free_disk_bytes(const std::string& dir);

/// The last acknowledged write: RocksDB's sequence number after it, and the head it left.
struct AckMark {
  uint64_t seq = 0;
  uint64_t head = 0;
  uint64_t soft_txs = 0;
};

/// The file `<data dir>/ACKED`: two 64-byte slots written alternately (pwrite + fdatasync), each
/// with a generation and a checksum, so a torn write leaves the other slot readable.
class AckMarkFile {
 public:
  enum class Load { kOk, kMissing, kDamaged };
  /// Opens (creating if missing) the file; nullptr and `error` on failure.
  static std::unique_ptr<AckMarkFile> open(const std::string& path, Load& state, AckMark& mark, std::string& error);
  ~AckMarkFile();
  /// Durable when it returns true.
  bool write(const AckMark& m);

 private:
  AckMarkFile(int fd, uint64_t generation) : fd_(fd), generation_(generation) {}
  int fd_;
  uint64_t generation_;
};

}  // namespace zkamm::node
