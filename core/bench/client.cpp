#include "core/bench/client.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

#include "core/bench/worker.hpp"

namespace sio::bench {

namespace {

// "connect_error: Invalid namespace" from {"message":"Invalid namespace"} (or a bare string).
std::string connect_error_reason(std::string_view data) {
  const auto j = nlohmann::json::parse(data, nullptr, false);
  if (j.is_string()) return "connect_error: " + j.get<std::string>();
  if (j.is_object() && j.contains("message") && j["message"].is_string())
    return "connect_error: " + j["message"].get<std::string>();
  return "connect_error";
}

}  // namespace

bench_client::bench_client(worker& w, const link_target& target, std::size_t index, bool sender,
                           const net::ip::address* source)
    : worker_(w), target_(target), index_(index), sender_(sender), source_(source) {}

bench_client::~bench_client() { close(); }

void bench_client::start() {
  state_ = state::connecting;
  connect_started_ = worker::now_ns();
  next_ack_id_ = first_unacked_ = 0;
  intended_.clear();
  link_ = make_link(target_, source_, *this);
  link_->start();
}

void bench_client::on_link_open() {
  // CONNECT to the namespace, with the auth payload if any.
  socketio::packet connect;
  connect.type = socketio::packet_type::connect;
  connect.nsp = worker_.opts().nsp;
  connect.data = worker_.opts().auth;
  for (const auto& f : worker_.parser().encode(connect).frames) link_->send_message(*f.data, f.binary);
}

void bench_client::on_link_message(std::string_view data, bool binary) {
  const auto head = worker_.parser().peek(data, binary, worker_.peek_scratch());
  if (!head) return;
  switch (head->type) {
    case socketio::packet_type::connect:
      if (state_ == state::connecting) on_connected();
      break;
    case socketio::packet_type::connect_error:
      if (state_ == state::connecting) fail_connect(connect_error_reason(head->data));
      break;
    case socketio::packet_type::ack: on_ack(head->id); break;
    case socketio::packet_type::event: on_event(head->data); break;
    case socketio::packet_type::disconnect: on_link_closed("io server disconnect"); break;
    default: break;
  }
}

void bench_client::on_link_closed(std::string_view reason) {
  if (state_ == state::connecting) {
    fail_connect(reason);
    return;
  }
  if (state_ != state::connected) return;
  state_ = state::closed;
  loading_ = false;
  intended_.clear();  // the drop is the error: these acks cannot come back
  timer_.reset();
  worker_.record_drop();
  if (link_) link_->close();
  // As socket.io-client: a server that disconnects the socket on purpose does not get it back.
  if (reason != "io server disconnect") reconnect_later();
}

void bench_client::fail_connect(std::string_view why) {
  if (state_ != state::connecting) return;
  state_ = state::closed;
  if (link_) link_->close();
  if (!reconnecting_) {
    worker_.record_connect_failure(why);
    return;
  }
  worker_.record_reconnect_failure();  // counted once, as the drop
  reconnect_later();
}

void bench_client::reconnect_later() {
  if (worker_.stopped()) return;
  reconnecting_ = true;
  retry_timer_ = std::make_unique<net::steady_timer>(worker_.context(), backoff_.next(worker_.random()));
  retry_timer_->async_wait([this](error_code ec) {
    if (ec || worker_.stopped()) return;
    worker_.record_reconnect_attempt();
    start();
  });
}

void bench_client::expire_acks(std::int64_t cutoff) {
  if (state_ != state::connected) return;
  bool expired = false;
  while (!intended_.empty() && intended_.front() < cutoff) {
    intended_.pop_front();
    ++first_unacked_;
    worker_.record_ack_timeout();
    expired = true;
  }
  // Closed loop: the emits given up on make room for new ones, or the client would stop for good.
  if (expired && loading_ && worker_.opts().rate <= 0) {
    const auto want = std::max(1u, worker_.opts().pipeline);
    const std::int64_t now = worker::now_ns();
    while (intended_.size() < want) send_one(now);
  }
}

void bench_client::on_connected() {
  state_ = state::connected;
  worker_.record_connect(worker::now_ns() - connect_started_, reconnecting_);
  backoff_.reset();
  if (worker_.opts().kind == scenario::connect) {
    worker_.client_done(index_);
    return;
  }
  if (reconnecting_ && worker_.load_running()) begin_load();  // back in: the load resumes
}

void bench_client::begin_load() {
  if (state_ != state::connected) return;
  const auto& o = worker_.opts();
  const bool emits = o.kind == scenario::echo || (o.kind == scenario::broadcast && sender_);
  if (!emits) return;
  loading_ = true;
  const double rate = o.kind == scenario::echo ? o.rate : o.rate / std::max(1u, o.senders);
  if (rate <= 0) {
    // Closed loop: a new emit goes each time one is acknowledged.
    for (unsigned i = 0; i < std::max(1u, o.pipeline); ++i) send_one(worker::now_ns());
    return;
  }
  interval_ns_ = static_cast<std::int64_t>(1e9 / rate);
  timer_ = std::make_unique<net::steady_timer>(worker_.context());
  next_due_ = worker::now_ns();
  send_due();
}

// Open loop: everything whose intended time has come goes now, stamped with that time, so a
// stalled server shows up as latency instead of hiding behind fewer sends.
void bench_client::send_due() {
  if (!loading_ || state_ != state::connected) return;
  const std::int64_t now = worker::now_ns();
  while (next_due_ <= now) {
    send_one(next_due_);
    next_due_ += interval_ns_;
  }
  schedule_next();
}

void bench_client::schedule_next() {
  timer_->expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(next_due_)));
  timer_->async_wait([this](error_code ec) {
    if (!ec) send_due();
  });
}

