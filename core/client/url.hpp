#pragma once
// A server URL as socket.io-client reads it: scheme (http, https, ws, wss), host, port, and a
// path that names the namespace; its query goes into the handshake. Parsed by Boost.URL.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/error.hpp"

namespace sio::client {

struct server_url {
  bool tls = false;
  std::string host;  // without brackets for IPv6
  std::uint16_t port = 80;
  std::string nsp = "/";  // the path, percent-decoded
  std::string query;      // without '?', percent-encoded

  // host:port as the Host header wants it
  std::string authority() const;
};

// Fails with codec_error::invalid_url, invalid_url_scheme or invalid_url_port; never throws.
result<server_url> parse_url(std::string_view text);

// Percent-encodes everything but RFC 3986's unreserved characters (for query keys and values).
std::string url_encode(std::string_view s);

}  // namespace sio::client
