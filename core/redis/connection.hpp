#pragma once
// One connection to Redis on Asio: commands with replies in order, and pub/sub. It keeps
// itself connected: after a drop it reconnects with sio::backoff (reconnect_schedule: 100 ms
// doubling to 5 s, +/- 50% jitter), authenticates, selects the database and re-subscribes to
// everything it had. While Redis is down, commands fail at once: a server keeps serving its
// own clients. A subscribed connection takes only (P|S)SUBSCRIBE; use a second one for commands.
// After stop() nothing is called back: replies still awaited are dropped.
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/common/backoff.hpp"
#include "core/redis/resp.hpp"
#include "core/redis/url.hpp"
#include "core/transport/net.hpp"

namespace sio::redis {

// Delays between reconnection attempts; back to the first once a connection got through.
inline constexpr backoff_options reconnect_schedule{std::chrono::milliseconds(100), std::chrono::milliseconds(5000),
                                                    2.0, 0.5};
// Connecting, and then AUTH/SELECT, each within this: a peer that never answers is a drop.
inline constexpr std::chrono::seconds step_timeout{5};

class connection_listener {
 public:
  virtual void on_redis_up() {}
  virtual void on_redis_down(std::string_view /*why*/) {}
  // Redis answered AUTH or SELECT with an error (a wrong password, a missing database):
  // retrying will not help until someone fixes the URL. on_redis_down follows.
  virtual void on_redis_refused(std::string_view /*why*/) {}
  virtual void on_redis_message(pubsub_message& /*m*/) {}

 protected:
  ~connection_listener() = default;
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  // The reply, or an error when the connection went down before it came.
  using reply_handler = std::function<void(result<reply>)>;

  connection(net::any_io_executor ex, endpoint where, connection_listener* listener);

  void start();
  void stop();
  bool is_up() const { return up_; }

  void command(const std::vector<std::string>& args, reply_handler on_reply = {});
  void subscribe(const std::string& channel);
  void psubscribe(const std::string& pattern);
  void unsubscribe(const std::string& channel);
  void punsubscribe(const std::string& pattern);
  // Sharded pub/sub (Redis 7): SSUBSCRIBE and SUNSUBSCRIBE, kept across reconnects like the others.
  void ssubscribe(const std::string& channel);
  void sunsubscribe(const std::string& channel);

 private:
  // run() loops over the steps of one connected period, with a backoff pause after each.
  // A step that fails reports it (went_down) and returns false.
  awaitable<void> run();
  awaitable<bool> connect_step();   // resolve, then TCP connect within step_timeout
  awaitable<bool> handshake();      // AUTH and SELECT from the URL, checked before anything else
  void resubscribe();               // everything remembered, as it was before the drop
  awaitable<void> dispatch_loop();  // replies to waiters, pushes to the listener, until a drop
  awaitable<void> pause_before_retry();

  awaitable<error_code> read_more();
  void dispatch(reply& r);
  void went_down(std::string_view why);
  std::string failure(error_code ec) const;
  void arm_deadline();
  void disarm_deadline();
  void send_raw(std::string bytes);
  void write_more();

  net::any_io_executor ex_;
  endpoint where_;
  connection_listener* listener_;
  tcp::resolver resolver_;
  tcp::socket socket_;
  net::steady_timer deadline_;
  net::steady_timer retry_timer_;
  backoff backoff_{reconnect_schedule};
  std::mt19937 rng_{std::random_device{}()};
  reply_parser parser_;
  std::string read_buffer_;
  std::string outbox_;
  std::string inflight_;
  bool writing_ = false;
  bool up_ = false;
  bool stopped_ = false;
  bool timed_out_ = false;
  std::deque<reply_handler> waiting_;  // replies expected, in order
  std::set<std::string> channels_;
  std::set<std::string> patterns_;
  std::set<std::string> shard_channels_;
};

}  // namespace sio::redis
