#pragma once
// `-v`: every Engine.IO packet, HTTP request and connection step of a client, on stderr, one line
// each, as curl -v shows its traffic:
//
//     12.345ms > polling   POST /socket.io/?EIO=4&transport=polling&sid=...&t=2 (21 bytes)
//     12.401ms > polling   message EVENT 42["chat","hi"]
//
// The time is milliseconds since the tracer was made (the command's start); '>' is out, '<' in,
// '*' a note (connecting, TLS, the proxy). Payloads past 200 bytes are cut, their length shown.
// The engine holds a null pointer when tracing is off: one test per packet, no formatting.
#include <chrono>
#include <cstdio>
#include <string_view>

#include "core/engineio/connection.hpp"
#include "core/engineio/packet.hpp"

namespace sio::client {

class tracer {
 public:
  explicit tracer(std::FILE* out = stderr) : out_(out) {}

  void note(std::string_view transport, std::string_view text) const { line('*', transport, text); }
  void sent(std::string_view transport, std::string_view text) const { line('>', transport, text); }
  void received(std::string_view transport, std::string_view text) const { line('<', transport, text); }

  // An Engine.IO packet as it goes out: text with its type digit, or a binary message's bytes.
  void packet_out(std::string_view transport, const engineio::frame& f) const;
  void packet_out(std::string_view transport, const engineio::packet_view& p) const { packet_of('>', transport, p); }
  void packet_in(std::string_view transport, const engineio::packet_view& p) const { packet_of('<', transport, p); }

 private:
  void line(char direction, std::string_view transport, std::string_view text) const;
  void packet(char direction, std::string_view transport, std::string_view text, bool binary) const;
  void packet_of(char direction, std::string_view transport, const engineio::packet_view& p) const;

  std::FILE* out_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// What a trace line shows of a payload: text printable, at most `limit` bytes, then "... (N bytes)";
// binary as hex, at most `limit` / 2 bytes, then "...".
std::string trace_excerpt(std::string_view data, bool binary, std::size_t limit = 200);

}  // namespace sio::client
