#include "settle/anvil.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace zkamm::settle {

std::string anvil_binary(const std::string& node_modules) {
  return node_modules + "/@foundry-rs/anvil-linux-amd64/bin/anvil";
}

AnvilProcess::~AnvilProcess() { stop(); }

std::string AnvilProcess::start(const std::string& binary, const std::string& log_path) {
  if (pid_ > 0) return "already started";
  if (::access(binary.c_str(), X_OK) != 0) return "anvil not found at " + binary;
  const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot open " + log_path;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    return "fork failed";
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // anvil must not outlive a crashed parent
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::execl(binary.c_str(), binary.c_str(), "--host", "127.0.0.1", "--port", "0", "--hardfork", "prague",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fd);
  pid_ = pid;
  const std::regex re(R"(Listening on 127\.0\.0\.1:([0-9]+))");
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(log_path);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    std::smatch m;
    if (std::regex_search(text, m, re)) {
      port_ = static_cast<uint16_t>(std::stoul(m[1].str()));
      return "";
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return "anvil exited: " + text;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop();
  return "anvil did not report its port within 20 s";
}

void AnvilProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 50; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace zkamm::settle
