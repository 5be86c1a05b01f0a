#include "core/bench/worker.hpp"

#include <cmath>

#include "core/client/url.hpp"
#include "core/common/json_scan.hpp"

namespace sio::bench {

namespace {

constexpr auto tick_period = std::chrono::milliseconds(5);

std::int64_t seconds_to_ns(double s) { return static_cast<std::int64_t>(s * 1e9); }

}  // namespace

worker::worker(const options& o, unsigned clients, unsigned first_index, const std::vector<tcp::endpoint>& endpoints)
    : opts_(o),
      guard_(ctx_.get_executor()),
      first_index_(first_index),
      tick_timer_(ctx_),
      ack_timer_(ctx_),
      rng_(first_index + 1) {
  targets_.reserve(o.target_count());
  for (std::size_t i = 0; i < o.target_count(); ++i) {
    const client::engine_options& e = o.target(i);
    link_target& t = targets_.emplace_back();
    t.ex = ctx_.get_executor();
    t.engine = &e;
    t.lean = lean_link_applies(o);
    t.endpoint = endpoints.at(i);
    std::string& target = t.ws_request_target;
    target.append(e.path).append("?EIO=4&transport=websocket");
    if (!e.url.query.empty()) target.append("&").append(e.url.query);
    for (const auto& [k, v] : e.query)
      target.append("&").append(client::url_encode(k)).append("=").append(client::url_encode(v));
    t.host_header = e.url.authority();
  }
  padding_ = json::quote(std::string(o.payload_size, 'x'));
  quoted_event_ = json::quote(o.event);
  clients_.resize(clients);
}

worker::~worker() = default;

void worker::run() { ctx_.run(); }

void worker::connect_all() {
  ramp_start_ = now_ns();
  if (opts_.kind == scenario::connect) {
    ramp_ns_ = seconds_to_ns(opts_.duration_s);
  } else {
    ramp_ns_ = seconds_to_ns(opts_.ramp_up_s);
  }
  tick();
}

// Starts the clients whose time has come, and gives up on connects that take too long.
void worker::tick() {
  if (stopped_) return;
  const std::int64_t now = now_ns();
  const std::size_t n = clients_.size();
  while (next_to_start_ < n) {
    const std::int64_t due =
        n > 1 ? ramp_start_ + static_cast<std::int64_t>(static_cast<double>(ramp_ns_) *
                                                        static_cast<double>(next_to_start_) / static_cast<double>(n))
              : ramp_start_;
    if (due > now) break;
    start_client(next_to_start_++);
  }
  const std::int64_t timeout = std::chrono::nanoseconds(opts_.connect_timeout).count();
  if (connecting_ > 0 && now - last_timeout_scan_ > 100'000'000) {
    last_timeout_scan_ = now;
    for (auto& c : clients_) {
      if (c && c->current() == bench_client::state::connecting && now - c->connect_started() > timeout)
        c->fail_connect("timeout");
    }
  }
  // Once every client has started and none is still connecting, the load runs undisturbed.
  if (next_to_start_ == n && connecting_ == 0) {
    ticking_ = false;
    return;
  }
  schedule_tick();
}

void worker::schedule_tick() {
  ticking_ = true;
  tick_timer_.expires_after(tick_period);
  tick_timer_.async_wait([this](error_code ec) {
    if (!ec) tick();
  });
}

// A reconnect is a connect like the first: the tick watches its timeout.
void worker::record_reconnect_attempt() {
  ++connecting_;
  if (!ticking_ && !stopped_) schedule_tick();
}

void worker::expire_acks() {
  if (!load_running_ || stopped_) return;
  const auto timeout = std::chrono::nanoseconds(opts_.ack_timeout);
  const std::int64_t cutoff = now_ns() - timeout.count();
  for (auto& c : clients_)
    if (c) c->expire_acks(cutoff);
  ack_timer_.expires_after(std::min<std::chrono::nanoseconds>(timeout / 4, std::chrono::milliseconds(100)));
  ack_timer_.async_wait([this](error_code ec) {
    if (!ec) expire_acks();
  });
}

void worker::record_ack_timeout() {
  ++measured_.total.ack_timeouts;
  ++measured_.total.errors;
  ++interval_.delta.ack_timeouts;
  ++interval_.delta.errors;
}

void worker::start_client(std::size_t i) {
  const unsigned global = first_index_ + static_cast<unsigned>(i);
  const bool sender = opts_.kind == scenario::broadcast && global < opts_.senders;
  const net::ip::address* source =
      opts_.source_addresses.empty() ? nullptr : &opts_.source_addresses[global % opts_.source_addresses.size()];
  // Round-robin over the servers by global index, so that every server gets its share of the
  // clients (and of the broadcast senders, the first --senders clients) whatever the threads.
  const link_target& target = targets_[global % targets_.size()];
  clients_[i] = std::make_unique<bench_client>(*this, target, i, sender, source);
  ++connecting_;
  if (opts_.kind == scenario::connect) ++measured_.total.sent, ++interval_.delta.sent;
  clients_[i]->start();
}

void worker::begin_load() {
  load_running_ = true;
  for (auto& c : clients_)
    if (c) c->begin_load();
  if (opts_.ack_timeout.count() > 0) expire_acks();
}

void worker::begin_measure() {
  measuring_ = true;
  measure_start_ = now_ns();
  // Connect figures and errors cover the whole run; messages only the measured window.
  measured_.total.sent = measured_.total.received = 0;
  measured_.latency.reset();
}

void worker::end_measure() {
  measuring_ = false;
  load_running_ = false;
  ack_timer_.cancel();
  for (auto& c : clients_)
    if (c) c->stop_load();
}

void worker::shutdown() {
  stopped_ = true;
  tick_timer_.cancel();
  ack_timer_.cancel();
  for (auto& c : clients_)
    if (c) c->close();
  guard_.reset();
  if (lean_link_applies(opts_)) {
    ctx_.stop();  // the close frames are queued; closing the sockets tells the server anyway
    return;
  }
  // The full client's close is a request of its own (an Engine.IO close packet POSTed): give
  // it a moment, or the server would keep the sessions until their ping timeout.
  tick_timer_.expires_after(std::chrono::seconds(1));
  tick_timer_.async_wait([this](error_code) { ctx_.stop(); });
}

stats worker::take_stats() const {
  stats s = measured_;
  s.connected_now = connected_now_;
  for (const auto& c : clients_)
    if (c) s.in_flight += c->in_flight();
  return s;
}

interval worker::take_interval() {
  interval i = std::move(interval_);
  interval_ = interval{};
  i.connected_now = connected_now_;
  return i;
}

void worker::record_connect(std::int64_t latency_ns, bool reconnect) {
  --connecting_;
  ++connected_now_;
  ++measured_.total.connects;
  ++interval_.delta.connects;
  if (reconnect) ++measured_.total.reconnects, ++interval_.delta.reconnects;
  measured_.connect_latency.record(static_cast<std::uint64_t>(latency_ns));
  if (opts_.kind == scenario::connect) interval_.latency.record(static_cast<std::uint64_t>(latency_ns));
}

void worker::record_connect_failure(std::string_view why) {
  --connecting_;
  if (measured_.first_connect_error.empty()) measured_.first_connect_error = why;
  ++measured_.total.connect_failures;
  ++measured_.total.errors;
  ++interval_.delta.connect_failures;
  ++interval_.delta.errors;
}

void worker::record_drop() {
  --connected_now_;
  ++measured_.total.drops;
  ++measured_.total.errors;
  ++interval_.delta.drops;
  ++interval_.delta.errors;
}

void worker::record_received(std::int64_t latency_ns) {
  const auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency_ns));
  ++measured_.total.received;
  ++interval_.delta.received;
  measured_.latency.record(v);
  interval_.latency.record(v);
}

// The connect scenario: a client that got in leaves at once and is freed after this turn.
void worker::client_done(std::size_t index) {
  ++measured_.total.received;
  ++interval_.delta.received;
  net::post(ctx_, [this, index] {
    if (clients_[index]) clients_[index]->close();
    clients_[index].reset();
  });
}

}  // namespace sio::bench
