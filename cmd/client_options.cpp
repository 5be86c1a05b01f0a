#include "cmd/client_options.hpp"

#include "core/common/json_scan.hpp"

namespace sio::cmd {

void add_client_flags(CLI::App* cmd, client_cli& o, bool with_reconnect) {
  cmd->add_option("url", o.url, "Server URL; its path is the namespace (http://host:port/admin)")->required();
  cmd->add_option("--path", o.path, "Engine.IO path")->capture_default_str();
  cmd->add_option("--transport", o.transport, "polling, websocket, or upgrade (polling, then websocket: the default)")
      ->check(CLI::IsMember({"polling", "websocket", "upgrade"}));
  cmd->add_option("--auth", o.auth, "CONNECT payload, a JSON object")->check([](const std::string& s) {
    auto k = json::validate(s);
    return k && *k == json::kind::object ? std::string() : std::string("must be a JSON object");
  });
  cmd->add_option("-H,--header", o.headers, "Extra HTTP header 'Name: value' (repeatable)")
      ->check([](const std::string& s) {
        return s.find(':') == std::string::npos ? std::string("expected 'Name: value'") : std::string();
      })
      ->allow_extra_args(false);
  cmd->add_option("--query", o.query, "Extra query parameter k=v (repeatable)")
      ->check([](const std::string& s) {
        return s.find('=') == std::string::npos ? std::string("expected k=v") : std::string();
      })
      ->allow_extra_args(false);
  cmd->add_option("--ca", o.ca_file, "Trust this CA certificate (PEM) for https/wss")->check(CLI::ExistingFile);
  cmd->add_flag("-k,--insecure", o.insecure, "Do not verify the server's TLS certificate");
  cmd->add_flag("--json", o.json, "Print NDJSON: one object per line");
  cmd->add_flag("-q,--quiet", o.quiet, "No status messages on stderr (connected, reconnecting); errors still");
  if (with_reconnect) {
    cmd->add_flag("--no-reconnect", o.no_reconnect, "Do not reconnect when the connection is lost");
    // Milliseconds when bare, as socket.io-client's reconnectionDelay options are.
    add_duration_option(cmd, "--reconnect-delay", o.reconnect_delay, "First reconnection delay (a bare number is ms)",
                        bare_unit::milliseconds);
    add_duration_option(cmd, "--reconnect-delay-max", o.reconnect_delay_max,
                        "Longest reconnection delay (a bare number is ms)", bare_unit::milliseconds);
    cmd->add_option("--reconnect-attempts", o.reconnect_attempts, "Give up after N attempts (0: never)")
        ->capture_default_str();
  }
}

void add_timeout_flag(CLI::App* cmd, client_cli& o) {
  add_duration_option(cmd, "--timeout", o.timeout, "Give up after this long, connecting included (exit 1); 0: never",
                      bare_unit::seconds, true);
}

namespace {
std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}
}  // namespace

client::client_options make_client_options(const client_cli& o, std::string& nsp) {
  auto url = client::parse_url(o.url);
  if (!url) throw CLI::ValidationError("url", url.error().message());
  client::client_options c;
  nsp = url->nsp;
  c.engine.url = *url;
  c.engine.path = o.path;
  c.engine.mode = o.transport == "polling"     ? client::transport_mode::polling
                  : o.transport == "websocket" ? client::transport_mode::websocket
                                               : client::transport_mode::upgrade;
  for (const auto& h : o.headers) {
    const auto colon = h.find(':');
    c.engine.headers.emplace_back(trim(h.substr(0, colon)), trim(h.substr(colon + 1)));
  }
  for (const auto& q : o.query) {
    const auto eq = q.find('=');
    c.engine.query.emplace_back(q.substr(0, eq), q.substr(eq + 1));
  }
  // A TLS flag's bad file is an error even for an http:// URL, which then does not use it.
  if (url->tls || !o.ca_file.empty() || !o.net.cert_file.empty()) try {
      auto tls = client::make_tls_context({o.ca_file, o.insecure, o.net.cert_file, o.net.key_file});
      if (url->tls) c.engine.tls = std::move(tls);
    } catch (const std::runtime_error& e) {
      throw CLI::ValidationError(e.what());
    }
  apply_net_options(o.net, c.engine);
  c.reconnection = !o.no_reconnect;
  c.backoff.min = to_ms(o.reconnect_delay);
  c.backoff.max = std::max(to_ms(o.reconnect_delay), to_ms(o.reconnect_delay_max));
  c.reconnection_attempts = o.reconnect_attempts;
  return c;
}

}  // namespace sio::cmd
