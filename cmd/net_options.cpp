#include "cmd/net_options.hpp"

#include <cstdlib>

namespace sio::cmd {

namespace {

// The lowercase spelling wins, as in curl (which reads only http_proxy in lowercase, against
// CGI's HTTP_PROXY from a request's Proxy header; sio is no CGI program, and both are common).
std::string env(const char* lower, const char* upper) {
  if (const char* v = std::getenv(lower)) return v;
  if (const char* v = std::getenv(upper)) return v;
  return {};
}

}  // namespace

// sio bench leaves out the trace (thousands of connections, and its lean WebSocket link is not
// the traced client) and proxies (a load test through a proxy measures the proxy; the
// environment's proxy variables are ignored there too).
void add_net_flags(CLI::App* cmd, net_cli& o, bool with_proxy_and_trace) {
  o.proxies = with_proxy_and_trace;
  if (with_proxy_and_trace) {
    cmd->add_flag("-v,--verbose", o.verbose,
                  "Trace every Engine.IO/Socket.IO packet and HTTP request on stderr, with times in ms");
    auto* proxy = cmd->add_option("--proxy", o.proxy,
                                  "HTTP proxy http://[user:pass@]host[:port] for every connection (CONNECT); "
                                  "'' for none (default: $http_proxy/$https_proxy, less $no_proxy)");
    cmd->add_flag("--no-proxy", o.no_proxy, "Connect directly, whatever the proxy variables say")->excludes(proxy);
  }
  cmd->add_option("--origin", o.origin, "Origin header of the handshake requests (polling and WebSocket)")
      ->check([](const std::string& s) {
        return s.empty() || s.find_first_of("\r\n") != std::string::npos ? std::string("must be one non-empty line")
                                                                         : std::string();
      });
  auto* cert = cmd->add_option("--cert", o.cert_file, "TLS client certificate (PEM), for servers that ask for one")
                   ->check(CLI::ExistingFile);
  cmd->add_option("--key", o.key_file, "Private key of --cert (PEM, unencrypted; default: in the --cert file)")
      ->check(CLI::ExistingFile)
      ->needs(cert);
}

void apply_net_options(const net_cli& o, client::engine_options& e) {
  if (!o.origin.empty()) e.headers.emplace_back("Origin", o.origin);
  if (o.verbose) e.trace = std::make_shared<client::tracer>();
  if (o.no_proxy || !o.proxies) return;
  const client::proxy_environment environment{env("http_proxy", "HTTP_PROXY"), env("https_proxy", "HTTPS_PROXY"),
                                              env("no_proxy", "NO_PROXY")};
  const std::string text = client::proxy_url_for(e.url, o.proxy, environment);
  if (text.empty()) return;
  auto proxy = client::parse_proxy_url(text);
  if (!proxy) {
    const std::string source = o.proxy ? "--proxy" : (e.url.tls ? "https_proxy" : "http_proxy");
    throw CLI::ValidationError(source, "'" + text + "': " + proxy.error().message());
  }
  e.proxy = std::make_shared<const client::proxy_config>(std::move(*proxy));
}

}  // namespace sio::cmd
