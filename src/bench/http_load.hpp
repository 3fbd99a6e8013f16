#pragma once
// The bench's sender: many keep-alive HTTP/1.1 connections on one io_context (Boost.Beast), each
// working through its own queue of pre-built JSON-RPC bodies, one request in flight per
// connection. Every request gets its intended, send and reply times, so an open-loop run can
// measure latency from the INTENDED send time (a slow server cannot hide its queueing delay,
// "coordinated omission"). A transport failure is recorded on that request, the connection
// reconnects and goes on with the next one (never resends: a resent swap could double-spend).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "node/rpc_client.hpp"

namespace zkamm::bench {

using SteadyClock = std::chrono::steady_clock;

struct HttpRequest {
  std::string body;
  int64_t intended_ns = 0;  ///< relative to the run's t0; <= 0 with closed loop: send at once
};

struct HttpReply {
  int64_t send_ns = -1;   ///< relative to t0; -1: never sent
  int64_t reply_ns = -1;  ///< -1: no reply (transport failure)
  unsigned status = 0;
  std::string body;
  std::string transport_error;
};

struct LoadProgress {
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> replied{0};
  std::atomic<uint64_t> failed{0};
};

struct LoadOptions {
  node::rpc::Endpoint ep;
  unsigned io_threads = 2;
  bool paced = false;  ///< true: wait for each request's intended time (open loop)
  std::chrono::milliseconds timeout{30000};
};

/// Sends requests[i] for every i in queues[c] on connection c, in queue order. Blocks until every
/// request is replied to or failed. t0 is the time origin of intended/send/reply times.
std::vector<HttpReply> run_http_load(const LoadOptions& opt, const std::vector<HttpRequest>& requests,
                                     const std::vector<std::vector<uint32_t>>& queues, SteadyClock::time_point t0,
                                     LoadProgress* progress);

/// Sends bodies over `connections` connections as fast as possible (bulk reads), replies in order.
std::vector<HttpReply> fetch_all(const node::rpc::Endpoint& ep, const std::vector<std::string>& bodies,
                                 unsigned connections, unsigned io_threads);

}  // namespace zkamm::bench
