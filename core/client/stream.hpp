#pragma once
// Byte streams for the client: plain TCP or TLS (system CAs, an extra CA file, or no
// verification when asked), for HTTP long-polling and for WebSocket.
//
// Why the client keeps Beast's websocket::stream while the server and the bench's ws:// clients
// use the lean transport::ws_connection: measured like for like (tests/perf/ws_stacks.py, one
// sio serve, 15,000 idle WebSocket clients in one sio bench process, Release build), the lean
// stack holds 2.3 KiB per connection and the full client on Beast 16.3 KiB. That matters for a
// server or a load generator holding thousands; `sio emit/listen/connect` hold one, where Beast
// brings TLS over any stream, HTTP details (proxies, headers, redirects in the handshake) and
// permessage-deflate without code of ours. The bench uses the full client only where the lean
// link cannot go (polling, the upgrade, TLS).
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
  std::string cert_file;  // PEM client certificate (chain); empty: none
  std::string key_file;   // PEM private key of cert_file; empty: in cert_file
};

// Throws std::runtime_error, one line naming the file, when the CA file, the client certificate
// or its key cannot be loaded or do not match (a usage problem, reported once).
std::shared_ptr<ssl::context> make_tls_context(const tls_options& o);

using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using any_stream = std::variant<plain_stream, tls_stream>;

struct proxy_config;
class tracer;

struct endpoint_spec {
  std::string host;
  std::uint16_t port = 0;
  std::shared_ptr<ssl::context> tls;          // null: plain
  std::shared_ptr<const proxy_config> proxy;  // null: direct
  const tracer* trace = nullptr;              // -v; null: off
  std::string_view transport;                 // the trace's label: polling or websocket
};

// Resolves, connects (to the proxy, then CONNECT through it, when there is one) and (for TLS)
// handshakes with SNI and host name verification, all within `timeout`. The stream comes back with no deadline set.
// `where` must outlive the operation (GCC 12 mishandles class-type coroutine parameters built from braced temporaries).
awaitable<std::pair<error_code, std::optional<any_stream>>> connect_stream(const endpoint_spec& where,
                                                                           std::chrono::milliseconds timeout);

beast::tcp_stream& lowest_layer(any_stream& s);

}  // namespace sio::client
