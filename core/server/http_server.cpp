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

bool is_get_or_head(const http_request& req) {
  return req.method() == http::verb::get || req.method() == http::verb::head;
}

// The fixed files and the static directory are read-only (RFC 9110 §15.5.6).
http_response method_not_allowed(const http_request& req) {
  auto res = simple(req, http::status::method_not_allowed, "text/plain", "Method not allowed\n");
  res.set(http::field::allow, "GET, HEAD");
  return res;
}

// A parse error of the request itself, as opposed to the connection ending or timing out.
bool is_malformed(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message && ec != http::error::need_more &&
         ec != http::error::body_limit && ec != http::error::header_limit;
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
    if (!is_get_or_head(req)) return method_not_allowed(req);
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
    if (hec && hec != http::error::body_limit) {
      // A request that cannot be parsed is answered (RFC 9112 §2.2: 400); a peer that went
      // away or timed out is not.
      if (is_malformed(hec)) co_await refuse(stream, 11, http::status::bad_request);
      break;
    }
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
    // A client that asked whether to send its body is told to (RFC 9110 §10.1.1); one over
    // the limit has its 413 below instead. Beast reports a Content-Length over the limit as
    // soon as it has the header.
    if (!hec && !parser.is_done() && beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [cec, cn] = co_await net::async_write(stream, net::buffer(go_on), use_tuple);
      if (cec) break;
    }
    auto [rec, n] =
        hec ? std::tuple{hec, std::size_t{0}} : co_await http::async_read(stream, buffer, parser, use_tuple);
    if (rec == http::error::body_limit) {
      co_await refuse(stream, parser.get().version(), http::status::payload_too_large);
      break;
    }
    if (rec) {
      if (is_malformed(rec)) co_await refuse(stream, parser.get().version(), http::status::bad_request);
      break;
    }
    http_request req = parser.release();
    stream.expires_never();

    http_response res;
    if (auto fixed = route_fixed(req)) {
      res = std::move(*fixed);
    } else if (is_engine_path(req.target())) {
      if (websocket::is_upgrade(req)) {
        // A coroutine of its own, so that this one's buffer and parser are freed: an idle
        // WebSocket should cost only what it needs.
        std::string leftover = beast::buffers_to_string(buffer.data());
        net::co_spawn(ex_, engine_.handle_websocket(std::move(stream), std::move(req), remote, std::move(leftover)),
                      log_failure);
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
    } else if (options_.static_dir) {
      if (auto file = resolve_under(*options_.static_dir, path_of(req.target())); file && !is_get_or_head(req)) {
        res = method_not_allowed(req);
      } else if (file) {
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
