#include "core/server/outgoing.hpp"

#include "core/socketio/encoder.hpp"

namespace sio::server {

outgoing encode_packet(const socketio::packet& p) {
  outgoing o;
  o.frames.reserve(1 + p.attachments.size());
  std::string header = "4";
  socketio::encode_append(p, header);
  o.frames.push_back(text_frame(std::move(header)));
  for (const auto& a : p.attachments) o.frames.push_back(binary_frame(a));
  return o;
}

socketio::packet make_event(const std::string& nsp, std::string_view name_raw, std::span<const std::string_view> args,
                            const std::vector<std::string>& attachments) {
  socketio::packet p;
  p.type = socketio::packet_type::event;
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

}  // namespace sio::server
