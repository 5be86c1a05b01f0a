// sio bench: load-tests a Socket.IO server (echo, broadcast, connect, idle) and reports
// throughput and latency percentiles; --fail-if turns it into a CI gate.
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cmd/bench_cpu.hpp"
#include "cmd/bench_progress.hpp"
#include "cmd/bench_report.hpp"
#include "cmd/bench_summary.hpp"
#include "cmd/client_options.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/fail_if.hpp"
#include "cmd/subcommand.hpp"
#include "core/bench/link.hpp"
#include "core/bench/runner.hpp"

namespace sio::cmd {

namespace {

struct bench_cli {
  client_cli client;
  std::vector<std::string> also;  // more server URLs (a cluster's other members)
  std::string scenario = "echo";
  unsigned clients = 100;
  seconds_f duration{10};
  seconds_f warmup{1};
  seconds_f ramp_up{0};
  std::size_t payload_size = 32;
  std::string event = "bench";
  double rate = 0;
  unsigned pipeline = 1;
  unsigned senders = 1;
  double connect_rate = 100;
  unsigned threads = 1;
  std::string source_addresses;
  seconds_f connect_timeout{10};
  seconds_f ack_timeout{10};
  std::vector<std::string> fail_if;
  std::string report;
};

std::atomic<bool> interrupted{false};
std::atomic<int> signal_seen{0};

extern "C" void on_signal(int sig) {
  signal_seen.store(sig);
  interrupted.store(true);
}

// "127.0.0.1-127.0.0.8" or "127.0.0.1,127.0.0.2"; at most 256 addresses.
std::vector<net::ip::address> parse_sources(const std::string& text) {
  std::vector<net::ip::address> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    if (item.empty()) continue;
    const auto dash = item.find('-');
    error_code ec1, ec2;
    if (dash == std::string::npos) {
      auto a = net::ip::make_address(item, ec1);
      if (ec1) throw CLI::ValidationError("--source-addresses", "'" + item + "' is not an IP address");
      out.push_back(a);
      continue;
    }
    const auto from = net::ip::make_address_v4(item.substr(0, dash), ec1);
    const auto to = net::ip::make_address_v4(item.substr(dash + 1), ec2);
    if (ec1 || ec2 || to.to_uint() < from.to_uint() || to.to_uint() - from.to_uint() >= 256)
      throw CLI::ValidationError("--source-addresses", "'" + item + "' is not a range of up to 256 IPv4 addresses");
    for (auto v = from.to_uint(); v <= to.to_uint(); ++v) out.emplace_back(net::ip::address_v4(v));
  }
  return out;
}

// An --also URL shares everything with the main URL but its address: the namespace and the scheme
// kind must match (the clients join one namespace; one TLS setting serves every target).
client::engine_options also_target(const client::engine_options& main, const std::string& nsp,
                                   const std::string& text) {
  auto url = client::parse_url(text);
  if (!url) throw CLI::ValidationError("--also", "'" + text + "': " + url.error().message());
  if (url->nsp != nsp)
    throw CLI::ValidationError("--also", "'" + text + "' names namespace " + url->nsp + " but the URL names " + nsp +
                                             ": every server must be asked for the same namespace");
  if (url->tls != main.url.tls)
    throw CLI::ValidationError("--also", "'" + text + "' is " + (url->tls ? "" : "not ") + "TLS but the URL is" +
                                             (main.url.tls ? "" : " not") +
                                             ": use the same kind of scheme (http/ws or https/wss) for every server");
  client::engine_options e = main;
  e.url = *url;
  return e;
}

// Each connection is a descriptor: use what the hard limit allows, and say so if it is short.
void raise_descriptor_limit(unsigned needed) {
  rlimit l{};
  if (getrlimit(RLIMIT_NOFILE, &l) != 0) return;
  l.rlim_cur = l.rlim_max;
  setrlimit(RLIMIT_NOFILE, &l);
  if (l.rlim_cur != RLIM_INFINITY && needed + 64 > l.rlim_cur)
    fmt::print(stderr, "sio bench: {} connections need more descriptors than the limit ({}); run several processes\n",
               needed, l.rlim_cur);
}

bool expects_deliveries(bench::scenario s) { return s == bench::scenario::echo || s == bench::scenario::broadcast; }

int run_bench(const bench_cli& o) {
  std::string nsp;
  auto client = make_client_options(o.client, nsp);
  bench::options b;
  b.kind = o.scenario == "broadcast" ? bench::scenario::broadcast
           : o.scenario == "connect" ? bench::scenario::connect
           : o.scenario == "idle"    ? bench::scenario::idle
                                     : bench::scenario::echo;
  b.engine = std::move(client.engine);
  if (o.client.transport.empty()) b.engine.mode = client::transport_mode::websocket;
  b.nsp = nsp;
  for (const auto& text : o.also) b.also.push_back(also_target(b.engine, nsp, text));
  b.auth = o.client.auth;
  b.clients = o.clients;
  b.duration_s = o.duration.count();
  b.warmup_s = o.warmup.count();
  b.ramp_up_s = o.ramp_up.count();
  b.payload_size = o.payload_size;
  b.event = o.event;
  b.rate = o.rate;
  b.pipeline = o.pipeline;
  b.senders = std::min(o.senders, o.clients);
  b.connect_rate = o.connect_rate;
  b.threads = o.threads;
  // Not a flag: a knob for tests/perf/ws_stacks.py, which compares the two WebSocket stacks.
  if (const char* link = std::getenv("SIO_BENCH_LINK"); link && std::string_view(link) == "full") b.lean_link = false;
  b.source_addresses = parse_sources(o.source_addresses);
  if (!b.source_addresses.empty() && !bench::lean_link_applies(b))
    throw CLI::ValidationError("--source-addresses", "works with --transport websocket over plain http/ws only");
  b.connect_timeout = to_ms(o.connect_timeout);
  b.ack_timeout = to_ms(o.ack_timeout);

  std::vector<fail_condition> conditions;
  for (const auto& text : o.fail_if) {
    std::string error;
    auto c = parse_fail_condition(text, error);
    if (!c) throw CLI::ValidationError("--fail-if", error);
    conditions.push_back(*c);
  }
  // A report that cannot be written fails now, not after the run (opening creates or truncates it).
  std::ofstream report;
  if (!o.report.empty()) {
    report.open(o.report);
    if (!report)
      throw CLI::ValidationError("--report", fmt::format("cannot write {}: {}", o.report, std::strerror(errno)));
  }
  raise_descriptor_limit(b.kind == bench::scenario::connect ? 0 : b.clients);

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const bool tty = isatty(STDERR_FILENO) != 0;
  const progress_context progress{o.scenario, o.clients};
  int printed = 0;
  auto on_sample = [&](const bench::sample& s) {
    if (o.client.quiet) return;
    if (tty) {
      // Asked every time (the window may be resized); one column spare, so the line never wraps.
      const std::size_t width = std::max<std::size_t>(terminal_columns(STDERR_FILENO, 80), 2) - 1;
      fmt::print(stderr, "\r\x1b[K{}", progress_line(progress, s, width));
    } else if (++printed % 5 == 1) {  // a whole line every five seconds in logs
      fmt::print(stderr, "{}\n", progress_line(progress, s, 0));
    }
    std::fflush(stderr);
  };
  const auto result = bench::run(b, on_sample, interrupted);
  if (tty && !o.client.quiet) fmt::print(stderr, "\r\x1b[K");

  std::vector<std::string> urls{o.client.url};
  urls.insert(urls.end(), o.also.begin(), o.also.end());
  const auto summary = bench_summary(b, urls, result, generator_cores(b.threads));
  // Before the summary: a reader of the figures should see this first.
  if (const auto warning = generator_bound_warning(summary["generator_cpu_percent"].get<double>(),
                                                   summary["generator_cores"].get<unsigned>()))
    fmt::print(stderr, "{}\n", *warning);
  if (o.client.json) {
    fmt::print("{}\n", summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}", bench_summary_text(summary));
  }
  std::fflush(stdout);
  bool report_failed = false;
  if (report.is_open()) {
    report << bench_report_html(summary, result.timeline);
    report.close();
    if (!report) {
      fmt::print(stderr, "sio bench: cannot write {}\n", o.report);
      report_failed = true;
    }
  }
  if (result.interrupted) return signal_seen.load() == SIGTERM ? exit_ok : exit_interrupted;
  int code = report_failed ? exit_failure : exit_ok;
  for (const auto& c : conditions) {
    const auto actual = bench_metric(summary, c.metric);
    if (actual && c.holds(*actual)) {
      fmt::print(stderr, "sio bench: fail-if {} holds ({} = {}{})\n", c.text, c.metric, *actual,
                 is_latency_metric(c.metric) ? " us" : "");
      code = exit_failure;
    }
  }
  const auto& total = result.merged.total;
  if (total.connects == 0) {
    const auto& why = result.merged.first_connect_error;
    fmt::print(stderr, "sio bench: no client could connect to {}{}\n", fmt::join(urls, " or "),
               why.empty() ? std::string() : " (" + why + ")");
    code = exit_failure;
  } else if (expects_deliveries(b.kind) && total.received == 0 && (total.sent > 0 || result.merged.in_flight > 0)) {
    // Events went out and nothing came back: the server does not answer this scenario.
    fmt::print(stderr, "sio bench: nothing received in the measured window ({} sent, {} awaiting an ack): {}\n",
               total.sent, result.merged.in_flight,
               b.kind == bench::scenario::broadcast
                   ? "does the server send every event to every client (sio serve --mode broadcast)?"
                   : "does the server ack the events (sio serve does)?");
    code = exit_failure;
  }
  return code;
}

}  // namespace

