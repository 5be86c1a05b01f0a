// socket.io-parser's format: "<type>[<attachments>-][<nsp>,][<ack id>][<JSON>]" in a text
// message, then each attachment as one binary message (the encoder and decoder beside this file).
#include <charconv>

#include "core/socketio/encoder.hpp"
#include "core/socketio/parser.hpp"

namespace sio::socketio {

namespace {

class json_decoder final : public packet_decoder {
 public:
  explicit json_decoder(const decoder_limits& limits) : decoder_(limits) {}
  result<std::optional<packet>> on_message(std::string_view message, bool binary) override {
    return binary ? decoder_.on_binary(message) : decoder_.on_text(message);
  }
  void reset() override { decoder_.reset(); }

 private:
  decoder decoder_;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class json_parser_impl final : public parser {
 public:
  std::string_view name() const override { return "json"; }

  std::unique_ptr<packet_decoder> make_decoder(const decoder_limits& limits) const override {
    return std::make_unique<json_decoder>(limits);
  }

  outgoing encode(const packet& p) const override { return encode_packet(p); }

  bool append_event(std::string& out, std::string_view nsp, std::optional<std::uint64_t> id, std::string_view name_raw,
                    std::span<const std::string_view> args) const override {
    out.append("42");  // an Engine.IO message carrying a Socket.IO EVENT
    if (nsp != "/") out.append(nsp).push_back(',');
    if (id) {
      char digits[24];
      const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, *id);
      out.append(digits, end);
    }
    out.push_back('[');
    out.append(name_raw);
    for (auto a : args) out.append(",").append(a);
    out.push_back(']');
    return false;
  }

  std::optional<packet_head> peek(std::string_view s, bool binary, std::string&) const override {
    if (binary || s.empty() || s[0] < '0' || s[0] > '6') return std::nullopt;
    packet_head h;
    h.type = static_cast<packet_type>(s[0]);
    s.remove_prefix(1);
    if (is_binary_type(h.type)) {
      const auto dash = s.find('-');
      if (dash == std::string_view::npos) return std::nullopt;
      s.remove_prefix(dash + 1);
    }
    if (!s.empty() && s.front() == '/') {
      const auto comma = s.find(',');
      h.nsp = s.substr(0, comma);
      s.remove_prefix(comma == std::string_view::npos ? s.size() : comma + 1);
    }
    if (!s.empty() && is_digit(s.front())) {
      std::uint64_t id = 0;
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
      if (ec != std::errc{}) return std::nullopt;
      h.id = id;
      s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    }
    h.data = s;
    return h;
  }
};

}  // namespace

outgoing encode_packet(const packet& p) {
  outgoing o;
  o.frames.reserve(1 + p.attachments.size());
  std::string header = "4";
  encode_append(p, header);
  o.frames.push_back(engineio::text_frame(std::move(header)));
  for (const auto& a : p.attachments) o.frames.push_back(engineio::binary_frame(a));
  return o;
}

const parser& json_parser() {
  static const json_parser_impl instance;
  return instance;
}

}  // namespace sio::socketio
