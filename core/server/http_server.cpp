#include "core/server/http_server.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace sio::server {

using server::http_request;
using server::http_response;

namespace {

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view content_type_for(const std::filesystem::path& p) {
  const auto ext = p.extension().string();
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "application/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

http_response simple(const http_request& req, http::status status, std::string_view type, std::string body) {
  http_response res{status, req.version()};
  res.set(http::field::content_type, type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// A file under `root`, never outside it ("..", symlinks out of the tree).
std::optional<std::filesystem::path> resolve_under(const std::filesystem::path& root, std::string_view url_path) {
  std::error_code ec;
  const auto base = std::filesystem::weakly_canonical(root, ec);
  if (ec) return std::nullopt;
  std::string rel(url_path);
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  const auto full = std::filesystem::weakly_canonical(base / rel, ec);
  if (ec) return std::nullopt;
  const auto [b, f] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
  if (b != base.end()) return std::nullopt;
  if (!std::filesystem::is_regular_file(full, ec)) return std::nullopt;
  return full;
}

// One connection's failure never takes the server down.
void log_failure(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    std::cerr << "sio: connection error: " << x.what() << '\n';
  }
}

}  // namespace

http_server::http_server(net::any_io_executor ex, server::engine& eng, http_options options)
    : ex_(ex), engine_(eng), options_(std::move(options)), acceptor_(ex) {
  if (options_.path.empty() || options_.path.back() != '/') options_.path += '/';
}

tcp::endpoint http_server::listen(const tcp::endpoint& where) {
  acceptor_.open(where.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(where);
  acceptor_.listen(net::socket_base::max_listen_connections);
  return acceptor_.local_endpoint();
}

void http_server::start() {
  net::co_spawn(ex_, accept_loop(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);  // the acceptor failing is fatal; main reports it
  });
}

void http_server::stop() {
  beast::error_code ignored;
  acceptor_.close(ignored);
}

awaitable<void> http_server::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) continue;  // EMFILE and the like: this connection is lost, the server goes on
    socket.set_option(tcp::no_delay(true), ec);
    net::co_spawn(ex_, session(std::move(socket)), log_failure);
  }
}

bool http_server::is_engine_path(std::string_view target) const {
  const auto path = path_of(target);
  return path.starts_with(options_.path) || path == std::string_view(options_.path).substr(0, options_.path.size() - 1);
}

void http_server::add_cors(const http_request& req, http_response& res) const {
  if (options_.cors_origins.empty()) return;
  const auto origin = req[http::field::origin];
  for (const auto& allowed : options_.cors_origins) {
    if (allowed == "*") {
      res.set(http::field::access_control_allow_origin, "*");
      return;
    }
    if (!origin.empty() && allowed == origin) {
      res.set(http::field::access_control_allow_origin, origin);
      res.set(http::field::vary, "Origin");
      return;
    }
  }
}

std::optional<http_response> http_server::route_fixed(const http_request& req) const {
  const auto path = std::string(path_of(req.target()));
  if (auto it = options_.files.find(path); it != options_.files.end()) {
    auto res = simple(req, http::status::ok, it->second.content_type, it->second.body);
    if (req.method() == http::verb::head) res.body().clear();
    return res;
  }
  return std::nullopt;
}

awaitable<void> http_server::refuse(beast::tcp_stream& stream, unsigned version, http::status status) {
  http_response res{status, version};
  res.set(http::field::content_type, "text/plain");
  res.keep_alive(false);
  res.prepare_payload();
  co_await http::async_write(stream, res, use_tuple);
}

awaitable<void> http_server::session(tcp::socket socket) {
  beast::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  const std::string remote = ec ? std::string("unknown") : peer.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;

  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser.body_limit(options_.max_body_bytes);
    stream.expires_after(options_.request_timeout);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    if (hec == http::error::header_limit) {
      co_await refuse(stream, 11, http::status::request_header_fields_too_large);
      break;
    }
    if (hec && hec != http::error::body_limit) break;  // closed, timed out or garbage
    // A POST is in flight from its headers on: a second one for the same session meanwhile
    // closes the session (as engine.io does), even while the first body is still arriving.
    server::engine::post_claim claim;
    if (!hec && parser.get().method() == http::verb::post && is_engine_path(parser.get().target())) {
      claim = engine_.claim_post(parser.get().target());
      if (claim.conflict) {
        co_await refuse(stream, parser.get().version(), http::status::bad_request);
        break;
      }
    }
    // (Beast reports a Content-Length over the limit as soon as it has the header.)
    auto [rec, n] =
        hec ? std::tuple{hec, std::size_t{0}} : co_await http::async_read(stream, buffer, parser, use_tuple);
    if (rec == http::error::body_limit) {
      co_await refuse(stream, parser.get().version(), http::status::payload_too_large);
      break;
    }
    if (rec) break;  // closed, timed out or garbage: nothing sensible to answer
    http_request req = parser.release();
    stream.expires_never();

    http_response res;
    if (auto fixed = route_fixed(req)) {
      res = std::move(*fixed);
    } else if (is_engine_path(req.target())) {
      if (websocket::is_upgrade(req)) {
        // A coroutine of its own, so that this one's buffer and parser are freed: an idle
        // WebSocket should cost only what it needs.
        net::co_spawn(ex_, engine_.handle_websocket(std::move(stream), std::move(req), remote), log_failure);
        co_return;
      }
      if (req.method() == http::verb::options && !options_.cors_origins.empty()) {
        res = simple(req, http::status::no_content, "text/plain", "");
        res.set(http::field::access_control_allow_methods, "GET,HEAD,PUT,PATCH,POST,DELETE");
        if (auto h = req[http::field::access_control_request_headers]; !h.empty())
          res.set(http::field::access_control_allow_headers, h);
      } else {
        res = co_await engine_.handle_polling(req, remote);
      }
    } else if (options_.static_dir && (req.method() == http::verb::get || req.method() == http::verb::head)) {
      if (auto file = resolve_under(*options_.static_dir, path_of(req.target()))) {
        std::ifstream in(*file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        res = simple(req, http::status::ok, content_type_for(*file), ss.str());
        if (req.method() == http::verb::head) res.body().clear();
      } else {
        res = simple(req, http::status::not_found, "text/plain", "Not found\n");
      }
    } else {
      res = simple(req, http::status::not_found, "text/plain", "Not found\n");
    }
    add_cors(req, res);
    res.keep_alive(req.keep_alive());
    stream.expires_after(options_.request_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
    if (wec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace sio::server
