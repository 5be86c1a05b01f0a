#pragma once
// The two Redis connections of a cluster member (one subscribed, one for commands: a
// subscribed connection takes nothing else), each reconnecting on its own, and how the member
// reports Redis coming and going: connected once per connect, an outage once per outage.
#include <memory>
#include <string>
#include <string_view>

#include "core/redis/connection.hpp"

namespace sio::redis {

class member_connections : protected connection_listener {
 public:
  // `kind` names the adapter in the log line ("adapter", "sharded adapter").
  member_connections(net::any_io_executor ex, const endpoint& where, std::string uid, std::string kind);
  ~member_connections();

  void start();
  void stop();
  const std::string& uid() const { return uid_; }

 protected:
  void on_redis_up() override;
  void on_redis_down(std::string_view why) override;

  std::string uid_;
  std::shared_ptr<connection> sub_;
  std::shared_ptr<connection> pub_;

 private:
  std::string kind_;
  bool was_up_ = false;
  bool announced_down_ = false;
};

}  // namespace sio::redis
