#pragma once
// Byte streams for the client: plain TCP or TLS (system CAs, an extra CA file, or no
// verification when asked), for HTTP long-polling and for WebSocket.
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include "core/common/error.hpp"
#include "core/transport/net.hpp"

namespace sio::client {

namespace ssl = net::ssl;

struct tls_options {
  std::string ca_file;    // PEM; added to the system CAs
  bool insecure = false;  // skip certificate verification
};

// Throws std::runtime_error when the CA file cannot be loaded (a usage problem, reported once).
std::shared_ptr<ssl::context> make_tls_context(const tls_options& o);

using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using any_stream = std::variant<plain_stream, tls_stream>;

struct endpoint_spec {
  std::string host;
  std::uint16_t port = 0;
  std::shared_ptr<ssl::context> tls;  // null: plain
};

// Resolves, connects and (for TLS) handshakes with SNI and host name verification, all
// within `timeout`. The stream comes back with no deadline set. `where` must outlive the
// operation (GCC 12 mishandles class-type coroutine parameters built from braced temporaries).
awaitable<std::pair<error_code, std::optional<any_stream>>> connect_stream(const endpoint_spec& where,
                                                                           std::chrono::milliseconds timeout);

beast::tcp_stream& lowest_layer(any_stream& s);

}  // namespace sio::client