void bench_client::send_one(std::int64_t intended) {
  const auto& o = worker_.opts();
  const bool closed_loop = o.rate <= 0;
  const bool with_ack = o.kind == scenario::echo || closed_loop;
  std::optional<std::uint64_t> id;
  if (with_ack) {
    id = next_ack_id_++;
    intended_.push_back(intended);
  }
  // Broadcast: [event, sent_at, padding] (receivers measure from sent_at); echo: [event, padding].
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, intended);
  std::string_view args[2] = {std::string_view(digits, static_cast<std::size_t>(end - digits)), worker_.padding()};
  std::span<const std::string_view> sent_args(args);
  if (o.kind != scenario::broadcast) sent_args = sent_args.subspan(1);
  std::string& p = worker_.scratch();
  p.clear();
  const bool binary = worker_.parser().append_event(p, o.nsp, id, worker_.quoted_event(), sent_args);
  link_->send_message(p, binary);
  worker_.record_sent();
}

void bench_client::on_ack(std::optional<std::uint64_t> id) {
  if (!id || *id < first_unacked_ || *id - first_unacked_ >= intended_.size()) return;
  const std::int64_t now = worker::now_ns();
  const std::int64_t sent = intended_[*id - first_unacked_];
  if (worker_.opts().kind == scenario::echo && worker_.measuring_since(sent)) worker_.record_received(now - sent);
  // Acks come back in order from every server we know; one out of order retires the ones before it.
  for (auto retire = *id - first_unacked_ + 1; retire > 0; --retire) intended_.pop_front();
  first_unacked_ = *id + 1;
  if (loading_ && worker_.opts().rate <= 0) send_one(now);  // sent now: the clock was just read
}

void bench_client::on_event(std::string_view rest) {
  if (worker_.opts().kind != scenario::broadcast) return;
  const auto& ev = worker_.quoted_event();
  if (rest.size() < ev.size() + 2 || rest.front() != '[' || rest.substr(1, ev.size()) != ev ||
      rest[ev.size() + 1] != ',')
    return;
  rest.remove_prefix(ev.size() + 2);
  std::uint64_t sent_at = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), sent_at);
  if (ec != std::errc{}) return;
  const auto sent = static_cast<std::int64_t>(sent_at);
  if (worker_.measuring_since(sent)) worker_.record_received(worker::now_ns() - sent);
}

void bench_client::close() {
  loading_ = false;
  timer_.reset();
  retry_timer_.reset();
  if (state_ == state::connected) worker_.record_close();
  state_ = state::closed;
  if (link_) link_->close();
}

}  // namespace sio::bench
