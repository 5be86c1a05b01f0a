#include "cmd/emit_redis.hpp"

#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cmd/exit_codes.hpp"
#include "core/redis/emitter.hpp"

namespace sio::cmd {

int run_emit_redis(const emit_redis_cli& o, const std::string& event, event_args args) {
  redis::emit_request r;
  std::string error;
  if (!redis::parse_url(o.url, r.where, error)) throw CLI::ValidationError("--redis", error);
  if (o.nsp.empty() || o.nsp.front() != '/') throw CLI::ValidationError("--namespace", "must start with /");
  r.key = o.key;
  r.nsp = o.nsp;
  r.event = event;
  r.args = std::move(args.json);
  r.attachments = std::move(args.attachments);
  r.rooms = o.to;
  r.except = o.except;
  r.is_volatile = o.is_volatile;
  r.sharded = o.sharded;
  r.mode = redis::parse_subscription_mode(o.subscription_mode).value_or(redis::subscription_mode::dynamic);

  net::io_context ctx;
  redis::emit_outcome outcome;
  const auto timeout = o.timeout.count() > 0 ? to_ms(o.timeout) : std::chrono::hours(24 * 365);  // 0: never
  redis::publish_emit(ctx.get_executor(), r, timeout, [&](redis::emit_outcome got) { outcome = std::move(got); });
  ctx.run();
  if (!outcome.error.empty()) {
    fmt::print(stderr, "sio emit: redis {}: {}\n", o.url, outcome.error);
    return exit_failure;
  }
  if (o.json) {
    nlohmann::ordered_json j;
    j["channel"] = outcome.channel;
    j["receivers"] = outcome.receivers;
    fmt::print("{}\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return exit_ok;
}

}  // namespace sio::cmd
