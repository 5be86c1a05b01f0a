#include "core/redis/connection.hpp"

#include <iostream>
#include <optional>

namespace sio::redis {

namespace {

std::string encode(const std::vector<std::string>& args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  return encode_command(views);
}

}  // namespace

connection::connection(net::any_io_executor ex, endpoint where, connection_listener* listener)
    : ex_(ex),
      where_(std::move(where)),
      listener_(listener),
      resolver_(ex),
      socket_(ex),
      deadline_(ex),
      retry_timer_(ex),
      read_buffer_(16 * 1024, '\0') {}

void connection::start() {
  net::co_spawn(ex_, run(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      std::cerr << "sio: redis: " << x.what() << '\n';
    }
  });
}

void connection::stop() {
  stopped_ = true;
  up_ = false;  // commands from now on fail at once
  listener_ = nullptr;
  resolver_.cancel();
  retry_timer_.cancel();
  error_code ignored;
  socket_.close(ignored);
}

void connection::command(const std::vector<std::string>& args, reply_handler on_reply) {
  if (!up_) {
    if (on_reply) on_reply(make_error_code(redis_error::not_connected));
    return;
  }
  waiting_.push_back(std::move(on_reply));
  send_raw(encode(args));
}

void connection::subscribe(const std::string& channel) {
  if (channels_.insert(channel).second && up_) send_raw(encode({"SUBSCRIBE", channel}));
}

void connection::psubscribe(const std::string& pattern) {
  if (patterns_.insert(pattern).second && up_) send_raw(encode({"PSUBSCRIBE", pattern}));
}

void connection::unsubscribe(const std::string& channel) {
  if (channels_.erase(channel) && up_) send_raw(encode({"UNSUBSCRIBE", channel}));
}

void connection::punsubscribe(const std::string& pattern) {
  if (patterns_.erase(pattern) && up_) send_raw(encode({"PUNSUBSCRIBE", pattern}));
}

void connection::ssubscribe(const std::string& channel) {
  if (shard_channels_.insert(channel).second && up_) send_raw(encode({"SSUBSCRIBE", channel}));
}

void connection::sunsubscribe(const std::string& channel) {
  if (shard_channels_.erase(channel) && up_) send_raw(encode({"SUNSUBSCRIBE", channel}));
}

awaitable<void> connection::run() {
  auto self = shared_from_this();  // alive until stopped, whoever else lets go
  while (!stopped_) {
    if (co_await connect_step() && co_await handshake()) {
      backoff_.reset();  // it got through: the next outage starts again at the first delay
      up_ = true;
      resubscribe();
      if (listener_) listener_->on_redis_up();
      co_await dispatch_loop();
    }
    if (stopped_) break;
    co_await pause_before_retry();
  }
}

awaitable<bool> connection::connect_step() {
  socket_ = tcp::socket(ex_);
  parser_.reset();
  error_code ec;
  tcp::endpoint target;
  const auto address = net::ip::make_address(where_.host, ec);
  if (!ec) {
    target = tcp::endpoint(address, where_.port);
  } else {
    auto [rec, results] = co_await resolver_.async_resolve(where_.host, std::to_string(where_.port), use_tuple);
    if (rec || results.empty()) {
      went_down("cannot resolve " + where_.host);
      co_return false;
    }
    target = *results.begin();
  }
  arm_deadline();
  auto [cec] = co_await socket_.async_connect(target, use_tuple);
  disarm_deadline();
  if (cec || stopped_) {
    went_down(failure(cec));
    co_return false;
  }
  socket_.set_option(tcp::no_delay(true), ec);
  co_return true;
}

awaitable<bool> connection::handshake() {
  std::string hello;
  std::size_t checks = 0;  // replies to await
  if (!where_.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!where_.username.empty()) auth.push_back(where_.username);
    auth.push_back(where_.password);
    hello += encode(auth);
    ++checks;
  }
  if (where_.db != 0) {
    hello += encode({"SELECT", std::to_string(where_.db)});
    ++checks;
  }
  if (checks == 0) co_return true;

  arm_deadline();
  std::optional<std::string> refused;
  auto [ec, written] = co_await net::async_write(socket_, net::buffer(hello), use_tuple);
  while (!ec && checks > 0) {
    auto r = parser_.next();
    if (!r) {
      ec = r.error();
    } else if (!*r) {
      ec = co_await read_more();
    } else if ((*r)->type == reply_type::error) {
      refused = std::move((*r)->str);
      break;
    } else {
      --checks;
    }
  }
  disarm_deadline();
  if (refused) {
    if (listener_) listener_->on_redis_refused(*refused);
    went_down(*refused);
    co_return false;
  }
  if (ec || stopped_) {
    went_down(failure(ec));
    co_return false;
  }
  co_return true;
}

