#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cmd/duration.hpp"

namespace sio::cmd {

struct serve_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;
  std::string path = "/socket.io/";
  seconds_f ping_interval{25};
  seconds_f ping_timeout{20};
  std::size_t max_payload = 1'000'000;
  seconds_f connect_timeout{45};
  std::vector<std::string> namespaces;
  std::vector<std::string> cors;
  std::string mode = "echo";
  std::optional<std::string> static_dir;
  std::string redis;  // redis://...: join a cluster through the Redis adapter
  std::string redis_key = "socket.io";
  bool redis_sharded = false;  // createShardedAdapter's protocol (SSUBSCRIBE/SPUBLISH)
  std::string redis_subscription_mode = "dynamic";
  bool json = false;
  bool quiet = false;
};

}  // namespace sio::cmd
