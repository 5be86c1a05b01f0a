#pragma once
// Socket.IO v5 packets. The payload is kept as the raw JSON text the peer sent, so that what
// passes through the server keeps its bytes (key order, number spelling); binary attachments
// travel beside it, referenced from the JSON by {"_placeholder":true,"num":N}.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.hpp"

namespace sio::socketio {

enum class packet_type : char {
  connect = '0',
  disconnect = '1',
  event = '2',
  ack = '3',
  connect_error = '4',
  binary_event = '5',
  binary_ack = '6',
};

// The largest ack id we accept: JavaScript numbers are exact up to 2^53 - 1.
inline constexpr std::uint64_t max_ack_id = (std::uint64_t{1} << 53) - 1;

struct packet {
  packet_type type = packet_type::event;
  std::string nsp = "/";
  std::optional<std::uint64_t> id;
  std::string data;                      // raw JSON; empty when absent
  std::vector<std::string> attachments;  // binary buffers, indexed by placeholder num

  friend bool operator==(const packet&, const packet&) = default;
};

inline bool is_binary_type(packet_type t) { return t == packet_type::binary_event || t == packet_type::binary_ack; }

// Event names a peer may not use.
bool is_reserved_event(std::string_view name);

// An EVENT payload taken apart: the name (decoded) and each argument's raw JSON text.
struct event_view {
  std::string name;
  std::string_view name_raw;  // the JSON literal, e.g. "\"chat\"" or "42"
  std::vector<std::string_view> args;
};
result<event_view> split_event(std::string_view data);

// Builds the JSON array ["name", arg1, ...] from a name and raw JSON arguments.
std::string make_event_data(std::string_view name, std::span<const std::string_view> raw_args);
// Builds [arg1, ...] from raw JSON values (an ACK payload).
std::string make_array(std::span<const std::string_view> raw_values);

// The placeholder object that stands for attachment `num`.
std::string placeholder_json(std::size_t num);

struct placeholder {
  std::size_t begin = 0;  // span of the placeholder object in the data
  std::size_t end = 0;
  std::size_t num = 0;
};
// Finds the placeholders of `data` (outermost ones; what is inside a placeholder is not
// looked at, as in the reference). Fails when one has no integer num in [0, attachments).
result<std::vector<placeholder>> find_placeholders(std::string_view data, std::size_t attachments,
                                                   std::size_t max_depth);

}  // namespace sio::socketio
