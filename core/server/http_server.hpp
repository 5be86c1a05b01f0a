#pragma once
// The HTTP front: accepts TCP connections, reads requests with bounded headers, bodies and
// time, and routes them: fixed files (the demo page, the client bundle), the Engine.IO path
// (polling, or the WebSocket upgrade), a static directory, CORS.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/server/engine.hpp"
#include "core/transport/net.hpp"

namespace sio::server {

struct static_file {
  std::string content_type;
  std::string body;
};

struct http_options {
  std::string path = "/socket.io/";          // the Engine.IO path
  std::vector<std::string> cors_origins;     // "*" or exact origins; empty: no CORS headers
  std::map<std::string, static_file> files;  // exact paths served before anything else
  std::optional<std::filesystem::path> static_dir;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1'000'000;
  std::chrono::seconds request_timeout{30};  // to read one request: slow peers are cut off
};

class http_server {
 public:
  http_server(net::any_io_executor ex, server::engine& eng, http_options options);

  // Binds and listens; returns the bound endpoint (the real port when 0 was asked).
  tcp::endpoint listen(const tcp::endpoint& where);
  void start();  // accepts until stop()
  void stop();

 private:
  awaitable<void> accept_loop();
  awaitable<void> session(tcp::socket socket);
  // Answers with a bare status and no body; the caller then closes the connection.
  awaitable<void> refuse(beast::tcp_stream& stream, unsigned version, http::status status);
  std::optional<server::http_response> route_fixed(const server::http_request& req) const;
  void add_cors(const server::http_request& req, server::http_response& res) const;
  bool is_engine_path(std::string_view target) const;

  net::any_io_executor ex_;
  server::engine& engine_;
  http_options options_;
  tcp::acceptor acceptor_;
};

}  // namespace sio::server
