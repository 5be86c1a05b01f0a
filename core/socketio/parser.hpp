#pragma once
// The parser seam: how Socket.IO packets become Engine.IO messages and back. socket.io has two
// official parsers (the default JSON one, and msgpack); the server, the client and the bench
// speak through this interface and never to a wire format of their own.
//
// Whatever the parser, a packet's payload reaches the layers above as JSON text plus binary
// attachments (Socket.IO's data model); a parser whose wire form differs converts at this edge.
// The JSON parser passes the peer's bytes through untouched, and a broadcast is still encoded
// once: `encode` returns shared frames.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/common/error.hpp"
#include "core/socketio/decoder.hpp"
#include "core/socketio/outgoing.hpp"
#include "core/socketio/packet.hpp"

namespace sio::socketio {

// One connection's decoding state (a binary packet's attachments are collected until whole).
class packet_decoder {
 public:
  virtual ~packet_decoder() = default;
  // One Engine.IO message payload; a whole packet, or nullopt while attachments are awaited.
  virtual result<std::optional<packet>> on_message(std::string_view message, bool binary) = 0;
  // Forgets a half-received packet (the connection was replaced).
  virtual void reset() = 0;
};

// A packet's head, read without validating or copying its payload: for hot loops that know
// what to expect (the bench reading its acks and broadcasts). The views point into the message
// or into the caller's `scratch`.
struct packet_head {
  packet_type type = packet_type::event;
  std::string_view nsp = "/";
  std::optional<std::uint64_t> id;
  std::string_view data;  // JSON text; empty when absent
};

class parser {
 public:
  virtual ~parser() = default;
  virtual std::string_view name() const = 0;
  virtual std::unique_ptr<packet_decoder> make_decoder(const decoder_limits& limits) const = 0;
  // The Engine.IO messages of one packet, ready to queue on any number of connections.
  virtual outgoing encode(const packet& p) const = 0;
  // Appends the Engine.IO message of EVENT [name_raw, args...] (JSON texts, no attachments)
  // to `out` without building a packet: the bench's send path. Returns whether the message is
  // binary.
  virtual bool append_event(std::string& out, std::string_view nsp, std::optional<std::uint64_t> id,
                            std::string_view name_raw, std::span<const std::string_view> args) const = 0;
  virtual std::optional<packet_head> peek(std::string_view message, bool binary, std::string& scratch) const = 0;

 protected:
  parser() = default;
};

// The default parser (socket.io-parser): text messages, binary attachments after them.
const parser& json_parser();
// A parser by its command-line name ("json"); nullptr when this build has no such parser.
const parser* find_parser(std::string_view name);

}  // namespace sio::socketio
