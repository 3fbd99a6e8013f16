#pragma once
// Processes for the group tests: an etcd started on free loopback ports with its data in a temp
// folder, and `zkamm node` members; every child is killed (SIGKILL) and reaped by its destructor.
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/etcd.hpp"

namespace zkamm::cluster::testing {

/// A loopback port that was free a moment ago.
inline uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  (void)::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// A child process with stdout and stderr appended to `log`.
class Child {
 public:
  Child() = default;
  Child(const std::vector<std::string>& argv, const std::string& log) { start(argv, log); }
  ~Child() { kill(SIGKILL); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  void start(const std::vector<std::string>& argv, const std::string& log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    status_ = -1;
  }
  pid_t pid() const { return pid_; }
  bool running() {
    if (pid_ <= 0) return false;
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      pid_ = -1;
      return false;
    }
    return true;
  }
  /// The exit status once it ended (128 + signal when killed); -1 while it runs.
  int status() {
    (void)running();
    return status_;
  }
  void signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  void kill(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    status_ = 128 + sig;
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

/// etcd (Debian etcd-server) on two free loopback ports, data under `dir`, with a short raft
/// heartbeat so that leases of one second are allowed.
struct EtcdProcess {
  uint16_t client_port = 0;
  Child child;
  bool start(const std::filesystem::path& dir) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      client_port = free_port();
      const uint16_t peer = free_port();
      const std::string c = "http://127.0.0.1:" + std::to_string(client_port);
      const std::string p = "http://127.0.0.1:" + std::to_string(peer);
      child.start({"/usr/bin/etcd", "--name", "zk", "--data-dir", (dir / "etcd").string(), "--listen-client-urls", c,
                   "--advertise-client-urls", c, "--listen-peer-urls", p, "--initial-advertise-peer-urls", p,
                   "--initial-cluster", "zk=" + p, "--heartbeat-interval", "10", "--election-timeout", "100",
                   "--log-level", "error"},
                  (dir / "etcd.log").string());
      Etcd e(node::rpc::Endpoint{"127.0.0.1", client_port}, std::chrono::milliseconds(300));
      for (int i = 0; i < 100 && child.running(); ++i) {
        if (e.lease_grant(1)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      child.kill(SIGKILL);
    }
    return false;
  }
  node::rpc::Endpoint endpoint() const { return {"127.0.0.1", client_port}; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(client_port); }
};

/// One `zkamm node` of a test's sequencer group: its id (n1, n2, ...), data folder and ports.
struct Member {
  std::string id;
  std::filesystem::path dir;
  uint16_t rpc_port = 0, repl_port = 0;
  Child proc;
  int starts = 0;
};

/// n members n1..n (not started): each with its folder under root and two free ports.
inline std::vector<std::unique_ptr<Member>> make_members(const std::filesystem::path& root, int n) {
  std::vector<std::unique_ptr<Member>> members;
  for (int i = 0; i < n; ++i) {
    auto m = std::make_unique<Member>();
    char id[16];  // "n" and any int: -Wformat-truncation at -O1
    std::snprintf(id, sizeof id, "n%d", i + 1);  // not "n" + to_string: g++ 12's -Wrestrict false positive
    m->id = id;
    m->dir = root / m->id;
    m->rpc_port = free_port();
    m->repl_port = free_port();
    members.push_back(std::move(m));
  }
  return members;
}

/// The member etcd names leader now (the group's leader key, docs/NODE.md), or null.
inline Member* leader_of(Etcd etcd, const std::vector<std::unique_ptr<Member>>& members) {
  const auto kv = etcd.get("/zkamm/group/leader");
  if (!kv) return nullptr;
  const nlohmann::json v = nlohmann::json::parse(kv->value, nullptr, false);
  for (const auto& m : members)
    if (v.is_object() && v.value("id", "") == m->id) return m.get();
  return nullptr;
}

}  // namespace zkamm::cluster::testing
