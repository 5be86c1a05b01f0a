#pragma once
// RFC 6455 framing, pure: frame headers, masking, and a reader that turns bytes into
// messages and control frames. Both ends of sio's lean WebSocket use it (the server, whose
// idle connections must hold no read buffer, and the bench client, which must be cheap per
// message), so it works in place on a caller's buffer and copies only what is incomplete.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/error.hpp"
#include "core/common/utf8.hpp"

namespace sio::wsframe {

enum class opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

struct header {
  bool fin = true;
  opcode op = opcode::text;
  bool masked = false;
  std::uint32_t mask = 0;  // the key bytes in wire order, packed big-endian
  std::uint64_t length = 0;
  std::size_t size = 0;  // bytes of the header itself (2 to 14)
};

inline constexpr std::size_t max_header_size = 14;

// A close code a peer may send (RFC 6455 §7.4): 1000-1003, 1007-1014 and 3000-4999. 1005,
// 1006 and 1015 are reserved for reporting and never go on the wire.
bool is_valid_close_code(std::uint16_t code);

// Reads a header from the front of `data`: nullopt while incomplete, an error for reserved
// bits, unknown opcodes, control frames that are fragmented or longer than 125 bytes, and
// 64-bit lengths with the top bit set.
result<std::optional<header>> parse_header(std::string_view data);

// Writes the header of one unfragmented frame into `out` (max_header_size bytes) and returns
// its size. A client passes its mask key; a server passes none.
std::size_t write_header(char* out, opcode op, std::uint64_t length, std::optional<std::uint32_t> mask = {});

// XORs `n` bytes with the key, starting `offset` bytes into the masked payload.
void apply_mask(char* data, std::size_t n, std::uint32_t mask, std::size_t offset = 0);

// A whole frame for `payload` (header + payload, masked when a key is given).
std::string make_frame(opcode op, std::string_view payload, std::optional<std::uint32_t> mask = {});

// What the reader delivers. Views point into the caller's buffer or the reader's own
// reassembly buffer and are valid during the call.
class frame_sink {
 public:
  virtual void on_message(std::string_view data, bool binary) = 0;
  virtual void on_control(opcode op, std::string_view payload) = 0;

 protected:
  ~frame_sink() = default;
};

class reader {
 public:
  // `expect_masked`: a server requires masked frames, a client refuses them.
  reader(std::size_t max_message, bool expect_masked) : max_message_(max_message), expect_masked_(expect_masked) {}

  // Consumes whole frames from `data` (unmasking them in place) and reports them; returns
  // the bytes consumed. What is left is an incomplete frame: the caller keeps it and feeds it
  // again with more bytes in front. An error means the connection must be failed:
  // codec_error::invalid_utf8 (close 1007) for a text message or close reason that is not
  // UTF-8, checked fragment by fragment; ws_message_too_large (1009); else ws_protocol_error
  // (1002), which includes a close frame with a 1-byte payload or an invalid code.
  result<std::size_t> consume(char* data, std::size_t n, frame_sink& sink);

  // Bytes a fragmented message has gathered so far (memory held between reads).
  std::size_t assembling() const { return message_.size(); }
  void release_memory() { std::string().swap(message_); }

 private:
  std::size_t max_message_;
  bool expect_masked_;
  bool in_message_ = false;
  bool message_binary_ = false;
  std::string message_;
  utf8::validator message_utf8_;  // the text message being reassembled
};

}  // namespace sio::wsframe
