#pragma once
// One connection to Redis on Asio: commands with replies in order, and pub/sub. It keeps
// itself connected: after a drop it reconnects with backoff (100 ms doubling to 5 s, with
// jitter), authenticates, selects the database and re-subscribes to everything it had.
// While Redis is down, commands fail at once: a server keeps serving its own clients.
// A subscribed connection takes only (P)SUBSCRIBE; use a second one for commands.
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/transport/net.hpp"
#include "core/redis/resp.hpp"
#include "core/redis/url.hpp"

namespace sio::redis {

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
  awaitable<void> run();
  awaitable<bool> session();  // one connected period; false when stopped
  void send_raw(std::string bytes);
  void write_more();
  void fail_pending(std::string_view why);

  net::any_io_executor ex_;
  endpoint where_;
  connection_listener* listener_;
  tcp::socket socket_;
  net::steady_timer retry_timer_;
  std::string outbox_;
  std::string inflight_;
  bool writing_ = false;
  bool up_ = false;
  bool stopped_ = false;
  std::deque<reply_handler> waiting_;  // replies expected, in order
  std::set<std::string> channels_;
  std::set<std::string> patterns_;
  std::set<std::string> shard_channels_;
  std::mt19937 rng_{std::random_device{}()};
};

}  // namespace sio::redis
