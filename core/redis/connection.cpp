#include "core/redis/connection.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

namespace sio::redis {

namespace {

constexpr auto first_delay = std::chrono::milliseconds(100);
constexpr auto longest_delay = std::chrono::milliseconds(5000);
constexpr auto connect_timeout = std::chrono::seconds(5);

std::string encode(const std::vector<std::string>& args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  return encode_command(views);
}

}  // namespace

connection::connection(net::any_io_executor ex, endpoint where, connection_listener* listener)
    : ex_(ex), where_(std::move(where)), listener_(listener), socket_(ex), retry_timer_(ex) {}

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
  listener_ = nullptr;
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

void connection::fail_pending(std::string_view why) {
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& h : waiting)
    if (h) h(make_error_code(redis_error::not_connected));
  if (listener_) listener_->on_redis_down(why);
}

awaitable<void> connection::run() {
  auto self = shared_from_this();
  auto delay = std::chrono::milliseconds(first_delay);
  while (!stopped_) {
    const bool was_up = co_await session();
    if (stopped_) break;
    if (was_up) delay = first_delay;
    // Full jitter between half the delay and the delay, as socket.io-client's backoff does.
    std::uniform_int_distribution<long> pick(delay.count() / 2, delay.count());
    retry_timer_.expires_after(std::chrono::milliseconds(pick(rng_)));
    co_await retry_timer_.async_wait(use_tuple);
    delay = std::min(delay * 2, std::chrono::milliseconds(longest_delay));
  }
}

awaitable<bool> connection::session() {
  socket_ = tcp::socket(ex_);
  outbox_.clear();
  error_code ec;
  const auto address = net::ip::make_address(where_.host, ec);
  tcp::endpoint target;
  if (!ec) {
    target = tcp::endpoint(address, where_.port);
  } else {
    tcp::resolver resolver(ex_);
    auto [rec, results] = co_await resolver.async_resolve(where_.host, std::to_string(where_.port), use_tuple);
    if (rec || results.empty()) {
      fail_pending("cannot resolve " + where_.host);
      co_return false;
    }
    target = *results.begin();
  }
  // Connect within a deadline: a timer closes the socket if it takes too long.
  net::steady_timer deadline(ex_);
  deadline.expires_after(connect_timeout);
  deadline.async_wait([this](error_code wec) {
    if (!wec && !up_) {
      error_code ignored;
      socket_.close(ignored);
    }
  });
  auto [cec] = co_await socket_.async_connect(target, use_tuple);
  if (cec || stopped_) {
    deadline.cancel();
    fail_pending(cec ? cec.message() : "stopped");
    co_return false;
  }
  socket_.set_option(tcp::no_delay(true), ec);

  // AUTH and SELECT first; their replies are checked before anything else is sent.
  std::string hello;
  std::size_t checks = 0;
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
  reply_parser parser;
  std::string buffer(16 * 1024, '\0');
  if (checks) {
    auto [wec, n] = co_await net::async_write(socket_, net::buffer(hello), use_tuple);
    while (!wec && checks) {
      auto [rec, got] = co_await socket_.async_read_some(net::buffer(buffer), use_tuple);
      if (rec) {
        wec = rec;
        break;
      }
      parser.feed(std::string_view(buffer.data(), got));
      for (;;) {
        auto r = parser.next();
        if (!r || !*r) {
          if (!r) wec = r.error();
          break;
        }
        if ((*r)->type == reply_type::error) {
          deadline.cancel();
          if (listener_) listener_->on_redis_refused((*r)->str);
          fail_pending((*r)->str);
          co_return false;
        }
        if (--checks == 0) break;
      }
    }
    if (wec) {
      deadline.cancel();
      fail_pending(wec.message());
      co_return false;
    }
  }
  deadline.cancel();
  up_ = true;
  for (const auto& c : channels_) outbox_ += encode({"SUBSCRIBE", c});
  for (const auto& p : patterns_) outbox_ += encode({"PSUBSCRIBE", p});
  for (const auto& c : shard_channels_) outbox_ += encode({"SSUBSCRIBE", c});
  write_more();
  if (listener_) listener_->on_redis_up();

  for (;;) {
    auto [rec, got] = co_await socket_.async_read_some(net::buffer(buffer), use_tuple);
    if (rec) break;
    parser.feed(std::string_view(buffer.data(), got));
    bool broken = false;
    for (;;) {
      auto r = parser.next();
      if (!r) {
        std::cerr << "sio: redis: " << r.error().message() << '\n';
        broken = true;
        break;
      }
      if (!*r) break;
      reply& rep = **r;
      if (auto push = to_pubsub_message(rep)) {
        if (listener_) listener_->on_redis_message(*push);
        continue;
      }
      if (to_subscription_ack(rep)) continue;
      reply_handler handler;
      if (!waiting_.empty()) {
        handler = std::move(waiting_.front());
        waiting_.pop_front();
      }
      if (handler) {
        handler(std::move(rep));
      } else if (rep.type == reply_type::error) {
        // Nobody waits for it (a failed (S)SUBSCRIBE, a fire-and-forget PUBLISH): say it, or
        // traffic would be lost in silence (SSUBSCRIBE on Redis 6, MOVED from a Redis Cluster).
        std::cerr << "sio: redis: " << rep.str << '\n';
      }
    }
    if (broken) break;
  }
  up_ = false;
  error_code ignored;
  socket_.close(ignored);
  if (!stopped_) fail_pending("connection lost");
  co_return true;
}

}  // namespace sio::redis
