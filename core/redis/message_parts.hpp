#pragma once
// The pieces the Redis adapters' message codecs share (adapter_messages for the classic
// adapter, sharded_messages for the sharded one): reading members of a decoded message the way
// Node reads them, and writing packets, options and sockets with Node's key order.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/jsvalue/value.hpp"
#include "core/redis/adapter_messages.hpp"

namespace sio::redis::parts {

error_code bad();  // redis_error::invalid_message

// A non-negative integral number (JavaScript has one number type: 2.0 is 2).
std::optional<std::uint64_t> as_uint(const value& v);
bool js_truthy(const value& v);
const value* member(const value& obj, std::string_view key);
// An optional string member: absent is fine, another type is not.
error_code get_string(const value& obj, std::string_view key, std::optional<std::string>& out);
// Room lists, as a Set built from them: strings kept, anything else dropped; a lone string is one room.
error_code get_rooms(const value& v, std::vector<std::string>& out);
value string_array(const std::vector<std::string>& items);

// {rooms, except, flags} as the adapter writes it ({rooms, flags, except} for the emitter);
// without flags when `with_flags` is false.
value opts_value(const broadcast_options& opts, bool with_flags, producer p);
error_code read_opts(const value& v, broadcast_options& out);

// {type, data, nsp, id}: the sharded adapter leaves nsp out (it is on the envelope).
result<value> packet_value(const socketio::packet& p, std::size_t max_depth, bool with_nsp = true);
// A missing nsp is "/".
error_code read_packet(const value& v, socketio::packet& out);

// JSON when the first byte is '{', else msgpack.
result<value> decode_any(std::string_view bytes, const message_limits& limits);
result<value> json_value(std::string_view text, std::size_t max_depth);

// {id, handshake, rooms, data}, what fetchSockets gets for each remote socket.
result<value> fetched_socket_value(const fetched_socket& s);
error_code read_fetched_socket(const value& s, fetched_socket& f);

}  // namespace sio::redis::parts
