#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sio::cmd {

struct serve_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;
  std::string path = "/socket.io/";
  unsigned ping_interval_ms = 25000;
  unsigned ping_timeout_ms = 20000;
  std::size_t max_payload = 1'000'000;
  unsigned connect_timeout_ms = 45000;
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
