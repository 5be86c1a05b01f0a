#pragma once
#include <chrono>
#include <cstddef>

namespace sio::server {

struct engine_options {
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  std::chrono::milliseconds upgrade_timeout{10000};
  std::size_t max_payload = 1'000'000;  // maxHttpBufferSize: a POST body or a WebSocket message
  // Unsent bytes a session may hold for a peer that does not read; past this it is closed.
  std::size_t max_buffered_bytes = 16u << 20;
  bool allow_polling = true;
  bool allow_websocket = true;
  bool allow_upgrades = true;
};

}  // namespace sio::server
