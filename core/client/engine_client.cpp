#include "core/client/engine_client.hpp"

#include <fmt/format.h>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <iostream>

#include "core/client/http_error.hpp"
#include "core/common/base64.hpp"
#include "core/engineio/payload.hpp"
#include "core/engineio/request.hpp"

namespace sio::client {

using engineio::packet_type;
using engineio::transport_kind;

namespace {

// Logs a coroutine's escape instead of taking the process down.
auto log_exceptions(std::string_view what) {
  return [what](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      std::cerr << "sio: " << what << ": " << x.what() << '\n';
    }
  };
}

// A polling request's line, then the packets its body carries (a POST's), each on a line.
void trace_request(const tracer& t, const http::request<http::string_body>& req) {
  const bool post = req.method() == http::verb::post;
  t.sent("polling", fmt::format("{} {}{}", std::string_view(req.method_string()), std::string_view(req.target()),
                                post ? fmt::format(" ({} bytes)", req.body().size()) : ""));
  if (!post) return;
  if (auto packets = engineio::decode_payload(req.body(), {64u << 20}))
    for (const auto& p : *packets) t.packet_out("polling", {p.type, p.data, p.binary});
}

const frame& pong_frame() {
  static const frame f = engineio::text_frame("3");
  return f;
}

}  // namespace

// A WebSocket over a plain or TLS stream. Both alternatives complete with the same
// signatures, so each operation is one std::visit.
class engine_client::ws_stream {
 public:
  using plain_ws = websocket::stream<plain_stream>;
  using tls_ws = websocket::stream<tls_stream>;

  explicit ws_stream(any_stream s) : ws_(make(std::move(s))) {}

  auto handshake(websocket::response_type& res, const std::string& host, const std::string& path,
                 const std::vector<std::pair<std::string, std::string>>& headers) {
    return std::visit(
        [&](auto& s) {
          s.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
            req.set(http::field::user_agent, "sio");
            for (const auto& [k, v] : headers) req.set(k, v);
          }));
          s.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
          s.auto_fragment(false);
          s.read_message_max(64u << 20);
          return s.async_handshake(res, host, path, use_tuple);
        },
        ws_);
  }
  auto read() {
    return std::visit([this](auto& s) { return s.async_read(buffer, use_tuple); }, ws_);
  }
  auto write(const frame& f) {
    return std::visit(
        [&](auto& s) {
          s.binary(f.binary);
          return s.async_write(net::buffer(*f.data), use_tuple);
        },
        ws_);
  }
  auto close(websocket::close_code code) {
    return std::visit([code](auto& s) { return s.async_close(code, use_tuple); }, ws_);
  }
  // The close frame the server sent, if any.
  websocket::close_reason reason() const {
    return std::visit([](const auto& s) { return s.reason(); }, ws_);
  }
  bool got_binary() const {
    return std::visit([](const auto& s) { return s.got_binary(); }, ws_);
  }
  void close_socket() {
    std::visit(
        [](auto& s) {
          beast::error_code ignored;
          beast::get_lowest_layer(s).socket().close(ignored);
        },
        ws_);
  }
  std::string take_text() {
    std::string out = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    return out;
  }

  beast::flat_buffer buffer;

 private:
  static std::variant<plain_ws, tls_ws> make(any_stream s) {
    if (auto* p = std::get_if<plain_stream>(&s))
      return std::variant<plain_ws, tls_ws>(std::in_place_type<plain_ws>, std::move(*p));
    return std::variant<plain_ws, tls_ws>(std::in_place_type<tls_ws>, std::move(std::get<tls_stream>(s)));
  }
  std::variant<plain_ws, tls_ws> ws_;
};

engine_client::engine_client(net::any_io_executor ex, engine_options options, engine_handler& handler)
    : ex_(ex),
      options_(std::move(options)),
      handler_(&handler),
      liveness_timer_(ex),
      pause_timer_(ex),
      close_timer_(ex),
      closed_signal_(ex, net::steady_timer::time_point::max()) {
  if (options_.path.empty() || options_.path.back() != '/') options_.path += '/';
}

