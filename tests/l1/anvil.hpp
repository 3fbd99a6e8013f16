#pragma once
// Starts anvil on 127.0.0.1 with an OS-chosen port (--port 0), reads the port from its
// "Listening on 127.0.0.1:PORT" line and kills it (by its own pid) when destroyed.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "oracle.hpp"

namespace zkamm::l1::test {

class Anvil {
 public:
  /// Starts anvil (prague) and waits up to 20 s for it to listen; url() is empty on failure.
  explicit Anvil(std::vector<std::string> extra_args = {}) {
    char tmpl[] = "/tmp/zkamm-l1-anvil-XXXXXX";
    const int fd = mkstemp(tmpl);
    if (fd < 0) return;
    log_path_ = tmpl;
    std::vector<std::string> args = {anvil_path(), "--host", "127.0.0.1", "--port", "0", "--hardfork", "prague"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = fork();
    if (pid_ == 0) {
      // Child: dies with the test process even if that crashes; stdout and stderr to the log file (a pipe could fill up and block anvil).
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(fd, 1);
      dup2(fd, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fd);
    if (pid_ < 0) return;
    const std::regex listening(R"(Listening on 127\.0\.0\.1:([0-9]+))");
    for (int i = 0; i < 200; ++i) {
      std::ifstream in(log_path_);
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string text = ss.str();
      std::smatch m;
      if (std::regex_search(text, m, listening)) {
        url_ = concat("http://127.0.0.1:", m[1].str());
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  Anvil(const Anvil&) = delete;
  Anvil& operator=(const Anvil&) = delete;

  ~Anvil() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (!log_path_.empty()) unlink(log_path_.c_str());
  }

  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  std::string url_;
};

}  // namespace zkamm::l1::test
