#include "core/redis/member_connections.hpp"

#include <iostream>

namespace sio::redis {

member_connections::member_connections(net::any_io_executor ex, const endpoint& where, std::string uid,
                                       std::string kind)
    : uid_(std::move(uid)),
      sub_(std::make_shared<connection>(ex, where, static_cast<connection_listener*>(this))),
      pub_(std::make_shared<connection>(ex, where, nullptr)),
      kind_(std::move(kind)) {}

member_connections::~member_connections() { stop(); }

void member_connections::start() {
  sub_->start();
  pub_->start();
}

void member_connections::stop() {
  sub_->stop();
  pub_->stop();
}

void member_connections::on_redis_up() {
  std::cerr << "sio serve: redis: connected (" << kind_ << " uid " << uid_ << ")\n";
  was_up_ = true;
  announced_down_ = false;
}

void member_connections::on_redis_down(std::string_view why) {
  if (!was_up_ && announced_down_) return;  // say it once per outage
  was_up_ = false;
  announced_down_ = true;
  std::cerr << "sio serve: redis: " << why << "; serving local clients until it is back\n";
}

}  // namespace sio::redis
