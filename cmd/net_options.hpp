#pragma once
// The network flags of the client commands, where curl, httpie and wscat users look for them:
// -v/--verbose (the packet trace), --proxy/--no-proxy (and the proxy environment variables),
// --origin, --cert/--key (a TLS client certificate). -k/--insecure and --ca are with the other
// client flags (client_options.hpp).
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "core/client/engine_client.hpp"

namespace sio::cmd {

struct net_cli {
  bool verbose = false;
  std::optional<std::string> proxy;  // --proxy; "" means none
  bool no_proxy = false;
  std::string origin;
  std::string cert_file;
  std::string key_file;
  bool proxies = true;  // false: always direct, the environment notwithstanding (sio bench)
};

// `with_proxy_and_trace`: sio bench takes only --origin, --cert and --key (see add_net_flags' comment).
void add_net_flags(CLI::App* cmd, net_cli& o, bool with_proxy_and_trace = true);

// Sets the engine's proxy (from the flags, else the environment), trace and Origin header. Throws
// CLI::ValidationError on a bad proxy URL.
void apply_net_options(const net_cli& o, client::engine_options& e);

}  // namespace sio::cmd
