#include "core/server/engine.hpp"

#include <fmt/format.h>

#include <iostream>
#include <variant>

#include "core/common/utf8.hpp"
#include "core/engineio/handshake.hpp"
#include "core/engineio/payload.hpp"
#include "core/engineio/request.hpp"
#include "core/engineio/sid.hpp"
#include "core/server/eio_session.hpp"
#include "core/transport/ws_connection.hpp"
#include "core/transport/ws_handshake.hpp"

namespace sio::server {

using engineio::request_error;
using engineio::transport_kind;

namespace {

std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

http_response make_response(const http_request& req, http::status status, std::string_view type, std::string body) {
  http_response res{status, req.version()};
  if (!type.empty()) res.set(http::field::content_type, type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response error_response(const http_request& req, request_error e) {
  return make_response(req, static_cast<http::status>(engineio::request_error_status(e)), "application/json",
                       engineio::request_error_body(e));
}

}  // namespace

engine::engine(net::any_io_executor ex, engine_options options, connection_handler& handler, clock now)
    : ex_(std::move(ex)), options_(options), handler_(handler), now_(std::move(now)) {}

engine::~engine() = default;

std::shared_ptr<eio_session> engine::find(const std::optional<std::string>& sid) const {
  if (!sid) return nullptr;
  auto it = sessions_.find(*sid);
  return it == sessions_.end() ? nullptr : it->second;
}

std::shared_ptr<eio_session> engine::create(transport_kind transport, std::string remote) {
  std::string sid = engineio::generate_sid();
  auto s = std::make_shared<eio_session>(*this, ex_, sid, transport, std::move(remote));
  sessions_.emplace(std::move(sid), s);
  return s;
}

std::string engine::open_packet(const std::string& sid, bool can_upgrade) const {
  engineio::handshake h;
  h.sid = sid;
  if (can_upgrade) h.upgrades = {"websocket"};
  h.ping_interval = static_cast<std::uint64_t>(options_.ping_interval.count());
  h.ping_timeout = static_cast<std::uint64_t>(options_.ping_timeout.count());
  h.max_payload = options_.max_payload;
  // Appended, not `"0" + ...`: that inserts at the front, and GCC 12 misreads the insert as an
  // overlapping memcpy (-Wrestrict, GCC bug 105651).
  std::string packet = "0";
  packet += engineio::encode_handshake(h);
  return packet;
}

awaitable<http_response> engine::handle_polling(const http_request& req, std::string remote) {
  const auto q = engineio::parse_query(query_of(req.target()));
  auto session = find(q.sid);
  const engineio::verify_options verify{options_.allow_polling, options_.allow_websocket, false};
  const auto verdict = engineio::verify_request(q, req.method_string(), false,
                                                session ? std::optional(session->transport()) : std::nullopt, verify);
  if (auto* e = std::get_if<request_error>(&verdict)) co_return error_response(req, *e);
  const auto& accepted = std::get<engineio::accepted_request>(verdict);

  if (accepted.handshake) {
    session = create(transport_kind::polling, std::move(remote));
    session->start(nullptr);
    auto body = open_packet(session->sid(), options_.allow_websocket && options_.allow_upgrades);
    handler_.on_open(*session);
    co_return make_response(req, http::status::ok, "text/plain; charset=UTF-8", std::move(body));
  }

  if (req.method() == http::verb::get) {
    if (session->poll_pending()) {
      session->fail_polling("overlapping GET requests");
      co_return make_response(req, http::status::bad_request, "", "");
    }
    auto body = co_await session->poll();
    co_return make_response(req, http::status::ok, "text/plain; charset=UTF-8", std::move(body));
  }

  if (req.method() != http::verb::post) co_return make_response(req, http::status::internal_server_error, "", "");

  // v4 sends binary as base64 text; a binary body is invalid content.
  if (req[http::field::content_type].starts_with("application/octet-stream")) {
    session->close("invalid content");
    co_return error_response(req, request_error::bad_request);
  }
  // The body is text (binary packets are base64): invalid UTF-8 is a parse error, so that
  // nothing invalid can reach a peer's text frame later (eio-echo, namespace names).
  auto packets = engineio::decode_payload(req.body(), {options_.max_payload});
  if (!packets || !utf8::valid(req.body())) {
    session->close("parse error");
    co_return error_response(req, request_error::bad_request);
  }
  for (const auto& p : *packets) {
    session->on_packet({p.type, p.data, p.binary});
    if (!session->is_open()) break;
  }
  co_return make_response(req, http::status::ok, "text/html", "ok");
}

awaitable<void> engine::handle_websocket(beast::tcp_stream stream, http_request req, std::string remote,
                                         std::string leftover) {
  const auto q = engineio::parse_query(query_of(req.target()));
  auto session = find(q.sid);
  const engineio::verify_options verify{options_.allow_polling, options_.allow_websocket, false};
  const auto verdict =
      engineio::verify_request(q, "GET", true, session ? std::optional(session->transport()) : std::nullopt, verify);
  if (auto* e = std::get_if<request_error>(&verdict)) {
    // As the reference: a plain HTTP 400 with the message, then the socket is closed.
    const auto message = engineio::request_error_message(*e);
    const std::string raw = fmt::format(
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: {}\r\n\r\n{}",
        message.size(), message);
    co_await net::async_write(stream, net::buffer(raw), use_tuple);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return;
  }

  stream.expires_never();
  const auto check =
      transport::answer_ws_upgrade(req[http::field::sec_websocket_key], req[http::field::sec_websocket_version]);
  auto [ec, written] = co_await net::async_write(stream, net::buffer(check.response), use_tuple);
  if (ec || !check.ok) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return;
  }
  req = {};
  auto conn = std::make_shared<transport::ws_connection>(stream.release_socket(), transport::ws_role::server,
                                                         options_.max_payload, options_.max_buffered_bytes);

  if (std::get<engineio::accepted_request>(verdict).handshake) {
    session = create(transport_kind::websocket, std::move(remote));
    conn->send(text_frame(open_packet(session->sid(), false)));
    session->start(conn);
    handler_.on_open(*session);
  } else {
    session->begin_upgrade(conn);
  }
  session.reset();  // the connection and the session keep each other alive, not this frame
  conn->start(leftover);
}

engine::post_claim& engine::post_claim::operator=(post_claim&& other) noexcept {
  if (this != &other) {
    if (session_) session_->end_post();
    session_ = std::move(other.session_);
    conflict = other.conflict;
  }
  return *this;
}

engine::post_claim::~post_claim() {
  if (session_) session_->end_post();
}

engine::post_claim engine::claim_post(std::string_view target) {
  auto session = find(engineio::parse_query(query_of(target)).sid);
  if (!session || session->transport() != transport_kind::polling) return {};  // verified later
  if (session->post_pending()) {
    session->close("overlapping POST requests");
    return {nullptr, true};
  }
  session->begin_post();
  return {std::move(session), false};
}

void engine::close_all(std::string_view reason) {
  std::vector<std::shared_ptr<eio_session>> all;
  all.reserve(sessions_.size());
  for (auto& [sid, s] : sessions_) all.push_back(s);
  for (auto& s : all) s->close(reason);
}

}  // namespace sio::server
