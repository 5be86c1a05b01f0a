// sio emit: connect, emit one event (optionally waiting for its ack), disconnect.
#include <fmt/core.h>

#include <iostream>

#include "cmd/arg_flags.hpp"
#include "cmd/byte_size.hpp"
#include "cmd/client_session.hpp"
#include "cmd/emit_redis.hpp"
#include "cmd/event_args.hpp"
#include "cmd/event_printer.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/subcommand.hpp"

namespace sio::cmd {

namespace {

struct emit_cli {
  client_cli client;
  std::string event;
  std::vector<std::string> args, string_args, json_args, file_args;  // bound only: read via `ordered`
  std::vector<arg_text> ordered;                                     // the event's arguments
  bool ack = false;
  seconds_f ack_timeout{0};  // 0: only --timeout bounds the wait
  emit_redis_cli redis;
};

// The event's arguments in command-line order. With --redis the URL positional holds the event
// and the EVENT positional the first argument.
std::vector<arg_text> ordered_args(const CLI::App& cmd, bool redis) {
  std::vector<arg_option> options = {{"args", arg_form::detect},
                                     {"--arg", arg_form::string},
                                     {"--json-arg", arg_form::json},
                                     {"--file-arg", arg_form::file}};
  if (redis) options.push_back({"event", arg_form::detect});
  return args_in_order(cmd, options);
}

bool looks_like_url(std::string_view s) { return s.find("://") != std::string_view::npos; }

// The emitter-only flags mean nothing to a connected client (its server decides who receives an
// event): refuse them rather than emit to everyone. With --redis there is no server URL.
void check_mode(const CLI::App& cmd, const emit_cli& o) {
  if (o.redis.url.empty()) {
    for (const char* flag : {"--namespace", "--nsp", "--to", "--except", "--volatile", "--redis-key"}) {
      if (cmd.count(flag) == 0) continue;
      if (const std::string_view f = flag; f == "--namespace" || f == "--nsp")
        throw CLI::ValidationError(flag,
                                   "needs --redis (emitter mode); with a server URL the namespace is the "
                                   "URL's path, as in http://127.0.0.1:3000/admin");
      throw CLI::ValidationError(flag,
                                 "needs --redis (emitter mode); a client's emit goes to its server, which "
                                 "decides who receives it");
    }
    return;
  }
  if (looks_like_url(o.client.url))
    throw CLI::ValidationError("--redis", "takes no server URL: the arguments are EVENT [ARG...], and \"" +
                                              o.client.url + "\" looks like a URL");
}

class emit_session final : public client_session {
 public:
  emit_session(const emit_cli& o, client::client_options options, std::string nsp, event_args args)
      : client_session("sio emit", o.client, std::move(options), std::move(nsp)), o_(o), args_(std::move(args)) {}

  void on_connect(const std::string& nsp, const std::string&) override {
    if (nsp != nsp_ || sent_) return;
    sent_ = true;
    if (!o_.ack) {
      if (auto big = client_->emit(nsp_, o_.event, args_.json, std::move(args_.attachments))) return refuse(*big);
      delivering_ = true;
      finish(exit_ok);  // the close goes out after the event; on_closed() hears whether it arrived
      return;
    }
    auto big = client_->emit(
        nsp_, o_.event, args_.json, std::move(args_.attachments),
        [this](const client::ack_result& r) {
          if (!r.error.empty()) {
            if (!finished()) log("no ack: " + r.error);
            finish(exit_failure);
            return;
          }
          print_line(ack_array(r));
          finish(exit_ok);
        },
        to_ms(o_.ack_timeout));
    if (big) refuse(*big);
  }
  void on_disconnect(const std::string& nsp, std::string_view reason) override {
    if (nsp == nsp_ && !finished()) {
      log(fmt::format("disconnected: {}", reason));
      finish(exit_failure);
    }
  }
  // Without --ack, the event counts as sent once the server took it: every POST answered, or
  // the WebSocket closing handshake answered after it.
  int on_closed(std::string_view problem, int code) override {
    if (!delivering_ || code != exit_ok || problem.empty()) return code;
    log(fmt::format("event not delivered: {}", problem));
    return exit_failure;
  }

 private:
  // The server advertised a maxPayload the event does not fit in: it would drop the connection.
  void refuse(const client::oversize& big) {
    log("event not delivered: " + exceeds_max_payload(big.size, big.limit));
    finish(exit_failure);
  }

