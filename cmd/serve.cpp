// sio serve: echo, broadcast and Engine.IO echo servers, with a browser demo page.
#include <fmt/core.h>

#include <csignal>
#include <memory>

#include "cmd/demo_page.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/serve_options.hpp"
#include "cmd/serve_printer.hpp"
#include "cmd/subcommand.hpp"
#include "core/redis/adapter.hpp"
#include "core/redis/sharded_adapter.hpp"
#include "core/server/apps.hpp"
#include "core/server/engine.hpp"
#include "core/server/http_server.hpp"
#include "core/server/sio_server.hpp"
#include "core/transport/net.hpp"

namespace sio::cmd {

namespace {

class silent_observer final : public server::observer {};

// "address already in use": Boost's message without its capital and source location.
std::string plain(const boost::system::error_code& ec) {
  std::string m = ec.message();
  if (!m.empty()) m[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(m[0])));
  return m;
}

std::string host_port(const net::ip::address& a, unsigned port) {
  return a.is_v6() ? fmt::format("[{}]:{}", a.to_string(), port) : fmt::format("{}:{}", a.to_string(), port);
}

// --host takes an address or a name (localhost); a name listens on its first IPv4 address, if any.
net::ip::address resolve_host(net::io_context& ioc, const std::string& host) {
  boost::system::error_code ec;
  if (auto a = net::ip::make_address(host, ec); !ec) return a;
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(host, "", ec);
  if (ec || results.empty())
    throw std::runtime_error(fmt::format("cannot resolve --host {}: {}", host, ec ? plain(ec) : "no address"));
  for (const auto& r : results)
    if (r.endpoint().address().is_v4()) return r.endpoint().address();
  return results.begin()->endpoint().address();
}

int run_serve(const serve_options& o) {
  net::io_context ioc{1};
  const auto ex = ioc.get_executor();

  server::engine_options eo;
  eo.ping_interval = to_ms(o.ping_interval);
  eo.ping_timeout = to_ms(o.ping_timeout);
  eo.max_payload = o.max_payload;

  server::sio_options so;
  so.connect_timeout = to_ms(o.connect_timeout);
  so.namespaces.insert(o.namespaces.begin(), o.namespaces.end());
  so.limits.max_message_bytes = o.max_payload;

  serve_printer printer(o.json);
  server::observer* watcher = o.quiet ? nullptr : &printer;
  server::echo_app echo;
  server::broadcast_app broadcast;
  server::eio_echo_handler eio_echo;
  std::unique_ptr<server::sio_server> sio;
  engineio::connection_handler* handler = &eio_echo;
  if (o.mode != "eio-echo") {
    server::app& application = o.mode == "broadcast" ? static_cast<server::app&>(broadcast) : echo;
    sio = std::make_unique<server::sio_server>(so, application, watcher);
    handler = sio.get();
  }
  std::unique_ptr<redis::adapter> cluster;
  std::unique_ptr<redis::sharded_adapter> sharded_cluster;
  if (!o.redis.empty()) {
    redis::endpoint where;
    std::string error;
    if (!redis::parse_url(o.redis, where, error)) throw CLI::ValidationError("--redis", error);
    if (!sio) throw CLI::ValidationError("--redis", "needs the Socket.IO layer (not --mode eio-echo)");
    if (o.redis_sharded) {
      const auto mode =
          redis::parse_subscription_mode(o.redis_subscription_mode).value_or(redis::subscription_mode::dynamic);
      sharded_cluster = std::make_unique<redis::sharded_adapter>(ex, where, o.redis_key, mode, *sio);
      sio->set_adapter(sharded_cluster.get());
    } else {
      cluster = std::make_unique<redis::adapter>(ex, where, o.redis_key, *sio);
      sio->set_adapter(cluster.get());
    }
    sio->open_namespace("/");
    if (cluster) cluster->start();
    if (sharded_cluster) sharded_cluster->start();
  }
  server::engine eng(ex, eo, *handler);

  server::http_options ho;
  ho.path = o.path;
  ho.cors_origins = o.cors;
  ho.max_body_bytes = o.max_payload;
  if (o.static_dir) ho.static_dir = *o.static_dir;
  const bool demo = o.mode != "eio-echo";  // the page needs the Socket.IO layer
  if (demo) add_demo_files(ho.files, o.path);

  server::http_server http(ex, eng, ho);
  const auto address = resolve_host(ioc, o.host);
  tcp::endpoint bound;
  try {
    bound = http.listen({address, o.port});
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(fmt::format("cannot listen on {}: {}", host_port(address, o.port), plain(e.code())));
  }
  const std::string where = host_port(address, bound.port());
  const std::string path = ho.path.back() == '/' ? ho.path : ho.path + "/";
  fmt::print(stderr, "sio serve: listening on http://{}{} (mode {}){}\n", where, path, o.mode,
             demo ? fmt::format("; demo page at http://{}/", where) : std::string());
  printer.listening(address.to_string(), bound.port(), "http://" + where, path);
  http.start();

  int exit_code = exit_ok;
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer deadline(ioc);
  signals.async_wait([&](beast::error_code ec, int sig) {
    if (ec) return;
    exit_code = sig == SIGINT ? exit_interrupted : exit_ok;
    fmt::print(stderr, "sio serve: shutting down\n");
    http.stop();
    eng.close_all("server shutting down");
    if (cluster) cluster->stop();
    if (sharded_cluster) sharded_cluster->stop();
    // Give the close packets a moment to leave, then stop whatever is still pending.
    deadline.expires_after(std::chrono::milliseconds(500));
    deadline.async_wait([&](beast::error_code) { ioc.stop(); });
  });
  ioc.run();
  return exit_code;
}

}  // namespace

