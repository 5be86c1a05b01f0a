#pragma once
// Socket.IO v5 decoder. A text message is a packet header; a BINARY_EVENT/BINARY_ACK header
// is followed by its attachments, one binary message each, which the decoder collects until
// the packet is whole. Payloads are validated exactly as the reference parser does
// (socket.io-parser's isPayloadValid), and every size is bounded.
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/common/error.hpp"
#include "core/common/json_scan.hpp"
#include "core/socketio/packet.hpp"

namespace sio::socketio {

struct decoder_limits {
  std::size_t max_attachments = 10;           // socket.io-parser's maxAttachments
  std::size_t max_message_bytes = 1'000'000;  // any one text or binary message
  std::size_t max_json_depth = json::default_max_depth;
  // python-socketio/Flask-SocketIO (always_connect=True) refuse a connection with a DISCONNECT
  // carrying {"message":...}; the reference rejects it. A client may accept it to show why.
  bool allow_disconnect_payload = false;
};

// Parses one complete text message. A binary packet comes back with `expected_attachments`
// set and no attachments yet.
struct header {
  packet pkt;
  std::size_t expected_attachments = 0;
};
result<header> decode_header(std::string_view message, const decoder_limits& limits = {});

class decoder {
 public:
  explicit decoder(decoder_limits limits = {}) : limits_(limits) {}

  // A whole packet, or nullopt while attachments are still awaited.
  result<std::optional<packet>> on_text(std::string_view message);
  result<std::optional<packet>> on_binary(std::string_view message);

  bool reconstructing() const { return pending_.has_value(); }
  void reset() { pending_.reset(); }

 private:
  decoder_limits limits_;
  std::optional<header> pending_;
};

}  // namespace sio::socketio
