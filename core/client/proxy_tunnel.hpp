#pragma once
// The CONNECT request that turns a connection to an HTTP proxy into a tunnel to the server
// (RFC 9110 §9.3.6), for every scheme: ws and polling go through it as wss and https do, so a
// proxy that allows CONNECT carries them all without reading them.
#include <chrono>
#include <cstdint>
#include <string>

#include "core/client/proxy_config.hpp"
#include "core/client/trace.hpp"
#include "core/transport/net.hpp"

namespace sio::client {

// `stream` is connected to the proxy. Succeeds when the proxy answers 2xx; any other answer fails
// with proxy_status_error(status). Within `timeout`; `trace` may be null.
awaitable<error_code> open_tunnel(beast::tcp_stream& stream, const proxy_config& proxy, const std::string& host,
                                  std::uint16_t port, std::chrono::milliseconds timeout, const tracer* trace,
                                  std::string_view transport);

}  // namespace sio::client
