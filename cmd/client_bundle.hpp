#pragma once
// The socket.io-client bundle (the npm package's dist/ files), embedded in the binary at build
// time by cmake/embed_client_bundle.cmake: empty when the build found none.
#include <span>
#include <string_view>

namespace sio::cmd {

struct embedded_file {
  std::string_view name;  // e.g. "socket.io.min.js"
  std::string_view bytes;
};

std::span<const embedded_file> client_bundle();

}  // namespace sio::cmd