void register_bench(CLI::App& app, runner& run) {
  auto o = std::make_shared<bench_cli>();
  auto* cmd = app.add_subcommand("bench", "Load-test a server: throughput, latency percentiles, connects");
  add_client_flags(cmd, o->client, false);
  add_net_flags(cmd, o->client.net, false);
  cmd->get_option("--transport")->description("Transport of every client (default: websocket)");
  cmd->add_option("--also", o->also,
                  "Also connect to this server, e.g. a cluster member (repeatable): clients go round-robin "
                  "over URL and every --also URL")
      ->allow_extra_args(false);  // one URL per flag: the positional URL after it stays the URL
  cmd->add_option("-s,--scenario", o->scenario, "echo, broadcast, connect or idle")
      ->check(CLI::IsMember({"echo", "broadcast", "connect", "idle"}))
      ->capture_default_str();
  cmd->add_option("-c,--clients", o->clients, "Simulated clients")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  add_duration_option(cmd, "-d,--duration", o->duration, "How long to measure");
  add_duration_option(cmd, "--warmup", o->warmup, "Load before measuring, not counted", bare_unit::seconds, true);
  add_duration_option(cmd, "--ramp-up", o->ramp_up, "Spread the connects over this long", bare_unit::seconds, true);
  cmd->add_option("--payload-size", o->payload_size, "Bytes of padding in every event")
      ->check(CLI::Range(std::size_t{0}, std::size_t{64} << 20))
      ->capture_default_str();
  cmd->add_option("--event", o->event, "Event name emitted")->capture_default_str();
  cmd->add_option("--rate", o->rate,
                  "Open loop: echo, events per second per client; broadcast, in total (default: closed loop)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--pipeline", o->pipeline, "Closed loop: emits in flight per client")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  cmd->add_option("--senders", o->senders, "Broadcast: clients that emit (the rest only receive)")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  cmd->add_option("--connect-rate", o->connect_rate, "Connect scenario: new connections per second")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("-t,--threads", o->threads, "Event loops (one thread each)")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  cmd->add_option("--source-addresses", o->source_addresses,
                  "Local addresses to connect from, in turn: 127.0.0.1-127.0.0.8 or a,b,c");
  add_duration_option(cmd, "--connect-timeout", o->connect_timeout, "How long a client may take to join the namespace");
  add_duration_option(cmd, "--ack-timeout", o->ack_timeout,
                      "An emit not acked within this long counts as an error (ack_timeouts); 0: never",
                      bare_unit::seconds, true);
  cmd->add_option("--fail-if", o->fail_if, "Exit 1 when a condition holds: p99>20ms, errors>0, throughput<1000 ...")
      ->allow_extra_args(false);  // one condition per flag: the URL after it stays the URL
  cmd->add_option("--report", o->report, "Write an HTML report with plots over time");
  cmd->get_option("--quiet")->description("No progress on stderr (warnings and errors still)");
  cmd->footer(R"(Scenarios:
  echo       every client emits with an ack; the next goes when the ack is back (closed
             loop), or on schedule with --rate (latency counted from the intended time)
  broadcast  --senders emit time-stamped events (at --rate in total, or closed loop);
             latency is receive time minus send time, at every receiver
  connect    --connect-rate new connections per second, each leaves once connected
  idle       hold --clients connections for --duration; report drops

A client whose connection drops counts one error (drops) and reconnects with socket.io-client's
backoff (1 s doubling to 5 s, +/- 50%); once back in it resumes its load (reconnects).

Examples:
  sio bench http://127.0.0.1:3000 -c 200 -d 30s                     echo, closed loop
  sio bench http://127.0.0.1:3000 -d 2m --warmup 5s --ramp-up 500ms   durations take units
  sio bench http://127.0.0.1:3000 --rate 100 -c 1000 --fail-if 'p99>20ms'
  sio serve --mode broadcast & sio bench http://127.0.0.1:3000 -s broadcast -c 500 --senders 5 --rate 1000
  sio bench http://127.0.0.1:3000 -s idle -c 15000 --source-addresses 127.0.0.1-127.0.0.4 --ramp-up 10
  sio bench http://127.0.0.1:3000 --also http://127.0.0.1:3001 --scenario broadcast --senders 10   a two-node cluster
  sio bench http://127.0.0.1:3000 -s connect --connect-rate 500 --json | jq .connect_latency_us

Durations take a unit: 500ms, 5s, 2m (a bare number is seconds).
Exit codes: 0 done, 1 a --fail-if condition held, no client connected, or (echo, broadcast)
events went out and none came back; 2 usage, 130 interrupted (the summary is still printed).)");
  cmd->callback([o, &run] { run = [o] { return run_bench(*o); }; });
}

}  // namespace sio::cmd
