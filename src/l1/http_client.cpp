#include "l1/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace zkamm::l1 {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<HttpEndpoint> parse_http_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme)) return std::nullopt;
  url.remove_prefix(scheme.size());
  HttpEndpoint ep;
  const size_t slash = url.find('/');
  if (slash != std::string_view::npos) {
    ep.target = std::string(url.substr(slash));
    url = url.substr(0, slash);
  }
  const size_t colon = url.rfind(':');
  if (colon != std::string_view::npos && url.find(']') == std::string_view::npos) {
    const std::string_view port = url.substr(colon + 1);
    if (port.empty() || port.size() > 5) return std::nullopt;
    unsigned p = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return std::nullopt;
      p = p * 10 + static_cast<unsigned>(c - '0');
    }
    if (p == 0 || p > 65535) return std::nullopt;
    ep.port = static_cast<uint16_t>(p);
    url = url.substr(0, colon);
  }
  if (url.empty()) return std::nullopt;
  ep.host = std::string(url);
  return ep;
}

struct HttpClient::Impl {
  HttpEndpoint endpoint;
  std::chrono::milliseconds timeout;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Runs one asynchronous operation to completion; tcp_stream's expiry turns a stall into
  // beast::error::timeout (Beast's documented way to bound synchronous-style I/O).
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  void drop() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
  }

  HttpResult fail(HttpErrorKind kind, const beast::error_code& ec, const char* what) {
    drop();
    HttpResult r;
    r.error = ec == beast::error::timeout ? HttpErrorKind::Timeout : kind;
    r.error_message = std::string(what) + ": " + ec.message();
    return r;
  }

  HttpResult connect() {
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    const auto results = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
    if (ec) return fail(HttpErrorKind::Connect, ec, "resolve");
    stream.emplace(ioc);
    stream->expires_after(timeout);
    ec = run([&](auto handler) { stream->async_connect(results, std::move(handler)); });
    if (ec) return fail(HttpErrorKind::Connect, ec, "connect");
    return {};
  }

  HttpResult exchange(std::string_view body) {
    http::request<http::string_body> req{http::verb::post, endpoint.target, 11};
    req.set(http::field::host, endpoint.host);
    req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = std::string(body);
    req.prepare_payload();
    stream->expires_after(timeout);
    auto ec = run([&](auto handler) { http::async_write(*stream, req, std::move(handler)); });
    if (ec) return fail(HttpErrorKind::Io, ec, "write");
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);  // eth_getLogs answers can be large
    stream->expires_after(timeout);
    ec = run([&](auto handler) { http::async_read(*stream, buffer, parser, std::move(handler)); });
    if (ec) return fail(HttpErrorKind::Io, ec, "read");
    auto res = parser.release();
    HttpResult r;
    r.status = res.result_int();
    r.body = std::move(res.body());
    if (!res.keep_alive()) drop();
    return r;
  }
};

HttpClient::HttpClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->endpoint = std::move(endpoint);
  impl_->timeout = timeout;
}

HttpClient::~HttpClient() { impl_->drop(); }

void HttpClient::close() { impl_->drop(); }

HttpResult HttpClient::post(std::string_view body) {
  const bool reused = impl_->stream.has_value();
  if (!reused) {
    if (auto r = impl_->connect(); !r.ok()) return r;
  }
  HttpResult r = impl_->exchange(body);
  // A kept-alive connection may have been closed by the server while idle: retry once on a
  // fresh one (not after a timeout, which says the server is slow rather than gone).
  if (!r.ok() && reused && r.error != HttpErrorKind::Timeout) {
    if (auto c = impl_->connect(); !c.ok()) return c;
    r = impl_->exchange(body);
  }
  return r;
}

}  // namespace zkamm::l1
