#pragma once
// The browser demo of `sio serve`: a page at / and the official socket.io-client bundle at
// <path>socket.io.min.js (and .js, .map), embedded in the binary at build time
// (cmd/client_bundle.hpp). Built without the bundle, the page says how to get it.
#include <map>
#include <span>
#include <string>

#include "cmd/client_bundle.hpp"
#include "core/server/http_server.hpp"

namespace sio::cmd {

void add_demo_files(std::map<std::string, server::static_file>& files, const std::string& engine_path);

// The same with a given bundle (empty: a build without it).
void add_demo_files(std::map<std::string, server::static_file>& files, const std::string& engine_path,
                    std::span<const embedded_file> bundle);

}  // namespace sio::cmd