engine_client::~engine_client() = default;

void engine_client::start() {
  net::co_spawn(
      ex_, [self = shared_from_this()]() -> awaitable<void> { co_await self->run(); },
      log_exceptions("engine.io client"));
}

std::string engine_client::target(transport_kind transport, bool with_sid) {
  std::string t = fmt::format("{}?EIO=4&transport={}", options_.path, engineio::transport_name(transport));
  if (with_sid) t += "&sid=" + url_encode(handshake_.sid);
  if (transport == transport_kind::polling) t += fmt::format("&t={}", ++request_counter_);
  for (const auto& [k, v] : options_.query) t += fmt::format("&{}={}", url_encode(k), url_encode(v));
  if (!options_.url.query.empty()) t += "&" + options_.url.query;
  return t;
}

awaitable<std::pair<error_code, http::response<http::string_body>>> engine_client::exchange(
    http_slot& slot, http::verb verb, std::string body, std::chrono::milliseconds timeout) {
  http::request<http::string_body> req{verb, target(transport_kind::polling, true), 11};
  if (state_ == state::connecting) req.target(target(transport_kind::polling, false));
  req.set(http::field::host, options_.url.authority());
  req.set(http::field::user_agent, "sio");
  req.set(http::field::accept, "*/*");
  for (const auto& [k, v] : options_.headers) req.set(k, v);
  if (verb == http::verb::post) req.set(http::field::content_type, "text/plain;charset=UTF-8");
  req.body() = std::move(body);
  req.prepare_payload();

  http::response<http::string_body> res;
  // A kept-alive connection may have been closed by the server: retry once on a fresh one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = slot.stream.has_value();
    if (!slot.stream) {
      const endpoint_spec where = endpoint("polling");
      auto connected = co_await unless_closed(connect_stream(where, options_.timeout));
      if (!connected) co_return std::pair{error_code(net::error::operation_aborted), std::move(res)};
      auto& [ec, stream] = *connected;
      if (ec) co_return std::pair{ec, std::move(res)};
      slot.stream.emplace(std::move(*stream));
      slot.buffer.clear();
    }
    lowest_layer(*slot.stream).expires_after(timeout);
    if (options_.trace) trace_request(*options_.trace, req);
    auto [wec, wn] = co_await std::visit([&](auto& s) { return http::async_write(s, req, use_tuple); }, *slot.stream);
    error_code ec = wec;
    if (!ec) {
      http::response_parser<http::string_body> parser;
      parser.body_limit(64u << 20);
      auto [rec, rn] = co_await std::visit([&](auto& s) { return http::async_read(s, slot.buffer, parser, use_tuple); },
                                           *slot.stream);
      ec = rec;
      if (!ec) res = parser.release();
    }
    if (!ec) {
      if (const auto* t = options_.trace.get())
        t->received("polling", fmt::format("{} {} ({} bytes)", res.result_int(), std::string_view(res.reason()),
                                           res.body().size()));
      if (slot.stream) lowest_layer(*slot.stream).expires_never();
      if (!res.keep_alive()) slot.stream.reset();
      co_return std::pair{ec, std::move(res)};
    }
    slot.stream.reset();
    if (!reused || state_ == state::closed) co_return std::pair{ec, std::move(res)};
  }
  co_return std::pair{error_code(net::error::connection_reset), std::move(res)};
}

template <class T>
awaitable<std::optional<T>> engine_client::unless_closed(awaitable<T> op, std::chrono::milliseconds limit) {
  using namespace net::experimental::awaitable_operators;
  if (state_ == state::closed) co_return std::nullopt;
  net::steady_timer deadline(
      ex_, limit == no_limit ? net::steady_timer::time_point::max() : net::steady_timer::clock_type::now() + limit);
  auto won = co_await (std::move(op) || closed_signal_.async_wait(use_tuple) || deadline.async_wait(use_tuple));
  if (won.index() != 0) co_return std::nullopt;
  co_return std::move(std::get<0>(won));
}