  const emit_cli& o_;
  event_args args_;
  bool sent_ = false;
  bool delivering_ = false;  // sent without --ack: the close tells whether it arrived
};

int run_emit(const emit_cli& o) {
  // The flags are checked before @- reads stdin.
  const bool emitter = !o.redis.url.empty();
  if (emitter && o.ack) throw CLI::ValidationError("--ack", "the Redis emitter cannot wait for acks");
  if (!emitter && o.event.empty()) throw CLI::RequiredError("event");
  std::string nsp;
  client::client_options options;
  if (!emitter) options = make_client_options(o.client, nsp);
  arg_input input{&std::cin, "", "--arg sends it as a string"};
  auto args = parse_cli_args(o.ordered, input);
  if (emitter) {
    // No server URL in emitter mode: the positionals are EVENT [ARG...].
    auto redis = o.redis;
    redis.json = o.client.json;
    redis.timeout = o.client.timeout;
    return run_emit_redis(redis, o.client.url, std::move(args));
  }
  options.reconnection = false;  // a one-shot command fails fast
  // One event needs no upgrade: by default the emit stays on polling, the transport that opens
  // first, rather than wait for a WebSocket it would use for one message (and, against Node,
  // for the server to release the pending poll). --transport upgrade asks for it anyway.
  if (o.client.transport.empty()) options.engine.mode = client::transport_mode::polling;
  emit_session session(o, std::move(options), std::move(nsp), std::move(args));
  return session.run();
}

}  // namespace

void register_emit(CLI::App& app, runner& run) {
  auto o = std::make_shared<emit_cli>();
  o->client.timeout = seconds_f(10);
  auto* cmd = app.add_subcommand("emit", "Connect, emit one event, disconnect");
  add_client_flags(cmd, o->client, false);
  add_net_flags(cmd, o->client.net);
  cmd->add_option("event", o->event, "Event name");
  cmd->add_option("args", o->args,
                  "Arguments: JSON, else a string; @FILE (@- stdin) binary, @@TEXT the string @TEXT; "
                  "text starting with { [ or \" must be JSON");
  cmd->add_option("--arg", o->string_args, "Add an argument that is this string, whatever it looks like")
      ->allow_extra_args(false);
  cmd->add_option("--json-arg", o->json_args, "Add an argument that is this JSON (else exit 2)")
      ->allow_extra_args(false);
  cmd->add_option("--file-arg", o->file_args, "Add an argument that is this file's bytes, binary; - for stdin")
      ->allow_extra_args(false);
  cmd->add_flag("--ack", o->ack, "Wait for the ack and print its arguments as a JSON array");
  add_timeout_flag(cmd, o->client);
  add_duration_option(cmd, "--ack-timeout", o->ack_timeout,
                      "With --ack: wait this long for it (exit 1); 0: until --timeout", bare_unit::seconds, true);
  auto* redis = cmd->add_option("--redis", o->redis.url,
                                "Emitter mode: publish on this Redis (redis://host:port/db) for a cluster to deliver; "
                                "then the arguments are EVENT [ARG...]");
  cmd->add_option("--redis-key", o->redis.key, "Emitter mode: the adapter's key prefix")->capture_default_str();
  cmd->add_option("--namespace", o->redis.nsp, "Emitter mode: the namespace")->capture_default_str();
  cmd->add_option("--nsp", o->redis.nsp)->group("");  // the old spelling, hidden
  cmd->add_option("--to", o->redis.to, "Emitter mode: only sockets in this room (repeatable)")->allow_extra_args(false);
  cmd->add_option("--except", o->redis.except, "Emitter mode: not sockets in this room (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--volatile", o->redis.is_volatile, "Emitter mode: mark the broadcast volatile");
  auto* sharded = cmd->add_flag("--redis-sharded", o->redis.sharded,
                                "Emitter mode: for a cluster on the sharded adapter (createShardedAdapter): "
                                "SPUBLISH its format")
                      ->needs(redis);
  cmd->add_option("--redis-subscription-mode", o->redis.subscription_mode,
                  "Emitter mode, with --redis-sharded: the cluster's subscriptionMode")
      ->check(CLI::IsMember({"static", "dynamic", "dynamic-private"}))
      ->capture_default_str()
      ->needs(sharded);
  cmd->footer(R"(Examples:
  sio emit http://127.0.0.1:3000 chat "hello"                send "hello" to /
  sio emit http://127.0.0.1:3000/admin ping --ack             wait for the ack, print it
  sio emit http://127.0.0.1:3000 ping --ack --timeout 2.5s    give up after 2.5 seconds
  sio emit http://127.0.0.1:3000 doc '{"a":1}' 42 true        JSON arguments
  sio emit http://127.0.0.1:3000 upload @photo.png             a file as binary
  sio emit http://127.0.0.1:3000 id --arg "$v" --json-arg "$doc"  a string, whatever $v is; JSON or exit 2
  tar c dir | sio emit http://127.0.0.1:3000 upload name @-      stdin as binary (at most 16 MiB)
  sio emit http://127.0.0.1:3000 mention @@alice               the string "@alice"
  sio emit https://example.com chat hi --auth '{"token":"t"}' -H 'Cookie: a=b'
  sio emit http://127.0.0.1:3000 chat hi -v                 trace every packet and request on stderr
  sio emit https://example.com chat hi --cert me.pem --key me.key   TLS client certificate
  sio emit https://example.com chat hi --proxy http://proxy:3128    through an HTTP proxy (CONNECT)
  sio emit --redis redis://127.0.0.1:6379 news '{"a":1}' --to room1   emitter: no connection
  sio emit --redis redis://127.0.0.1:6379 --redis-sharded news 1      ... into a sharded cluster
  sio emit --redis redis://127.0.0.1:6379 --namespace /admin news 1   ... to /admin

Arguments are the event's in the order written, bare ARGs and --arg, --json-arg, --file-arg alike.
Without --transport, emit uses HTTP long-polling only: one event is not worth waiting for an
upgrade. Without --ack, it exits 0 once the server has taken the event (its POST answered, or the
WebSocket closing handshake answered after it); an event larger than the server's maxPayload is
refused before it is sent, and a connection dropped instead is exit 1 ("event not delivered").
Durations take a unit: 500ms, 5s, 2m (a bare number is seconds). --namespace, --to, --except,
--volatile and --redis-key need --redis: a connected client's namespace is the URL's path.

Exit codes: 0 delivered (and acked), 1 connect failure, connect_error, not delivered or timeout,
2 usage, 130 interrupted.)");
  cmd->callback([o, cmd, &run] {
    check_mode(*cmd, *o);
    o->ordered = ordered_args(*cmd, !o->redis.url.empty());
    run = [o] { return run_emit(*o); };
  });
}

}  // namespace sio::cmd
