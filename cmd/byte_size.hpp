#pragma once
// Sizes in messages, in the units Engine.IO's limits are set in (maxHttpBufferSize is 1e6).
#include <cstddef>
#include <string>

namespace sio::cmd {

// "999 B", "1.5 kB", "2.1 MB", "1.0 GB": decimal units, one decimal from a kilobyte up.
std::string format_bytes(std::size_t n);

// "2.1 MB message exceeds the server's maxPayload of 1.0 MB": why an event was refused.
std::string exceeds_max_payload(std::size_t size, std::size_t limit);

}  // namespace sio::cmd