awaitable<void> engine_client::run() {
  auto self = shared_from_this();
  if (options_.mode == transport_mode::websocket) {
    co_await run_websocket_only();
    co_return;
  }
  auto [ec, res] = co_await exchange(get_slot_, http::verb::get, std::string(), options_.timeout);
  if (state_ == state::closed) co_return;
  if (ec) co_return fail("connect error", describe_connect_error(ec, options_.proxy.get()));
  if (res.result() != http::status::ok)
    co_return fail("connect error",
                   http_error_summary(res.result_int(), res.reason(), res[http::field::content_type], res.body()));
  auto packets = engineio::decode_payload(res.body(), {64u << 20});
  if (!packets || packets->empty() || packets->front().type != packet_type::open)
    co_return fail("connect error", "the server did not answer with an Engine.IO open packet");
  if (options_.trace) options_.trace->packet_in("polling", {packets->front().type, packets->front().data});
  auto hs = engineio::decode_handshake(packets->front().data);
  if (!hs) co_return fail("connect error", "invalid open packet");
  opened(std::move(*hs));
  for (std::size_t i = 1; i < packets->size() && state_ == state::open; ++i) {
    const auto& p = (*packets)[i];
    handle_packet({p.type, p.data, p.binary});
  }
  const bool can_upgrade =
      options_.mode == transport_mode::upgrade &&
      std::find(handshake_.upgrades.begin(), handshake_.upgrades.end(), "websocket") != handshake_.upgrades.end();
  if (can_upgrade) net::co_spawn(ex_, upgrade(), log_exceptions("upgrade"));
  if (!queue_.empty()) start_posting();
  co_await poll_loop();
}

void engine_client::opened(engineio::handshake h) {
  handshake_ = std::move(h);
  state_ = state::open;
  arm_liveness();
  if (handler_) handler_->on_open(handshake_);
}

void engine_client::arm_liveness() {
  liveness_timer_.expires_after(std::chrono::milliseconds(handshake_.ping_interval + handshake_.ping_timeout));
  liveness_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->fail("ping timeout");
  });
}

awaitable<void> engine_client::poll_loop() {
  auto self = shared_from_this();
  const auto poll_timeout =
      std::chrono::milliseconds(handshake_.ping_interval + handshake_.ping_timeout) + options_.timeout;
  while (state_ == state::open && !websocket_ && !pausing_) {
    polling_ = true;
    auto [ec, res] = co_await exchange(get_slot_, http::verb::get, std::string(), poll_timeout);
    polling_ = false;
    // First, before any early return: an upgrade waiting for this GET must not wait for its
    // timeout (a close during the upgrade then sent nothing and the server kept the session).
    if (pausing_) wake_pause_waiter();
    if (state_ != state::open) co_return;
    // Closing: the answer to the POSTs decides; a server that has taken the close packet may
    // answer this GET with a close, or a new one with 400, before the POST's "ok" arrives.
    if (closing_) co_return;
    if (ec || res.result() != http::status::ok) {
      if (websocket_) co_return;
      co_return fail("transport error", ec ? ec.message() : fmt::format("HTTP {}", res.result_int()));
    }
    auto packets = engineio::decode_payload(res.body(), {64u << 20});
    if (!packets) co_return fail("parse error", packets.error().message());
    for (const auto& p : *packets) {
      if (state_ != state::open) co_return;
      handle_packet({p.type, p.data, p.binary});
    }
  }
}

void engine_client::start_posting() {
  if (posting_ || pausing_ || websocket_ || state_ != state::open) return;
  posting_ = true;  // set now: several sends may come before the coroutine first runs
  net::co_spawn(ex_, post_loop(), log_exceptions("post"));
}

