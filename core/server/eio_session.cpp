#include "core/server/eio_session.hpp"

#include "core/common/base64.hpp"
#include "core/engineio/payload.hpp"
#include "core/server/engine.hpp"

namespace sio::server {

using engineio::packet_type;
using engineio::transport_kind;

namespace {
const frame& ping_frame() {
  static const frame f = text_frame("2");
  return f;
}
const frame& close_frame() {
  static const frame f = text_frame("1");
  return f;
}
}  // namespace

eio_session::eio_session(engine& owner, net::any_io_executor ex, std::string sid, transport_kind transport,
                         std::string remote)
    : engine_(owner),
      sid_(std::move(sid)),
      transport_(transport),
      remote_(std::move(remote)),
      heartbeat_timer_(ex),
      poll_timer_(ex),
      user_timer_(ex),
      upgrade_timer_(ex) {}

void eio_session::start(std::shared_ptr<transport::ws_connection> ws) {
  ws_ = std::move(ws);
  if (ws_) ws_->set_listener(shared_from_this());
  schedule_ping();
}

void eio_session::send(const frame& f) {
  if (!open_) return;
  std::size_t buffered = 0;
  if (transport_ == transport_kind::websocket && ws_) {
    ws_->send(f);
    buffered = ws_->buffered_bytes();
  } else {
    queue_.push_back(f);
    queued_bytes_ += f.data->size();
    buffered = queued_bytes_;
    wake_poller();
  }
  if (buffered > engine_.options().max_buffered_bytes) {
    // Never close from inside a send: the caller may be iterating over sockets.
    net::post(heartbeat_timer_.get_executor(),
              [self = shared_from_this()] { self->shutdown("transport error: peer is not reading", false); });
  }
}

void eio_session::close(std::string_view reason) { shutdown(reason, true); }

void eio_session::set_timer(std::chrono::milliseconds after, std::function<void()> fn) {
  user_timer_.expires_after(after);
  user_timer_.async_wait([self = shared_from_this(), fn = std::move(fn)](beast::error_code ec) {
    if (!ec && self->open_) fn();
  });
}

void eio_session::cancel_timer() { user_timer_.cancel(); }

void eio_session::schedule_ping() {
  awaiting_pong_ = false;
  heartbeat_timer_.expires_after(engine_.options().ping_interval);
  heartbeat_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || !self->open_) return;
    self->send(ping_frame());
    self->awaiting_pong_ = true;
    self->heartbeat_timer_.expires_after(self->engine_.options().ping_timeout);
    self->heartbeat_timer_.async_wait([self](beast::error_code ec2) {
      if (!ec2 && self->open_ && self->awaiting_pong_) self->shutdown("ping timeout", false);
    });
  });
}

void eio_session::on_pong() {
  if (awaiting_pong_) schedule_ping();
}

void eio_session::wake_poller() {
  if (poll_pending_) poll_timer_.cancel();
}

awaitable<std::string> eio_session::poll() {
  auto self = shared_from_this();
  poll_pending_ = true;
  while (open_ && !upgrading_ && transport_ == transport_kind::polling && queue_.empty()) {
    poll_timer_.expires_at(net::steady_timer::time_point::max());
    co_await poll_timer_.async_wait(use_tuple);
  }
  poll_pending_ = false;
  // During and after an upgrade, or after the client closed: a noop lets the poller stop.
  if (upgrading_ || transport_ != transport_kind::polling || queue_.empty()) co_return std::string("6");
  std::string body;
  body.reserve(queued_bytes_ + queue_.size() * 2);
  bool first = true;
  for (const auto& f : queue_) {
    if (!first) body.push_back(engineio::record_separator);
    first = false;
    if (f.binary) {
      body.push_back('b');
      base64::encode_append(*f.data, body);
    } else {
      body.append(*f.data);
    }
  }
  queue_.clear();
  queued_bytes_ = 0;
  co_return body;
}

void eio_session::on_packet(const engineio::packet_view& p) {
  if (!open_) return;
  switch (p.type) {
    case packet_type::message: engine_.handler().on_message(*this, p.data, p.binary); return;
    case packet_type::pong: on_pong(); return;
    case packet_type::ping: shutdown("invalid heartbeat direction", true); return;
    case packet_type::close: shutdown("transport close", false); return;
    default: return;  // open, upgrade and noop from a client mean nothing here
  }
}

void eio_session::fail_polling(std::string_view reason) { shutdown(reason, true); }

void eio_session::begin_upgrade(std::shared_ptr<transport::ws_connection> ws) {
  if (!open_ || probe_ || transport_ == transport_kind::websocket || !engine_.options().allow_upgrades) {
    ws->close();  // one WebSocket per session
    return;
  }
  probe_ = std::move(ws);
  probe_->set_listener(shared_from_this());
  upgrade_timer_.expires_after(engine_.options().upgrade_timeout);
  upgrade_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec && self->probe_) self->abort_upgrade();
  });
}

void eio_session::finish_upgrade() {
  upgrade_timer_.cancel();
  ws_ = std::move(probe_);
  transport_ = transport_kind::websocket;
  upgrading_ = false;
  for (const auto& f : queue_) ws_->send(f);
  queue_.clear();
  queued_bytes_ = 0;
  wake_poller();
}

void eio_session::abort_upgrade() {
  upgrade_timer_.cancel();
  if (probe_) probe_->close();
  probe_.reset();
  upgrading_ = false;
  wake_poller();
}

void eio_session::on_ws_message(transport::ws_connection& ws, std::string_view data, bool binary) {
  if (!open_) return;
  if (probe_ && &ws == probe_.get()) {
    if (!binary && data == "2probe") {
      probe_->send(text_frame("3probe"));
      upgrading_ = true;
      wake_poller();
    } else if (!binary && data == "5" && upgrading_) {
      finish_upgrade();
    } else {
      abort_upgrade();
    }
    return;
  }
  if (!ws_ || &ws != ws_.get()) return;
  if (binary) return on_packet(engineio::decode_binary(data));
  std::string scratch;
  auto p = engineio::decode_text(data, scratch);
  if (!p) return shutdown("parse error", true);
  on_packet(*p);
}

void eio_session::on_ws_closed(transport::ws_connection& ws) {
  if (probe_ && &ws == probe_.get()) {
    probe_.reset();
    upgrading_ = false;
    upgrade_timer_.cancel();
    wake_poller();
  } else if (ws_ && &ws == ws_.get()) {
    shutdown("transport close", false);
  }
}

void eio_session::shutdown(std::string_view reason, bool notify_peer) {
  if (!open_) return;
  auto self = shared_from_this();  // the engine's reference goes away below
  if (notify_peer && transport_ == transport_kind::polling) {
    queue_.push_back(close_frame());
    queued_bytes_ += 1;
  }
  if (notify_peer && transport_ == transport_kind::websocket && ws_) ws_->send(close_frame());
  open_ = false;
  heartbeat_timer_.cancel();
  user_timer_.cancel();
  upgrade_timer_.cancel();
  if (probe_) probe_->close();
  probe_.reset();
  if (ws_) ws_->close();
  wake_poller();
  engine_.remove(sid_);
  engine_.handler().on_close(*this, reason);
}

}  // namespace sio::server
