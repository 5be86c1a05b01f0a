#include "core/client/trace.hpp"

#include <fmt/format.h>

#include <array>

namespace sio::client {

namespace {

std::string_view eio_name(char type) {
  static constexpr std::array<std::string_view, 7> names = {"open",    "close",   "ping", "pong",
                                                            "message", "upgrade", "noop"};
  return type >= '0' && type <= '6' ? names[static_cast<std::size_t>(type - '0')] : "unknown";
}

// The Socket.IO packet type a message's payload starts with (the JSON parser's text form).
std::string_view sio_name(char type) {
  static constexpr std::array<std::string_view, 7> names = {"CONNECT",       "DISCONNECT",   "EVENT",     "ACK",
                                                            "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"};
  return type >= '0' && type <= '6' ? names[static_cast<std::size_t>(type - '0')] : "?";
}

// Where a cut at `n` keeps UTF-8 whole: back over continuation bytes.
std::size_t utf8_boundary(std::string_view s, std::size_t n) {
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

}  // namespace

std::string trace_excerpt(std::string_view data, bool binary, std::size_t limit) {
  std::string out;
  if (binary) {  // hex, two characters a byte
    const std::size_t shown = std::min(data.size(), limit / 2);
    for (std::size_t i = 0; i < shown; ++i) out += fmt::format("{:02x}", static_cast<unsigned char>(data[i]));
    if (shown < data.size()) out += "...";
    return out;
  }
  const std::string_view shown = data.substr(0, utf8_boundary(data, std::min(data.size(), limit)));
  for (char c : shown) {  // one packet, one line: control characters escaped
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  if (shown.size() < data.size()) out += fmt::format("... ({} bytes)", data.size());
  return out;
}

void tracer::line(char direction, std::string_view transport, std::string_view text) const {
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  fmt::print(out_, "{:10.3f}ms {} {:<9} {}\n", ms, direction, transport, text);
  std::fflush(out_);
}

void tracer::packet(char direction, std::string_view transport, std::string_view text, bool binary) const {
  if (binary)
    return line(direction, transport,
                fmt::format("message binary ({} bytes) {}", text.size(), trace_excerpt(text, true)));
  const char type = text.empty() ? '?' : text.front();
  if (type == '4' && text.size() > 1)
    return line(direction, transport, fmt::format("message {} {}", sio_name(text[1]), trace_excerpt(text, false)));
  line(direction, transport, fmt::format("{} {}", eio_name(type), trace_excerpt(text, false)));
}

void tracer::packet_out(std::string_view transport, const engineio::frame& f) const {
  packet('>', transport, *f.data, f.binary);
}

void tracer::packet_of(char direction, std::string_view transport, const engineio::packet_view& p) const {
  if (p.binary) return packet(direction, transport, p.data, true);
  std::string text(1, static_cast<char>(p.type));
  text += p.data;
  packet(direction, transport, text, false);
}

}  // namespace sio::client
