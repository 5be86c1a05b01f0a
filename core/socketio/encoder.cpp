#include "core/socketio/encoder.hpp"

#include <fmt/format.h>

namespace sio::socketio {

namespace {
packet_type wire_type(const packet& p) {
  if (p.attachments.empty()) return p.type;
  if (p.type == packet_type::event) return packet_type::binary_event;
  if (p.type == packet_type::ack) return packet_type::binary_ack;
  return p.type;
}
}  // namespace

void encode_append(const packet& p, std::string& out) {
  const auto type = wire_type(p);
  out.push_back(static_cast<char>(type));
  if (is_binary_type(type)) fmt::format_to(std::back_inserter(out), "{}-", p.attachments.size());
  if (!p.nsp.empty() && p.nsp != "/") {
    out.append(p.nsp);
    out.push_back(',');
  }
  if (p.id) fmt::format_to(std::back_inserter(out), "{}", *p.id);
  out.append(p.data);
}

std::string encode(const packet& p) {
  std::string out;
  out.reserve(p.nsp.size() + p.data.size() + 24);
  encode_append(p, out);
  return out;
}

}  // namespace sio::socketio
