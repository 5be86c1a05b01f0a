#pragma once
// The browser demo of `sio serve`: a page at / and the official socket.io-client bundle at
// <path>socket.io.min.js (and .js, .map), read from the npm package the README set-up installs.
#include <map>
#include <string>

#include "core/server/http_server.hpp"

namespace sio::cmd {

void add_demo_files(std::map<std::string, server::static_file>& files, const std::string& engine_path);

}  // namespace sio::cmd
