#pragma once
// Engine.IO v4 packets: one ASCII type digit and an optional payload. Over WebSocket a
// packet is one frame; a binary frame is a message made of raw bytes with no type digit.
#include <string>
#include <string_view>

#include "core/common/error.hpp"

namespace sio::engineio {

enum class packet_type : char {
  open = '0',
  close = '1',
  ping = '2',
  pong = '3',
  message = '4',
  upgrade = '5',
  noop = '6',
};

struct packet {
  packet_type type = packet_type::message;
  std::string data;
  bool binary = false;  // only a message can be binary

  friend bool operator==(const packet&, const packet&) = default;
};

// A decoded packet that points into the frame it came from (no copy on the hot path).
struct packet_view {
  packet_type type = packet_type::message;
  std::string_view data;
  bool binary = false;

  packet to_packet() const { return {type, std::string(data), binary}; }
};

bool is_packet_type(char c);

// WebSocket text frame: the type digit followed by the payload ("4hello").
std::string encode_text(packet_type type, std::string_view data = {});
void encode_text_append(packet_type type, std::string_view data, std::string& out);

// A text frame. As in the reference parser, a frame starting with 'b' is a base64 binary
// message, which is what v4 polling writes; the decoded bytes go into `scratch`.
result<packet_view> decode_text(std::string_view frame, std::string& scratch);

// A binary WebSocket frame: always a message, the bytes as they are.
inline packet_view decode_binary(std::string_view frame) { return {packet_type::message, frame, true}; }

}  // namespace sio::engineio
