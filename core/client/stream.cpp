#include "core/client/stream.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace sio::client {

std::shared_ptr<ssl::context> make_tls_context(const tls_options& o) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_default_verify_paths();
  if (!o.ca_file.empty()) {
    beast::error_code ec;
    ctx->load_verify_file(o.ca_file, ec);
    if (ec) throw std::runtime_error("cannot load CA file " + o.ca_file + ": " + ec.message());
  }
  ctx->set_verify_mode(o.insecure ? ssl::verify_none : ssl::verify_peer);
  return ctx;
}

beast::tcp_stream& lowest_layer(any_stream& s) {
  return std::visit([](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); }, s);
}

awaitable<std::pair<error_code, std::optional<any_stream>>> connect_stream(const endpoint_spec& where,
                                                                           std::chrono::milliseconds timeout) {
  auto ex = co_await net::this_coro::executor;
  beast::tcp_stream tcp(ex);
  tcp.expires_after(timeout);
  error_code cec;
  beast::error_code not_numeric;
  const auto address = net::ip::make_address(where.host, not_numeric);
  if (!not_numeric) {
    // A literal address needs no resolver (whose getaddrinfo runs on a thread of its own).
    std::tie(cec) = co_await tcp.async_connect(tcp::endpoint(address, where.port), use_tuple);
  } else {
    tcp::resolver resolver(ex);
    auto [rec, results] = co_await resolver.async_resolve(where.host, std::to_string(where.port), use_tuple);
    if (rec) co_return std::pair{rec, std::nullopt};
    tcp::endpoint ep;
    std::tie(cec, ep) = co_await tcp.async_connect(results, use_tuple);
  }
  if (cec) co_return std::pair{cec, std::nullopt};
  tcp.socket().set_option(tcp::no_delay(true), cec);

  if (!where.tls) {
    tcp.expires_never();
    std::optional<any_stream> out;
    out.emplace(std::in_place_type<plain_stream>, std::move(tcp));
    co_return std::pair{error_code{}, std::move(out)};
  }
  tls_stream tls(std::move(tcp), *where.tls);
  if (!SSL_set_tlsext_host_name(tls.native_handle(), where.host.c_str()))
    co_return std::pair{error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()), std::nullopt};
  if (where.tls->native_handle() && SSL_CTX_get_verify_mode(where.tls->native_handle()) != SSL_VERIFY_NONE)
    tls.set_verify_callback(ssl::host_name_verification(where.host));
  beast::get_lowest_layer(tls).expires_after(timeout);
  auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, use_tuple);
  if (hec) co_return std::pair{hec, std::nullopt};
  beast::get_lowest_layer(tls).expires_never();
  std::optional<any_stream> out;
  out.emplace(std::in_place_type<tls_stream>, std::move(tls));
  co_return std::pair{error_code{}, std::move(out)};
}

}  // namespace sio::client