void connection::resubscribe() {
  for (const auto& c : channels_) outbox_ += encode({"SUBSCRIBE", c});
  for (const auto& p : patterns_) outbox_ += encode({"PSUBSCRIBE", p});
  for (const auto& c : shard_channels_) outbox_ += encode({"SSUBSCRIBE", c});
  write_more();
}

awaitable<void> connection::dispatch_loop() {
  for (;;) {
    auto r = parser_.next();
    if (!r) {
      std::cerr << "sio: redis: " << r.error().message() << '\n';
      break;
    }
    if (*r) {
      dispatch(**r);
    } else if (co_await read_more()) {
      break;
    }
  }
  went_down("connection lost");
}

awaitable<void> connection::pause_before_retry() {
  retry_timer_.expires_after(backoff_.next(std::uniform_real_distribution<double>(0, 1)(rng_)));
  co_await retry_timer_.async_wait(use_tuple);
}

awaitable<error_code> connection::read_more() {
  auto [ec, got] = co_await socket_.async_read_some(net::buffer(read_buffer_), use_tuple);
  if (!ec) parser_.feed(std::string_view(read_buffer_.data(), got));
  co_return ec;
}

void connection::dispatch(reply& r) {
  if (auto push = to_pubsub_message(r)) {
    if (listener_) listener_->on_redis_message(*push);
    return;
  }
  if (to_subscription_ack(r)) return;
  reply_handler handler;
  if (!waiting_.empty()) {
    handler = std::move(waiting_.front());
    waiting_.pop_front();
  }
  if (handler) {
    handler(std::move(r));
  } else if (r.type == reply_type::error) {
    // Nobody waits for it (a failed (S)SUBSCRIBE, a fire-and-forget PUBLISH): say it, or
    // traffic would be lost in silence (SSUBSCRIBE on Redis 6, MOVED from a Redis Cluster).
    std::cerr << "sio: redis: " << r.str << '\n';
  }
}

void connection::went_down(std::string_view why) {
  up_ = false;
  error_code ignored;
  socket_.close(ignored);
  outbox_.clear();  // the bytes were for the connection that died
  auto waiting = std::move(waiting_);
  waiting_.clear();
  if (stopped_) return;  // stop() promised silence
  for (auto& h : waiting)
    if (h) h(make_error_code(redis_error::not_connected));
  if (listener_) listener_->on_redis_down(why);
}

std::string connection::failure(error_code ec) const {
  if (timed_out_) {
    return "no answer from " + where_.host + ':' + std::to_string(where_.port) + " within " +
           std::to_string(step_timeout.count()) + " s";
  }
  return ec ? ec.message() : "stopped";
}

void connection::arm_deadline() {
  timed_out_ = false;
  deadline_.expires_after(step_timeout);
  deadline_.async_wait([weak = weak_from_this()](error_code ec) {
    auto self = weak.lock();
    // A wake-up that was already queued when disarm_deadline() ran finds the expiry moved to never.
    if (ec || !self || self->deadline_.expiry() > net::steady_timer::clock_type::now()) return;
    self->timed_out_ = true;
    error_code ignored;
    self->socket_.close(ignored);  // the step's pending operation fails
  });
}

void connection::disarm_deadline() { deadline_.expires_at(net::steady_timer::time_point::max()); }

void connection::send_raw(std::string bytes) {
  outbox_ += bytes;
  write_more();
}

void connection::write_more() {
  if (writing_ || outbox_.empty() || !socket_.is_open()) return;
  inflight_.swap(outbox_);
  writing_ = true;
  net::async_write(socket_, net::buffer(inflight_), [self = shared_from_this()](error_code ec, std::size_t) {
    self->writing_ = false;
    self->inflight_.clear();
    if (ec) {
      error_code ignored;
      self->socket_.close(ignored);  // the read side notices and reconnects
      return;
    }
    self->write_more();
  });
}

}  // namespace sio::redis
