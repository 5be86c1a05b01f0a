#pragma once
// Flags shared by `sio emit`, `sio listen` and `sio connect`, and their translation into the
// client core's options.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

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
  bool no_reconnect = false;
  unsigned reconnect_delay_ms = 1000;
  unsigned reconnect_delay_max_ms = 5000;
  unsigned reconnect_attempts = 0;
  bool json = false;
  double timeout_s = 0;  // 0: none
};

// Adds URL and the shared flags; `with_reconnect` adds the reconnection flags.
void add_client_flags(CLI::App* cmd, client_cli& o, bool with_reconnect);

// Namespace from the URL, engine and reconnection options. Throws CLI::ValidationError on
// bad values (exit 2).
client::client_options make_client_options(const client_cli& o, std::string& nsp);

}  // namespace sio::cmd
