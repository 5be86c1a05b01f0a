#pragma once
// Flags shared by `sio emit`, `sio listen` and `sio connect`, and their translation into the
// client core's options.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cmd/duration.hpp"
#include "cmd/net_options.hpp"
#include "core/client/sio_client.hpp"

namespace sio::cmd {

struct client_cli {
  std::string url;
  std::string path = "/socket.io/";
  std::string transport;  // empty: polling, then upgrade to websocket
  std::string auth;       // JSON object
  std::vector<std::string> headers;
  std::vector<std::string> query;
  std::string ca_file;
  bool insecure = false;
  net_cli net;  // -v, --proxy, --origin, --cert, --key (net_options.hpp)
  bool no_reconnect = false;
  seconds_f reconnect_delay{1};
  seconds_f reconnect_delay_max{5};
  unsigned reconnect_attempts = 0;
  bool json = false;
  bool quiet = false;    // no status messages on stderr (errors still)
  seconds_f timeout{0};  // the whole run; 0: none
};

// Adds URL and the shared flags; `with_reconnect` adds the reconnection flags. Set `o.timeout`
// first: it is the default --help shows.
void add_client_flags(CLI::App* cmd, client_cli& o, bool with_reconnect);

// --timeout, the deadline of the whole run (emit, listen and connect).
void add_timeout_flag(CLI::App* cmd, client_cli& o);

// Namespace from the URL, engine and reconnection options. Throws CLI::ValidationError on
// bad values (exit 2).
client::client_options make_client_options(const client_cli& o, std::string& nsp);

}  // namespace sio::cmd
