// sio listen: print incoming events as they arrive.
#include <fmt/core.h>

#include <set>

#include <iostream>

#include "cmd/ack_with.hpp"
#include "cmd/arg_flags.hpp"
#include "cmd/bracket_args.hpp"
#include "cmd/client_session.hpp"
#include "cmd/event_args.hpp"
#include "cmd/event_printer.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/subcommand.hpp"
#include "core/common/json_scan.hpp"

namespace sio::cmd {

namespace {

struct listen_cli {
  client_cli client;
  std::vector<std::string> events;
  std::vector<std::string> emits;  // JSON arrays ["event", args...]
  ack_with_cli ack_with;
  unsigned count = 0;
};

struct startup_emit {
  std::string event;
  event_args args;
};

class listen_session final : public client_session {
 public:
  listen_session(const listen_cli& o, client::client_options options, std::string nsp, std::vector<startup_emit> emits)
      : client_session("sio listen", o.client, std::move(options), std::move(nsp)),
        o_(o),
        filter_(o.events.begin(), o.events.end()),
        emits_(std::move(emits)),
        answer_(o.ack_with.ordered, arg_input{&std::cin, "", ""}) {}

  void on_connect(const std::string& nsp, const std::string& sid) override {
    if (nsp != nsp_) return;
    note(fmt::format("connected to {} as {} ({})", nsp, sid, client_->transport_name()));
    if (o_.client.json) print_line(connected_record(nsp, sid, client_->transport_name(), o_.client.url));
    // After every (re)connect: join rooms and the like again.
    for (const auto& e : emits_) client_->emit(nsp_, e.event, e.args.json, e.args.attachments);
  }
  void on_disconnect(const std::string& nsp, std::string_view reason) override {
    if (finished()) return;
    note(fmt::format("disconnected from {}: {}", nsp, reason));
    if (reason.starts_with("io server disconnect")) finish(exit_failure);  // it will not take us back
  }
  void on_event(const client::incoming_event& ev) override {
    if (finished()) return;
    // Every event that asks is answered, printed or not; before a --count finish closes the
    // client, so the ACK is queued ahead of the close.
    answer_.maybe_answer(*client_, ev);
    if (!filter_.empty() && !filter_.count(ev.name)) return;
    print_line(format_event(ev, o_.client.json));
    if (o_.count && ++seen_ >= o_.count) finish(exit_ok);
  }
  void on_timeout() override {
    if (o_.count)
      log(fmt::format("timed out after {} with {} of {} events", format_duration(o_.client.timeout), seen_, o_.count));
    else
      log(fmt::format("timed out after {}", format_duration(o_.client.timeout)));
    finish(exit_failure);
  }

 private:
  const listen_cli& o_;
  std::set<std::string> filter_;
  std::vector<startup_emit> emits_;
  ack_answer answer_;
  unsigned seen_ = 0;
};

int run_listen(const listen_cli& o) {
  std::string nsp;
  auto options = make_client_options(o.client, nsp);
  std::vector<startup_emit> emits;
  for (const auto& protected_text : o.emits) {
    const std::string text(unprotect_brackets(protected_text));
    auto elements = json::array_elements(text);
    if (!elements || elements->empty() || (*elements)[0].front() != '"')
      throw CLI::ValidationError("--emit", "expected a JSON array [\"event\", args...]: " + text);
    startup_emit e{json::unquote((*elements)[0]), {}};
    std::vector<arg_text> args;
    for (std::size_t i = 1; i < elements->size(); ++i)
      args.push_back({arg_form::json, std::string((*elements)[i]), "--emit"});
    arg_input no_input{nullptr, "", ""};
    e.args = parse_cli_args(args, no_input);
    emits.push_back(std::move(e));
  }
  listen_session session(o, std::move(options), std::move(nsp), std::move(emits));
  return session.run();
}

}  // namespace

void register_listen(CLI::App& app, runner& run) {
  auto o = std::make_shared<listen_cli>();
  auto* cmd = app.add_subcommand("listen", "Print incoming events as they arrive");
  add_client_flags(cmd, o->client, true);
  add_net_flags(cmd, o->client.net);
  cmd->add_option("events", o->events, "Print only these events (default: all)");
  cmd->add_option("-n,--count", o->count, "Exit 0 after this many events");
  add_timeout_flag(cmd, o->client);
  cmd->add_option("--emit", o->emits, "After each connect, emit this JSON array [\"event\", args...] (repeatable)")
      ->allow_extra_args(false);
  add_ack_with_flags(cmd, o->ack_with);
  cmd->footer(R"(Examples:
  sio listen http://127.0.0.1:3000                          every event, one line each
  sio listen http://127.0.0.1:3000 chat --json | jq .args   only `chat`, as NDJSON
  sio listen http://127.0.0.1:3000 -n 1 --timeout 5s        wait for one event (CI)
  sio listen http://127.0.0.1:3000 --json | head -1         wait until connected: {"type":"connected",...}
  sio listen http://127.0.0.1:3000 --emit '["join","room1"]'  join a room first
  sio listen http://127.0.0.1:3000 --ack-with ok --ack-with 42  answer the server's acks with "ok", 42
  sio listen http://127.0.0.1:3000 --ack-with-arg 42 --ack-with-file reply.bin   ... with "42", binary
  sio listen https://example.com --origin https://example.com -k   as a page of that origin; no TLS checks

Output: `[/nsp ]event arg...` with each argument as JSON; with --json one object per line:
{"time":"...","type":"event","nsp":"/","event":"chat","args":[...]}; binary is {"$binary":"BASE64"};
after every connect {"time":"...","type":"connected","nsp":"/","sid":"...","transport":"...","url":"..."}.
Proxy: --proxy, else $http_proxy/$https_proxy less $no_proxy (as curl; see sio(1)).
Durations take a unit: 500ms, 5s, 2m (a bare number is seconds; --reconnect-delay's is ms).
Exit codes: 0 count reached or stopped by SIGTERM, 1 connect failure, connect_error or timeout,
2 usage, 130 interrupted.)");
  cmd->callback([o, cmd, &run] {
    collect_ack_with(*cmd, o->ack_with);
    run = [o] { return run_listen(*o); };
  });
}

}  // namespace sio::cmd
