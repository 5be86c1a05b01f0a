#include "core/socketio/decoder.hpp"

namespace sio::socketio {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

error_code validate_payload(packet_type type, std::string_view data, const decoder_limits& limits) {
  const auto max_depth = limits.max_json_depth;
  if (data.empty()) return {};  // an absent payload is valid for every type, as in the reference
  if (type == packet_type::disconnect) {
    if (!limits.allow_disconnect_payload) return codec_error::invalid_payload;
    auto kind = json::validate(data, max_depth);
    return kind && *kind == json::kind::object ? error_code{} : error_code{codec_error::invalid_payload};
  }
  if (type == packet_type::event || type == packet_type::binary_event) {
    auto ev = json::array_elements(data, max_depth);
    if (!ev) return ev.error();
    if (ev->empty()) return codec_error::invalid_payload;
    const std::string_view first = ev->front();
    if (first.front() == '"')
      return is_reserved_event(json::unquote(first)) ? codec_error::invalid_payload : error_code{};
    const bool is_number = first.front() == '-' || is_digit(first.front());
    return is_number ? error_code{} : error_code{codec_error::invalid_payload};
  }
  auto kind = json::validate(data, max_depth);
  if (!kind) return kind.error();
  switch (type) {
    case packet_type::connect: return *kind == json::kind::object ? error_code{} : codec_error::invalid_payload;
    case packet_type::connect_error:
      return *kind == json::kind::object || *kind == json::kind::string ? error_code{} : codec_error::invalid_payload;
    case packet_type::ack:
    case packet_type::binary_ack: return *kind == json::kind::array ? error_code{} : codec_error::invalid_payload;
    default: return codec_error::invalid_payload;
  }
}

}  // namespace

result<header> decode_header(std::string_view s, const decoder_limits& limits) {
  if (s.empty()) return codec_error::empty_packet;
  if (s.size() > limits.max_message_bytes) return codec_error::payload_too_large;
  if (s[0] < '0' || s[0] > '6') return codec_error::unknown_packet_type;
  header h;
  h.pkt.type = static_cast<packet_type>(s[0]);
  std::size_t i = 1;

  if (is_binary_type(h.pkt.type)) {
    const std::size_t start = i;
    std::size_t count = 0;
    while (i < s.size() && is_digit(s[i])) {
      count = count * 10 + static_cast<std::size_t>(s[i] - '0');
      if (count > limits.max_attachments) return codec_error::too_many_attachments;
      ++i;
    }
    if (i == start || i >= s.size() || s[i] != '-') return codec_error::invalid_attachments;
    ++i;
    h.expected_attachments = count;
  }

  if (i < s.size() && s[i] == '/') {
    const auto comma = s.find(',', i);
    const auto end = comma == std::string_view::npos ? s.size() : comma;
    h.pkt.nsp.assign(s.substr(i, end - i));
    i = comma == std::string_view::npos ? s.size() : comma + 1;
  }

  if (i < s.size() && is_digit(s[i])) {
    std::uint64_t id = 0;
    while (i < s.size() && is_digit(s[i])) {
      id = id * 10 + static_cast<std::uint64_t>(s[i] - '0');
      if (id > max_ack_id) return codec_error::invalid_ack_id;
      ++i;
    }
    h.pkt.id = id;
  }

  const std::string_view data = s.substr(i);
  if (auto ec = validate_payload(h.pkt.type, data, limits)) return ec;
  if (is_binary_type(h.pkt.type) && !data.empty()) {
    auto placeholders = find_placeholders(data, h.expected_attachments, limits.max_json_depth);
    if (!placeholders) return placeholders.error();
  }
  h.pkt.data.assign(data);
  return h;
}

result<std::optional<packet>> decoder::on_text(std::string_view message) {
  if (pending_) return codec_error::unexpected_text;
  auto h = decode_header(message, limits_);
  if (!h) return h.error();
  if (h->expected_attachments == 0) return std::optional<packet>(std::move(h->pkt));
  h->pkt.attachments.reserve(h->expected_attachments);
  pending_ = std::move(*h);
  return std::optional<packet>();
}

result<std::optional<packet>> decoder::on_binary(std::string_view message) {
  if (!pending_) return codec_error::unexpected_binary;
  if (message.size() > limits_.max_message_bytes) {
    pending_.reset();
    return codec_error::payload_too_large;
  }
  pending_->pkt.attachments.emplace_back(message);
  if (pending_->pkt.attachments.size() < pending_->expected_attachments) return std::optional<packet>();
  packet done = std::move(pending_->pkt);
  pending_.reset();
  return std::optional<packet>(std::move(done));
}

}  // namespace sio::socketio
