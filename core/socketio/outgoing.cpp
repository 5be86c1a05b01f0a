#include "core/socketio/outgoing.hpp"

namespace sio::socketio {

packet make_event(const std::string& nsp, std::string_view name_raw, std::span<const std::string_view> args,
                  const std::vector<std::string>& attachments) {
  packet p;
  p.type = packet_type::event;
  p.nsp = nsp;
  p.data.reserve(name_raw.size() + 2 + args.size() * 8);
  p.data.push_back('[');
  p.data.append(name_raw);
  for (auto a : args) {
    p.data.push_back(',');
    p.data.append(a);
  }
  p.data.push_back(']');
  p.attachments = attachments;
  return p;
}

}  // namespace sio::socketio
