#include "core/client/sio_client.hpp"

#include <nlohmann/json.hpp>

#include "core/common/json_scan.hpp"
#include "core/socketio/encoder.hpp"
#include "core/socketio/outgoing.hpp"

namespace sio::client {

using socketio::packet_type;

sio_client::sio_client(net::any_io_executor ex, client_options options, client_events& events)
    : ex_(ex),
      options_(std::move(options)),
      events_(events),
      decoder_(options_.parser->make_decoder(options_.limits)),
      backoff_(options_.backoff),
      reconnect_timer_(ex) {}

sio_client::~sio_client() {
  if (engine_) engine_->detach();
}

void sio_client::open_engine() {
  if (engine_) engine_->detach();
  decoder_->reset();
  engine_open_ = false;
  engine_ = std::make_shared<engine_client>(ex_, options_.engine, *this);
  engine_->start();
}

void sio_client::join(const std::string& nsp, std::string auth) {
  auto [it, fresh] = namespaces_.try_emplace(nsp);
  it->second.auth = std::move(auth);
  if (!engine_ && !closed_)
    open_engine();
  else if (engine_open_ && fresh)
    send_connect(nsp, it->second);
}

void sio_client::leave(const std::string& nsp) {
  auto it = namespaces_.find(nsp);
  if (it == namespaces_.end()) return;
  if (it->second.connected) {
    socketio::packet p;
    p.type = packet_type::disconnect;
    p.nsp = nsp;
    send_packet(p);
    events_.on_disconnect(nsp, "io client disconnect");
  }
  fail_acks(it->second, "namespace left");
  namespaces_.erase(it);
}

void sio_client::send_packet(const socketio::packet& p) {
  if (!engine_) return;
  for (const auto& f : options_.parser->encode(p).frames) engine_->send(f);
}

void sio_client::send_connect(const std::string& nsp, const nsp_state& s) {
  socketio::packet p;
  p.type = packet_type::connect;
  p.nsp = nsp;
  p.data = s.auth;
  send_packet(p);
}

std::optional<oversize> sio_client::emit(const std::string& nsp, std::string_view event,
                                         const std::vector<std::string>& args, std::vector<std::string> attachments,
                                         ack_callback on_ack, std::chrono::milliseconds ack_timeout) {
  auto it = namespaces_.find(nsp);
  if (it == namespaces_.end()) {
    join(nsp);
    it = namespaces_.find(nsp);
  }
  nsp_state& s = it->second;
  socketio::packet p;
  p.type = packet_type::event;
  p.nsp = nsp;
  std::vector<std::string_view> views(args.begin(), args.end());
  p.data = socketio::make_event_data(event, views);
  p.attachments = std::move(attachments);
  if (on_ack) p.id = s.next_id++;
  if (!s.connected) {
    if (p.id) expect_ack(nsp, *p.id, std::move(on_ack), ack_timeout);
    s.buffer.push_back(std::move(p));
    return std::nullopt;
  }
  const auto out = options_.parser->encode(p);
  if (auto big = too_big(out)) return big;
  if (p.id) expect_ack(nsp, *p.id, std::move(on_ack), ack_timeout);
  for (const auto& f : out.frames) engine_->send(f);
  return std::nullopt;
}

std::optional<oversize> sio_client::too_big(const socketio::outgoing& out) const {
  if (!engine_ || !engine_open_ || !engine_->handshake().max_payload) return std::nullopt;
  const std::size_t limit = *engine_->handshake().max_payload;
  std::size_t largest = 0;
  for (const auto& f : out.frames) largest = std::max(largest, engine_->wire_size(f));
  if (largest <= limit) return std::nullopt;
  return oversize{largest, limit};
}

void sio_client::expect_ack(const std::string& nsp, std::uint64_t id, ack_callback on_ack,
                            std::chrono::milliseconds timeout) {
  pending_ack pending{std::move(on_ack), nullptr};
  if (timeout.count() > 0) {
    pending.timer = std::make_unique<net::steady_timer>(ex_, timeout);
    pending.timer->async_wait([this, nsp, id, weak = weak_from_this()](beast::error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      auto ns = namespaces_.find(nsp);
      if (ns == namespaces_.end()) return;
      auto a = ns->second.acks.find(id);
      if (a == ns->second.acks.end()) return;
      auto cb = std::move(a->second.callback);
      ns->second.acks.erase(a);
      cb({"timeout", {}, {}});
    });
  }
  namespaces_[nsp].acks.emplace(id, std::move(pending));
}

void sio_client::ack(const std::string& nsp, std::uint64_t id, const std::vector<std::string>& args,
                     std::vector<std::string> attachments) {
  socketio::packet p;
  p.type = packet_type::ack;
  p.nsp = nsp;
  p.id = id;
  std::vector<std::string_view> views(args.begin(), args.end());
  p.data = socketio::make_array(views);
  p.attachments = std::move(attachments);
  send_packet(p);
}

void sio_client::close(close_callback done) {
  if (closed_) {
    if (done) done("the connection is closed");
    return;
  }
  closed_ = true;
  reconnect_timer_.cancel();
  for (auto& [nsp, s] : namespaces_) {
    if (s.connected) {
      socketio::packet p;
      p.type = packet_type::disconnect;
      p.nsp = nsp;
      send_packet(p);
      s.connected = false;
      events_.on_disconnect(nsp, "io client disconnect");
    }
    fail_acks(s, "client closed");
  }
  if (engine_)
    engine_->close(std::move(done));
  else if (done)
    done("not connected");
}

bool sio_client::is_connected(const std::string& nsp) const {
  auto it = namespaces_.find(nsp);
  return it != namespaces_.end() && it->second.connected;
}

std::size_t sio_client::pending_acks() const {
  std::size_t n = 0;
  for (const auto& [nsp, s] : namespaces_) n += s.acks.size();
  return n;
}

void sio_client::fail_acks(nsp_state& s, const std::string& why) {
  auto acks = std::move(s.acks);
  s.acks.clear();
  for (auto& [id, a] : acks) a.callback({why, {}, {}});
}

void sio_client::on_open(const engineio::handshake&) {
  engine_open_ = true;
  ever_opened_ = true;
  backoff_.reset();
  for (const auto& [nsp, s] : namespaces_) send_connect(nsp, s);
}

void sio_client::on_message(std::string_view data, bool binary) {
  auto decoded = decoder_->on_message(data, binary);
  if (!decoded) {
    events_.on_transport_error("parse error", decoded.error().message());
    if (engine_) engine_->close();
    on_close("parse error", decoded.error().message());
    return;
  }
  if (decoded->has_value()) on_packet(**decoded);
}

void sio_client::on_packet(socketio::packet& p) {
  auto it = namespaces_.find(p.nsp);
  if (it == namespaces_.end()) return;  // a namespace we left
  nsp_state& s = it->second;
  switch (p.type) {
    case packet_type::connect: {
      auto j = nlohmann::json::parse(p.data, nullptr, false);
      s.sid = j.is_object() && j.contains("sid") && j["sid"].is_string() ? j["sid"].get<std::string>() : "";
      s.connected = true;
      auto buffered = std::move(s.buffer);
      s.buffer.clear();
      events_.on_connect(p.nsp, s.sid);
      for (const auto& b : buffered) send_packet(b);
      return;
    }
    case packet_type::connect_error: {
      std::string message = "connect_error";
      std::string data;
      auto j = nlohmann::json::parse(p.data, nullptr, false);
      if (j.is_string()) {
        message = j.get<std::string>();
      } else if (j.is_object()) {
        if (j.contains("message") && j["message"].is_string()) message = j["message"].get<std::string>();
        if (j.contains("data")) data = j["data"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      const std::string nsp = p.nsp;
      fail_acks(s, "connect_error");
      namespaces_.erase(it);
      events_.on_connect_error(nsp, message, data);
      return;
    }
    case packet_type::disconnect: {
      const std::string nsp = p.nsp;
      std::string reason = "io server disconnect";
      if (auto j = nlohmann::json::parse(p.data, nullptr, false);
          j.is_object() && j.contains("message") && j["message"].is_string())
        reason += ": " + j["message"].get<std::string>();  // python-socketio's refusal reason
      fail_acks(s, "disconnected");
      namespaces_.erase(it);  // a server-side disconnect is final for this namespace
      events_.on_disconnect(nsp, reason);
      return;
    }
    case packet_type::event:
    case packet_type::binary_event: {
      if (p.data.empty()) return;
      auto ev = socketio::split_event(p.data);
      if (!ev) return;
      events_.on_event({p.nsp, std::move(ev->name), ev->name_raw, std::move(ev->args), p.attachments, p.id});
      return;
    }
    case packet_type::ack:
    case packet_type::binary_ack: {
      if (!p.id) return;
      auto a = s.acks.find(*p.id);
      if (a == s.acks.end()) return;
      auto cb = std::move(a->second.callback);
      s.acks.erase(a);
      cb({"", p.data.empty() ? "[]" : std::move(p.data), std::move(p.attachments)});
      return;
    }
  }
}

void sio_client::on_close(std::string_view reason, std::string_view detail) {
  engine_open_ = false;
  if (closed_) return;
  events_.on_transport_error(reason, detail);
  for (auto& [nsp, s] : namespaces_) {
    fail_acks(s, "disconnected");
    if (s.connected) {
      s.connected = false;
      events_.on_disconnect(nsp, reason);
    }
  }
  if (engine_) engine_->detach();
  if (!options_.reconnection || (!ever_opened_ && !options_.retry_initial_connect)) {
    closed_ = true;
    events_.on_reconnect_failed();
    return;
  }
  schedule_reconnect();
}

void sio_client::schedule_reconnect() {
  if (options_.reconnection_attempts && backoff_.attempts() >= options_.reconnection_attempts) {
    closed_ = true;
    events_.on_reconnect_failed();
    return;
  }
  const auto delay = backoff_.next(std::uniform_real_distribution<double>(0, 1)(rng_));
  events_.on_reconnect_attempt(backoff_.attempts(), delay);
  reconnect_timer_.expires_after(delay);
  reconnect_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->closed_) return;
    self->open_engine();
  });
}

}  // namespace sio::client
