#include "core/wsframe/frame.hpp"

#include <cstring>

namespace sio::wsframe {

namespace {

bool is_control(opcode op) { return static_cast<std::uint8_t>(op) >= 8; }

bool known(std::uint8_t op) { return op <= 2 || (op >= 8 && op <= 10); }

std::uint64_t read_be(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

// What a close frame must hold: nothing, or a valid code and a UTF-8 reason.
error_code check_close_payload(std::string_view payload) {
  if (payload.empty()) return {};
  if (payload.size() == 1) return codec_error::ws_protocol_error;
  const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
  if (!is_valid_close_code(static_cast<std::uint16_t>((p[0] << 8) | p[1]))) return codec_error::ws_protocol_error;
  if (!utf8::valid(payload.substr(2))) return codec_error::invalid_utf8;
  return {};
}

// A reassembly buffer that held a large message is given back rather than kept at its peak.
constexpr std::size_t kept_message_capacity = 4096;

}  // namespace

bool is_valid_close_code(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

result<std::optional<header>> parse_header(std::string_view data) {
  if (data.size() < 2) return std::optional<header>{};
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  header h;
  h.fin = (p[0] & 0x80) != 0;
  if ((p[0] & 0x70) != 0 || !known(p[0] & 0x0f)) return codec_error::ws_protocol_error;
  h.op = static_cast<opcode>(p[0] & 0x0f);
  h.masked = (p[1] & 0x80) != 0;
  const unsigned len7 = p[1] & 0x7f;
  std::size_t size = 2;
  if (len7 == 126) {
    size += 2;
  } else if (len7 == 127) {
    size += 8;
  }
  if (h.masked) size += 4;
  if (data.size() < size) return std::optional<header>{};
  std::size_t pos = 2;
  if (len7 == 126) {
    h.length = read_be(p + 2, 2);
    pos = 4;
  } else if (len7 == 127) {
    h.length = read_be(p + 2, 8);
    if (h.length >> 63) return codec_error::ws_protocol_error;
    pos = 10;
  } else {
    h.length = len7;
  }
  if (is_control(h.op) && (!h.fin || h.length > 125)) return codec_error::ws_protocol_error;
  if (h.masked) h.mask = static_cast<std::uint32_t>(read_be(p + pos, 4));
  h.size = size;
  return std::optional<header>{h};
}

std::size_t write_header(char* out, opcode op, std::uint64_t length, std::optional<std::uint32_t> mask) {
  auto* p = reinterpret_cast<unsigned char*>(out);
  p[0] = static_cast<unsigned char>(0x80 | static_cast<unsigned>(op));
  const unsigned char mask_bit = mask ? 0x80 : 0;
  std::size_t size = 2;
  if (length < 126) {
    p[1] = static_cast<unsigned char>(mask_bit | length);
  } else if (length <= 0xffff) {
    p[1] = mask_bit | 126;
    p[2] = static_cast<unsigned char>(length >> 8);
    p[3] = static_cast<unsigned char>(length);
    size = 4;
  } else {
    p[1] = mask_bit | 127;
    for (int i = 0; i < 8; ++i) p[2 + i] = static_cast<unsigned char>(length >> (56 - 8 * i));
    size = 10;
  }
  if (mask) {
    for (int i = 0; i < 4; ++i) p[size + i] = static_cast<unsigned char>(*mask >> (24 - 8 * i));
    size += 4;
  }
  return size;
}

void apply_mask(char* data, std::size_t n, std::uint32_t mask, std::size_t offset) {
  unsigned char key[4];
  for (int i = 0; i < 4; ++i) key[i] = static_cast<unsigned char>(mask >> (24 - 8 * i));
  std::size_t i = 0;
  // Align to the key, then eight bytes at a time.
  for (; i < n && (offset + i) % 4 != 0; ++i) data[i] = static_cast<char>(data[i] ^ key[(offset + i) % 4]);
  std::uint32_t word;
  std::memcpy(&word, key, 4);
  const std::uint64_t wide = (static_cast<std::uint64_t>(word) << 32) | word;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, data + i, 8);
    chunk ^= wide;
    std::memcpy(data + i, &chunk, 8);
  }
  for (; i < n; ++i) data[i] = static_cast<char>(data[i] ^ key[(offset + i) % 4]);
}

std::string make_frame(opcode op, std::string_view payload, std::optional<std::uint32_t> mask) {
  char head[max_header_size];
  const std::size_t h = write_header(head, op, payload.size(), mask);
  std::string out;
  out.reserve(h + payload.size());
  out.append(head, h);
  out.append(payload);
  if (mask) apply_mask(out.data() + h, payload.size(), *mask);
  return out;
}

result<std::size_t> reader::consume(char* data, std::size_t n, frame_sink& sink) {
  std::size_t pos = 0;
  while (pos < n) {
    auto parsed = parse_header(std::string_view(data + pos, n - pos));
    if (!parsed) return parsed.error();
    if (!*parsed) break;
    const header& h = **parsed;
    if (h.masked != expect_masked_) return codec_error::ws_protocol_error;
    const std::uint64_t held = in_message_ && !is_control(h.op) ? message_.size() : 0;
    if (h.length > max_message_ - held) return codec_error::ws_message_too_large;
    if (n - pos - h.size < h.length) break;
    char* payload = data + pos + h.size;
    const auto len = static_cast<std::size_t>(h.length);
    if (h.masked) apply_mask(payload, len, h.mask);
    pos += h.size + len;
    const std::string_view body(payload, len);
    if (is_control(h.op)) {
      if (h.op == opcode::close)
        if (auto ec = check_close_payload(body)) return ec;
      sink.on_control(h.op, body);
      continue;
    }
    if (h.op == opcode::continuation) {
      if (!in_message_) return codec_error::ws_protocol_error;
      if (!message_binary_ && !message_utf8_.feed(body)) return codec_error::invalid_utf8;
      message_.append(body);
      if (h.fin) {
        if (!message_binary_ && !message_utf8_.complete()) return codec_error::invalid_utf8;
        in_message_ = false;
        sink.on_message(message_, message_binary_);
        message_.clear();
        if (message_.capacity() > kept_message_capacity) release_memory();
      }
      continue;
    }
    if (in_message_) return codec_error::ws_protocol_error;
    const bool binary = h.op == opcode::binary;
    if (h.fin) {
      if (!binary && !utf8::valid(body)) return codec_error::invalid_utf8;
      sink.on_message(body, binary);
    } else {
      in_message_ = true;
      message_binary_ = binary;
      message_utf8_.reset();
      if (!binary && !message_utf8_.feed(body)) return codec_error::invalid_utf8;
      message_.assign(body);
    }
  }
  return pos;
}

}  // namespace sio::wsframe
