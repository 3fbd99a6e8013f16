#include "ws_test_client.hpp"

#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace zkamm::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

struct WsClient::Impl {
  net::io_context ioc;
  beast::websocket::stream<tcp::socket> ws{ioc};
  beast::flat_buffer background_buf;
  std::thread reader;
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {}
WsClient::~WsClient() {
  if (impl_) stop_reading();
}
WsClient::WsClient(WsClient&&) noexcept = default;
WsClient& WsClient::operator=(WsClient&&) noexcept = default;

std::optional<std::string> WsClient::connect(uint16_t port, std::string_view target) {
  beast::error_code ec;
  impl_->ws.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (!ec) impl_->ws.handshake("127.0.0.1", beast::string_view(target.data(), target.size()), ec);
  if (ec) return ec.message();
  return std::nullopt;
}

void WsClient::write(std::string_view text) { impl_->ws.write(net::buffer(text.data(), text.size())); }

std::string WsClient::read() {
  beast::flat_buffer buf;
  impl_->ws.read(buf);
  return beast::buffers_to_string(buf.data());
}

std::optional<std::string> WsClient::try_read() {
  beast::flat_buffer buf;
  beast::error_code ec;
  impl_->ws.read(buf, ec);
  if (ec) return std::nullopt;
  return beast::buffers_to_string(buf.data());
}

void WsClient::close() { impl_->ws.close(beast::websocket::close_code::normal); }

int WsClient::native_handle() { return impl_->ws.next_layer().native_handle(); }

void WsClient::start_reading() {
  if (impl_->reader.joinable()) throw std::logic_error("WsClient: already reading");
  impl_->ws.async_read(impl_->background_buf, [](beast::error_code, std::size_t) {});
  impl_->reader = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

void WsClient::stop_reading() {
  if (!impl_->reader.joinable()) return;
  net::post(impl_->ioc, [impl = impl_.get()] { beast::get_lowest_layer(impl->ws).cancel(); });
  impl_->reader.join();
}

}  // namespace zkamm::testing
