#pragma once
// `sio emit --redis URL EVENT [ARG...]`: emitter mode, a broadcast published on Redis in
// @socket.io/redis-emitter's format for a cluster's servers to deliver.
#include <string>
#include <vector>

#include "cmd/duration.hpp"
#include "cmd/event_args.hpp"

namespace sio::cmd {

struct emit_redis_cli {
  std::string url;  // redis://...
  std::string key = "socket.io";
  std::string nsp = "/";
  std::vector<std::string> to;
  std::vector<std::string> except;
  bool is_volatile = false;
  bool sharded = false;
  std::string subscription_mode = "dynamic";
  bool json = false;
  seconds_f timeout{10};
};

int run_emit_redis(const emit_redis_cli& o, const std::string& event, event_args args);

}  // namespace sio::cmd
