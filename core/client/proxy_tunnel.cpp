#include "core/client/proxy_tunnel.hpp"

#include <fmt/format.h>

namespace sio::client {

awaitable<error_code> open_tunnel(beast::tcp_stream& stream, const proxy_config& proxy, const std::string& host,
                                  std::uint16_t port, std::chrono::milliseconds timeout, const tracer* trace,
                                  std::string_view transport) {
  const std::string authority =
      host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
  http::request<http::empty_body> req{http::verb::connect, authority, 11};
  req.set(http::field::host, authority);
  req.set(http::field::user_agent, "sio");
  if (!proxy.authorization.empty()) req.set(http::field::proxy_authorization, proxy.authorization);
  if (trace)
    trace->sent(transport, fmt::format("CONNECT {} HTTP/1.1{}", authority,
                                       proxy.authorization.empty() ? "" : " (with Proxy-Authorization)"));
  stream.expires_after(timeout);
  auto [wec, wn] = co_await http::async_write(stream, req, use_tuple);
  if (wec) co_return wec;
  // The answer to CONNECT has no body when it is 2xx (and the tunnel starts after its header);
  // an error's body is not read: the connection is dropped.
  http::response_parser<http::empty_body> parser;
  parser.skip(true);
  beast::flat_buffer buffer;
  auto [rec, rn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
  if (rec) co_return rec;
  stream.expires_never();
  const auto& res = parser.get();
  if (trace) trace->received(transport, fmt::format("{} {}", res.result_int(), std::string_view(res.reason())));
  if (res.result_int() / 100 != 2) co_return proxy_status_error(res.result_int());
  co_return error_code{};
}

}  // namespace sio::client
