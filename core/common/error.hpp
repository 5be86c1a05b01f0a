#pragma once
// Error codes of the pure codecs. Codecs never throw for bad peer input: they return
// sio::result<T> (boost::system::result) carrying one of these.
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace sio {

template <class T>
using result = boost::system::result<T>;
using boost::system::error_code;

enum class codec_error {
  ok = 0,
  empty_packet,
  unknown_packet_type,
  invalid_base64,
  payload_too_large,
  invalid_json,
  json_too_deep,
  invalid_utf8,
  invalid_attachments,
  too_many_attachments,
  invalid_namespace,
  invalid_ack_id,
  invalid_payload,
  unexpected_text,
  unexpected_binary,
  invalid_placeholder,
  invalid_handshake,
  invalid_url,
  invalid_binary_json,
  ws_protocol_error,
  ws_message_too_large,
  invalid_url_scheme,
  invalid_url_port,
};

const boost::system::error_category& codec_category() noexcept;

inline error_code make_error_code(codec_error e) noexcept { return {static_cast<int>(e), codec_category()}; }

}  // namespace sio

template <>
struct boost::system::is_error_code_enum<sio::codec_error> : std::true_type {};
