#include "core/server/eio_session.hpp"

#include <utility>

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
      timer_(ex),
      poll_timer_(std::move(ex)) {}

void eio_session::start(std::shared_ptr<transport::ws_connection> ws) {
  ws_ = std::move(ws);
  if (ws_) ws_->set_listener(shared_from_this());
  deadlines_.start_heartbeat(engine_.now(), engine_.options().ping_interval);
  rearm();
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
    net::post(timer_.get_executor(),
              [self = shared_from_this()] { self->shutdown("transport error: peer is not reading", false); });
  }
}

void eio_session::close(std::string_view reason) { shutdown(reason, true); }

void eio_session::set_timer(std::chrono::milliseconds after, std::function<void()> fn) {
  if (!open_) return;
  user_fn_ = std::move(fn);
  deadlines_.set_user(session_deadlines::later(engine_.now(), after));
  rearm();
}

void eio_session::cancel_timer() {
  deadlines_.clear_user();
  user_fn_ = nullptr;
  rearm();
}

void eio_session::rearm() {
  const auto next = deadlines_.next();
  if (!open_ || next == armed_) return;
  armed_ = next;
  if (next == session_deadlines::never) {
    timer_.cancel();
    return;
  }
  // A duration from the engine's clock rather than a time point: a fake clock's deadlines
  // then lie in the real future, and its tests call on_deadline themselves.
  timer_.expires_after(next - engine_.now());  // cancels the wait for an older deadline
  timer_.async_wait([self = shared_from_this(), next](beast::error_code ec) {
    if (ec) return;
    if (self->armed_ == next) self->armed_ = session_deadlines::never;  // nothing waits now
    self->on_deadline();
  });
}

void eio_session::on_deadline() {
  if (!open_) return;
  const auto due = deadlines_.take_due(engine_.now(), engine_.options().ping_timeout);
  if (due.ping_timeout) return shutdown("ping timeout", false);
  if (due.ping) send(ping_frame());
  if (due.upgrade_timeout && probe_) abort_upgrade();
  if (due.user && open_) {
    if (auto fn = std::exchange(user_fn_, nullptr)) fn();  // it may set the timer again
  }
  rearm();
}

void eio_session::on_pong() {
  if (deadlines_.on_pong(engine_.now(), engine_.options().ping_interval)) rearm();
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
  deadlines_.set_upgrade(session_deadlines::later(engine_.now(), engine_.options().upgrade_timeout));
  rearm();
}

void eio_session::finish_upgrade() {
  deadlines_.clear_upgrade();
  rearm();
  ws_ = std::move(probe_);
  transport_ = transport_kind::websocket;
  upgrading_ = false;
  for (const auto& f : queue_) ws_->send(f);
  queue_.clear();
  queued_bytes_ = 0;
  wake_poller();
}

void eio_session::abort_upgrade() {
  deadlines_.clear_upgrade();
  rearm();
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
    deadlines_.clear_upgrade();
    rearm();
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
  deadlines_.clear();
  armed_ = session_deadlines::never;
  timer_.cancel();
  user_fn_ = nullptr;
  if (probe_) probe_->close();
  probe_.reset();
  if (ws_) ws_->close();
  wake_poller();
  engine_.remove(sid_);
  engine_.handler().on_close(*this, reason);
}

}  // namespace sio::server
