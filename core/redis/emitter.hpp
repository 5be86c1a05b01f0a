#pragma once
// Emitter mode (@socket.io/redis-emitter 5.x): publishes one broadcast on Redis for the
// servers of a cluster to deliver; no Socket.IO connection is made. For a cluster on the
// sharded adapter (which the Node emitter does not speak) it SPUBLISHes the adapter's own
// BROADCAST message instead, under the emitter's uid.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/redis/adapter_messages.hpp"
#include "core/redis/sharded_messages.hpp"
#include "core/redis/url.hpp"
#include "core/transport/net.hpp"

namespace sio::redis {

struct emit_request {
  endpoint where;
  std::string key = std::string(default_key);
  std::string nsp = "/";
  std::string event;
  std::vector<std::string> args;  // raw JSON values; placeholders index `attachments`
  std::vector<std::string> attachments;
  std::vector<std::string> rooms;
  std::vector<std::string> except;
  bool is_volatile = false;
  bool sharded = false;  // the sharded adapter's format and channels (SPUBLISH)
  subscription_mode mode = subscription_mode::dynamic;
};

struct emit_outcome {
  std::string error;           // empty on success
  std::string channel;         // where it was published
  std::int64_t receivers = 0;  // (S)PUBLISH's answer: subscribers that got it (servers, patterns)
};

// Connects, publishes, and calls `done` once (within `timeout`).
void publish_emit(net::any_io_executor ex, const emit_request& r, std::chrono::milliseconds timeout,
                  std::function<void(emit_outcome)> done);

}  // namespace sio::redis
