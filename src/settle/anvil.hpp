#pragma once
// A local anvil (Foundry's L1 devnet) as a child process: 127.0.0.1, a port chosen by anvil
// (--port 0, parsed from its log), hardfork pinned to prague. Killed by the destructor.
#include <sys/types.h>

#include <string>

namespace zkamm::settle {

class AnvilProcess {
 public:
  AnvilProcess() = default;
  ~AnvilProcess();
  AnvilProcess(const AnvilProcess&) = delete;
  AnvilProcess& operator=(const AnvilProcess&) = delete;

  /// Starts `binary` (node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil) logging to log_path;
  /// waits up to 20 s for its port. "" on success, else the error.
  std::string start(const std::string& binary, const std::string& log_path);
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }
  /// SIGTERM and wait; idempotent.
  void stop();

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

/// The anvil binary under a node_modules folder.
std::string anvil_binary(const std::string& node_modules);

}  // namespace zkamm::settle