void engine_client::start_ws_writing() {
  if (ws_writing_ || !websocket_ || state_ == state::closed) return;
  ws_writing_ = true;
  net::co_spawn(ex_, ws_write_loop(), log_exceptions("websocket write"));
}

awaitable<void> engine_client::post_loop() {
  auto self = shared_from_this();
  const std::size_t limit = handshake_.max_payload.value_or(1'000'000);
  while (state_ == state::open && !websocket_ && !pausing_ && !queue_.empty()) {
    // Batch as many packets as fit in the server's maxPayload (at least one).
    std::string body;
    std::size_t taken = 0;
    for (const auto& f : queue_) {
      std::string one;
      if (f.binary) {
        one.push_back('b');
        base64::encode_append(*f.data, one);
      } else {
        one = *f.data;
      }
      if (taken > 0 && body.size() + 1 + one.size() > limit) break;
      if (taken > 0) body.push_back(engineio::record_separator);
      body += one;
      ++taken;
    }
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
    auto [ec, res] = co_await exchange(post_slot_, http::verb::post, std::move(body), options_.timeout);
    if (state_ != state::open) break;
    if (ec || res.result() != http::status::ok) {
      posting_ = false;
      co_return fail("transport error", ec ? ec.message() : fmt::format("HTTP {} on POST", res.result_int()));
    }
  }
  posting_ = false;
  if (pausing_) wake_pause_waiter();
  finish_close_if_drained();
}

awaitable<std::pair<error_code, std::unique_ptr<engine_client::ws_stream>>> engine_client::open_websocket(
    bool with_sid) {
  const endpoint_spec where = endpoint("websocket");
  const error_code aborted(net::error::operation_aborted);
  auto connected = co_await unless_closed(connect_stream(where, options_.timeout));
  if (!connected) co_return std::pair{aborted, nullptr};
  auto& [ec, stream] = *connected;
  if (ec) co_return std::pair{ec, nullptr};
  auto ws = std::make_unique<ws_stream>(std::move(*stream));
  const std::string path = target(transport_kind::websocket, with_sid);
  const auto* t = options_.trace.get();
  if (t) t->sent("websocket", fmt::format("GET {} (upgrade)", path));
  websocket::response_type res;
  res.result(0u);  // stays 0 when no answer came
  auto shaken =
      co_await unless_closed(ws->handshake(res, options_.url.authority(), path, options_.headers), options_.timeout);
  if (t && res.result_int() != 0)
    t->received("websocket", fmt::format("{} {}", res.result_int(), std::string_view(res.reason())));
  if (!shaken) co_return std::pair{state_ == state::closed ? aborted : error_code(net::error::timed_out), nullptr};
  if (auto [hec] = *shaken; hec) co_return std::pair{hec, nullptr};
  co_return std::pair{error_code{}, std::move(ws)};
}

awaitable<void> engine_client::run_websocket_only() {
  auto self = shared_from_this();
  auto [ec, ws] = co_await open_websocket(false);
  if (state_ == state::closed) co_return;
  if (ec) co_return fail("connect error", describe_connect_error(ec, options_.proxy.get()));
  // The first message is the open packet.
  auto got = co_await unless_closed(ws->read(), options_.timeout);
  if (state_ == state::closed) co_return;
  if (!got) co_return fail("connect error", "no open packet within the connect timeout");
  if (auto [rec, n] = *got; rec) co_return fail("connect error", rec.message());
  const auto data = ws->take_text();
  if (options_.trace && !data.empty())
    options_.trace->packet_in("websocket", {static_cast<packet_type>(data.front()), std::string_view(data).substr(1)});
  if (data.empty() || data.front() != '0') co_return fail("connect error", "no open packet");
  auto hs = engineio::decode_handshake(std::string_view(data).substr(1));
  if (!hs) co_return fail("connect error", "invalid open packet");
  websocket_ = std::move(ws);
  opened(std::move(*hs));
  if (!queue_.empty()) start_ws_writing();
  co_await ws_read_loop();
}

