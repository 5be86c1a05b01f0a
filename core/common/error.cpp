#include "core/common/error.hpp"

#include <string>

namespace sio {
namespace {

class codec_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sio.codec"; }

  std::string message(int ev) const override {
    switch (static_cast<codec_error>(ev)) {
      case codec_error::ok: return "success";
      case codec_error::empty_packet: return "empty packet";
      case codec_error::unknown_packet_type: return "unknown packet type";
      case codec_error::invalid_base64: return "invalid base64 in binary packet";
      case codec_error::payload_too_large: return "payload too large";
      case codec_error::invalid_json: return "invalid JSON";
      case codec_error::json_too_deep: return "JSON nested too deeply";
      case codec_error::invalid_utf8: return "invalid UTF-8";
      case codec_error::invalid_attachments: return "illegal attachments";
      case codec_error::too_many_attachments: return "too many attachments";
      case codec_error::invalid_namespace: return "invalid namespace";
      case codec_error::invalid_ack_id: return "invalid ack id";
      case codec_error::invalid_payload: return "invalid payload";
      case codec_error::unexpected_text: return "got plaintext data when reconstructing a packet";
      case codec_error::unexpected_binary: return "got binary data when not reconstructing a packet";
      case codec_error::invalid_placeholder: return "illegal attachments: bad placeholder";
      case codec_error::invalid_handshake: return "invalid handshake";
      case codec_error::invalid_url: return "invalid URL (expected http[s]://host[:port][/namespace])";
      case codec_error::invalid_binary_json: return "invalid {\"$binary\": ...}: the value must be base64";
      case codec_error::ws_protocol_error: return "WebSocket protocol error";
      case codec_error::ws_message_too_large: return "WebSocket message too large";
      case codec_error::invalid_url_scheme: return "invalid URL: the scheme must be http, https, ws or wss";
      case codec_error::invalid_url_port: return "invalid URL: the port must be a number from 1 to 65535";
    }
    return "unknown codec error";
  }
};

}  // namespace

const boost::system::error_category& codec_category() noexcept {
  static const codec_category_impl instance;
  return instance;
}

}  // namespace sio
