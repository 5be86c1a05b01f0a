#include "core/engineio/packet.hpp"

#include "core/common/base64.hpp"

namespace sio::engineio {

bool is_packet_type(char c) { return c >= '0' && c <= '6'; }

void encode_text_append(packet_type type, std::string_view data, std::string& out) {
  out.push_back(static_cast<char>(type));
  out.append(data);
}

std::string encode_text(packet_type type, std::string_view data) {
  std::string out;
  out.reserve(1 + data.size());
  encode_text_append(type, data, out);
  return out;
}

result<packet_view> decode_text(std::string_view frame, std::string& scratch) {
  if (frame.empty()) return codec_error::empty_packet;
  const char c = frame.front();
  if (c == 'b') {
    auto bytes = base64::decode(frame.substr(1));
    if (!bytes) return codec_error::invalid_base64;
    scratch = std::move(*bytes);
    return packet_view{packet_type::message, scratch, true};
  }
  if (!is_packet_type(c)) return codec_error::unknown_packet_type;
  return packet_view{static_cast<packet_type>(c), frame.substr(1), false};
}

}  // namespace sio::engineio