awaitable<void> engine_client::upgrade() {
  auto self = shared_from_this();
  auto [ec, ws] = co_await open_websocket(true);
  if (ec || state_ != state::open) co_return;  // stay on polling
  const frame probe = engineio::text_frame("2probe");
  if (options_.trace) options_.trace->packet_out("websocket", probe);
  auto wrote = co_await unless_closed(ws->write(probe), options_.timeout);
  if (!wrote || std::get<0>(*wrote) || state_ != state::open) co_return;
  auto got = co_await unless_closed(ws->read(), options_.timeout);
  if (!got || std::get<0>(*got) || state_ != state::open) co_return;
  const std::string answer = ws->take_text();
  if (options_.trace && !answer.empty())
    options_.trace->packet_in("websocket",
                              {static_cast<packet_type>(answer.front()), std::string_view(answer).substr(1)});
  if (answer != "3probe") co_return;

  // Pause polling: let the GET in flight come back (the server answers it with a noop) and
  // the POST in flight finish, then switch.
  pausing_ = true;
  while (state_ == state::open && (polling_ || posting_)) {
    pause_timer_.expires_after(options_.timeout);
    auto [tec] = co_await pause_timer_.async_wait(use_tuple);
    if (!tec) co_return fail("transport error", "the polling transport did not pause for the upgrade");
  }
  if (state_ != state::open) co_return;
  websocket_ = std::move(ws);
  get_slot_.stream.reset();
  post_slot_.stream.reset();
  queue_.push_front(engineio::text_frame("5"));
  start_ws_writing();
  co_await ws_read_loop();
}

awaitable<void> engine_client::ws_read_loop() {
  auto self = shared_from_this();
  while (state_ == state::open && websocket_) {
    auto& ws = *websocket_;
    auto [ec, n] = co_await ws.read();
    if (state_ != state::open) co_return;
    if (ec && closing_) co_return websocket_closed(ec);
    if (ec) co_return fail("transport close", ec.message());
    const bool binary = ws.got_binary();
    const auto bytes = ws.buffer.cdata();
    const std::string_view data(static_cast<const char*>(bytes.data()), bytes.size());
    if (binary) {
      handle_packet(engineio::decode_binary(data));
    } else {
      std::string scratch;
      auto p = engineio::decode_text(data, scratch);
      if (!p) co_return fail("parse error", p.error().message());
      handle_packet(*p);
    }
    ws.buffer.consume(ws.buffer.size());
  }
}

awaitable<void> engine_client::ws_write_loop() {
  auto self = shared_from_this();
  while (websocket_ && !queue_.empty() && state_ != state::closed) {
    const frame f = queue_.front();
    queue_.pop_front();
    if (options_.trace) options_.trace->packet_out("websocket", f);
    auto [ec, n] = co_await websocket_->write(f);
    if (ec) {
      ws_writing_ = false;
      if (closing_) co_return;  // the read loop hears why (a close frame, or the drop), bounded by close()
      co_return fail("transport error", ec.message());
    }
  }
  ws_writing_ = false;
  finish_close_if_drained();
}

std::size_t engine_client::wire_size(const frame& f) const {
  if (websocket_ || !f.binary) return f.data->size();
  return 1 + (f.data->size() + 2) / 3 * 4;
}

void engine_client::send(const frame& f) {
  if (state_ == state::closed || close_sent_) return;
  queue_.push_back(f);
  if (state_ != state::open) return;  // flushed once open
  if (websocket_)
    start_ws_writing();
  else
    start_posting();
}