void register_serve(CLI::App& app, runner& run) {
  auto opts = std::make_shared<serve_options>();
  auto* cmd = app.add_subcommand("serve", "Run a Socket.IO server (echo, broadcast or Engine.IO echo)");
  cmd->add_option("--host", opts->host, "Address or host name to listen on")->capture_default_str();
  cmd->add_option("--port", opts->port, "Port to listen on; 0 picks a free port")->capture_default_str();
  cmd->add_option("--path", opts->path, "Engine.IO path")
      ->check([](const std::string& p) {
        const bool ok = p.starts_with("/") && p.find_first_not_of(
                                                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                  "0123456789-._~/") == std::string::npos;
        return ok ? std::string() : std::string("must start with / and use only letters, digits and -._~/");
      })
      ->capture_default_str();
  cmd->add_option("--mode", opts->mode, "echo, broadcast or eio-echo")
      ->check(CLI::IsMember({"echo", "broadcast", "eio-echo"}))
      ->capture_default_str();
  // Milliseconds when bare, as socket.io's pingInterval and pingTimeout are.
  add_duration_option(cmd, "--ping-interval", opts->ping_interval, "Heartbeat interval (a bare number is ms)",
                      bare_unit::milliseconds);
  add_duration_option(cmd, "--ping-timeout", opts->ping_timeout, "How long to wait for a pong (a bare number is ms)",
                      bare_unit::milliseconds);
  cmd->add_option("--max-payload", opts->max_payload, "Largest POST body or WebSocket message in bytes")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 30))
      ->capture_default_str();
  add_duration_option(cmd, "--connect-timeout", opts->connect_timeout,
                      "Close connections that join no namespace within this long");
  cmd->add_option("--namespace", opts->namespaces, "Accept only this namespace (repeatable); default: any")
      ->check([](const std::string& s) { return s.starts_with("/") ? std::string() : "must start with /"; });
  cmd->add_option("--cors", opts->cors, "Allow this origin, or * (repeatable)");
  cmd->add_option("--static", opts->static_dir, "Serve the files of this directory")->check(CLI::ExistingDirectory);
  auto* redis =
      cmd->add_option("--redis", opts->redis,
                      "Join a cluster: the @socket.io/redis-adapter protocol over this Redis (redis://host:port/db)");
  cmd->add_option("--redis-key", opts->redis_key, "The adapter's channel prefix")->capture_default_str();
  auto* sharded = cmd->add_flag("--redis-sharded", opts->redis_sharded,
                                "Speak the sharded adapter's protocol (createShardedAdapter, Redis 7 sharded pub/sub)")
                      ->needs(redis);
  cmd->add_option("--redis-subscription-mode", opts->redis_subscription_mode,
                  "With --redis-sharded: the cluster's subscriptionMode (static, dynamic, dynamic-private)")
      ->check(CLI::IsMember({"static", "dynamic", "dynamic-private"}))
      ->capture_default_str()
      ->needs(sharded);
  cmd->add_flag("--json", opts->json,
                "Print NDJSON: a listening record once ready, then connects, disconnects and events");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print no connects, disconnects or events (the listening record still)");
  cmd->footer(R"(Modes:
  echo       on connect emit `auth` with the client's auth; `message` -> `message-back`;
             an event that asks for an ack is acked with its arguments; any other event
             is sent back to the sender under its own name
  broadcast  every event goes to every socket of its namespace, sender included
  eio-echo   Engine.IO only: every message comes back unchanged (use --path /engine.io/)

Room control events (echo and broadcast modes):
  join [ROOM...]           join rooms; ack: the socket's rooms, sorted
  leave ROOM...            leave rooms; ack: the socket's rooms
  to ROOM EVENT ARGS...    send EVENT to the room, sender excluded; ack: recipients
  broadcast EVENT ARGS...  send EVENT to every other socket; ack: recipients

Examples:
  sio serve                                   echo server on 127.0.0.1:3000
  sio serve --port 0 --json | jq .            any free port, NDJSON log
  sio serve --port 0 --json -q | head -1      {"type":"listening","port":N,...} once ready
  sio serve --host localhost --ping-interval 5s --connect-timeout 10s
  sio serve --mode broadcast --cors '*'       a broadcast server for browsers
  sio serve --namespace / --namespace /admin  accept only these namespaces
  sio serve --mode eio-echo --path /engine.io/
  sio serve --mode broadcast --redis redis://127.0.0.1:6379   a member of a socket.io cluster
  sio serve --redis redis://127.0.0.1:6379 --redis-sharded    ... of one using createShardedAdapter

Durations take a unit: 500ms, 5s, 2m (a bare number is seconds; --ping-interval's and
--ping-timeout's is ms, as in socket.io). Exit codes: 0 after SIGTERM, 1 cannot listen,
2 usage, 130 interrupted.)");
  run = {};
  cmd->callback([opts, &run] { run = [opts] { return run_serve(*opts); }; });
}

}  // namespace sio::cmd
