#pragma once
// A Socket.IO packet encoded for Engine.IO once: the header message plus one binary message
// per attachment. Broadcasts hand the same frames to every recipient.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/engineio/connection.hpp"
#include "core/socketio/packet.hpp"

namespace sio::socketio {

struct outgoing {
  std::vector<engineio::frame> frames;
};

// The JSON parser's encoding (socketio::json_parser() is the way in for everything above).
outgoing encode_packet(const packet& p);

// An EVENT packet: [name_raw, args...] with the attachments the args' placeholders index.
packet make_event(const std::string& nsp, std::string_view name_raw, std::span<const std::string_view> args,
                  const std::vector<std::string>& attachments);

inline void send_to(engineio::connection& c, const outgoing& o) {
  for (const auto& f : o.frames) c.send(f);
}

}  // namespace sio::socketio