void engine_client::handle_packet(const engineio::packet_view& p) {
  if (options_.trace) options_.trace->packet_in(transport_name(), p);
  switch (p.type) {
    case packet_type::ping:
      arm_liveness();
      send(pong_frame());
      return;
    case packet_type::message:
      if (handler_) handler_->on_message(p.data, p.binary);
      return;
    case packet_type::close: fail("transport close", "the server closed the session"); return;
    default: return;  // noop, and pongs or opens the server should not send
  }
}

void engine_client::close(close_callback done) {
  if (state_ == state::closed) {
    if (done) done("the connection is closed");
    return;
  }
  handler_ = nullptr;  // the owner knows; nothing more is reported
  on_closed_ = std::move(done);
  if (state_ != state::open) return fail("forced close", "not connected");
  // Everything queued goes first, then the close (finish_close_if_drained). A peer that never
  // drains or answers gets a bounded wait. socket.io-client sends no close packet over
  // WebSocket either: the closing handshake is the close, and its answer the proof of delivery.
  closing_ = true;
  if (websocket_)
    start_ws_writing();
  else
    send(engineio::text_frame("1"));
  finish_close_if_drained();
  close_timer_.expires_after(std::chrono::milliseconds(2000));
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->fail("close timeout", "the server did not answer the close within 2 s");
  });
}

void engine_client::finish_close_if_drained() {
  if (!closing_ || !queue_.empty() || state_ != state::open) return;
  if (!websocket_) {
    if (posting_) return;
    delivered_ = true;  // every POST was answered "ok"
    return fail("forced close");
  }
  if (ws_writing_ || close_sent_) return;
  close_sent_ = true;  // nothing may be written after the close frame (a pong, say)
  net::co_spawn(ex_, close_websocket(), log_exceptions("websocket close"));
}

awaitable<void> engine_client::close_websocket() {
  auto self = shared_from_this();
  if (options_.trace) options_.trace->sent("websocket", "close frame 1000");
  auto [ec] = co_await websocket_->close(websocket::close_code::normal);
  websocket_closed(ec);
}

void engine_client::websocket_closed(error_code ec) {
  if (state_ == state::closed) return;
  const auto peer = websocket_->reason();
  if (options_.trace && (!ec || ec == websocket::error::closed))
    options_.trace->received("websocket", fmt::format("close frame {}", peer.code));
  const bool normal = peer.code == websocket::close_code::normal || peer.code == websocket::close_code::none ||
                      peer.code == websocket::close_code::going_away;
  if ((!ec || ec == websocket::error::closed) && normal) {
    delivered_ = true;
    return fail("forced close");
  }
  if (peer.code == websocket::close_code::too_big)
    return fail("transport close", fmt::format("the server refused a message as too big (WebSocket close {}{}{})",
                                               peer.code, peer.reason.empty() ? "" : ": ", peer.reason.c_str()));
  if (ec == websocket::error::closed)
    return fail("transport close", fmt::format("the server closed the WebSocket with code {}{}{}", peer.code,
                                               peer.reason.empty() ? "" : ": ", peer.reason.c_str()));
  fail("transport close", ec.message());
}

void engine_client::shutdown_streams() {
  beast::error_code ignored;
  if (get_slot_.stream) lowest_layer(*get_slot_.stream).socket().close(ignored);
  if (post_slot_.stream) lowest_layer(*post_slot_.stream).socket().close(ignored);
  if (websocket_) websocket_->close_socket();
}

void engine_client::fail(std::string_view reason, std::string_view detail) {
  if (state_ == state::closed) return;
  state_ = state::closed;
  closed_signal_.cancel();
  liveness_timer_.cancel();
  pause_timer_.cancel();
  close_timer_.cancel();
  shutdown_streams();
  if (auto h = std::exchange(handler_, nullptr)) h->on_close(reason, detail);
  if (auto done = std::exchange(on_closed_, nullptr))
    done(delivered_ ? std::string() : detail.empty() ? std::string(reason) : fmt::format("{}: {}", reason, detail));
}

}  // namespace sio::client
