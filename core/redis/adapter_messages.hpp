#pragma once
// The messages of the classic Redis adapter (@socket.io/redis-adapter 8.x, createAdapter) and
// of the emitter (@socket.io/redis-emitter 5.x) as their sources write them: channel names,
// the msgpack broadcast [uid, packet, opts], and the requests and responses on the
// request/response channels (JSON, or msgpack where Node uses it; decoders take either,
// by the first byte: '{' is JSON). Pure: bytes in, structs out, and back.
//
// Packets cross the boundary as socketio::packet: the data is JSON text with placeholders
// and the binary parts are attachments, as everywhere else in the server; on the wire they
// are msgpack bin inside the data.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/jsvalue/msgpack.hpp"
#include "core/jsvalue/value.hpp"
#include "core/redis/error.hpp"
#include "core/socketio/packet.hpp"

namespace sio::redis {
// The adapter's messages are JavaScript values: value, payload, msgpack, parse_json, ...
using namespace jsvalue;  // NOLINT(google-build-using-namespace)
}  // namespace sio::redis

namespace sio::redis {

inline constexpr std::string_view default_key = "socket.io";
inline constexpr std::string_view emitter_uid = "emitter";  // the emitter's constant uid

enum class channel_kind : std::uint8_t { broadcast, request, response };

struct channel_match {
  channel_kind kind = channel_kind::broadcast;
  // broadcast: the room of a single-room channel, "" for the namespace channel;
  // response: the uid of a per-server response channel, "" for the shared one.
  std::string room;

  friend bool operator==(const channel_match&, const channel_match&) = default;
};

// Channel names for one key prefix (the adapter's `key` option, "socket.io" by default).
class channels {
 public:
  explicit channels(std::string key = std::string(default_key)) : key_(std::move(key)) {}

  const std::string& key() const { return key_; }

  std::string broadcast(std::string_view nsp) const;                         // <key>#<nsp>#
  std::string broadcast(std::string_view nsp, std::string_view room) const;  // <key>#<nsp>#<room>#
  // Where a broadcast to `rooms` is published: the room's channel for exactly one room,
  // else the namespace channel.
  std::string broadcast_for(std::string_view nsp, std::span<const std::string> rooms) const;
  // The PSUBSCRIBE pattern for every broadcast of the namespace, <key>#<nsp>#*, with glob
  // characters of the key and namespace escaped.
  std::string broadcast_pattern(std::string_view nsp) const;
  std::string request(std::string_view nsp) const;                         // <key>-request#<nsp>#
  std::string response(std::string_view nsp) const;                        // <key>-response#<nsp>#
  std::string response(std::string_view nsp, std::string_view uid) const;  // <key>-response#<nsp>#<uid>#

  // What a channel a message arrived on is, for namespace `nsp`; nullopt if it is none of
  // this namespace's channels.
  std::optional<channel_match> match(std::string_view channel, std::string_view nsp) const;

 private:
  std::string key_;
};

// ---- broadcast ----

struct broadcast_flags {
  std::optional<bool> is_volatile;  // "volatile"
  std::optional<bool> compress;
  std::optional<bool> local;
  std::optional<bool> broadcast;
  std::optional<bool> binary;
  std::optional<std::uint64_t> timeout;  // ms; set for broadcasts that wait for acks

  friend bool operator==(const broadcast_flags&, const broadcast_flags&) = default;
};

struct broadcast_options {
  std::vector<std::string> rooms;
  std::vector<std::string> except;
  broadcast_flags flags;

  friend bool operator==(const broadcast_options&, const broadcast_options&) = default;
};

// Who wrote the message decides the key order of opts: the adapter writes
// {rooms, except, flags}, the emitter {rooms, flags, except}.
enum class producer : std::uint8_t { adapter, emitter };

struct broadcast_message {
  std::string uid;
  socketio::packet packet;  // type event (binary_event with attachments), nsp, data
  broadcast_options opts;

  friend bool operator==(const broadcast_message&, const broadcast_message&) = default;
};

struct message_limits {
  std::size_t max_depth = 128;  // msgpack or JSON nesting of a whole message
};

// [uid, {type:2, data:[event, ...args], nsp}, opts] in msgpack. Fails when the packet data
// is not JSON or names an attachment that is not there.
result<std::string> encode_broadcast(const broadcast_message& m, producer p = producer::adapter);
// Decodes as the Node adapter reads it: a missing packet.nsp is "/", missing rooms/except
// are empty, and room names that are not strings are dropped (they can match no socket).
result<broadcast_message> decode_broadcast(std::string_view bytes, const message_limits& limits = {});

// The receiver's first checks: not its own message, and for its namespace.
inline bool is_for(const broadcast_message& m, std::string_view own_uid, std::string_view nsp) {
  return m.uid != own_uid && m.packet.nsp == nsp;
}

// ---- requests and responses ----

enum class request_type : std::uint8_t {
  sockets = 0,
  all_rooms = 1,
  remote_join = 2,
  remote_leave = 3,
  remote_disconnect = 4,
  remote_fetch = 5,
  server_side_emit = 6,
  broadcast = 7,
  broadcast_client_count = 8,
  broadcast_ack = 9,
};

// One struct for every request type; the fields a type does not use stay empty. Written
// with the keys in Node's order: uid, requestId, type, packet, opts, rooms, sid, room,
// close, data.
struct request {
  request_type type = request_type::all_rooms;
  std::optional<std::string> uid;          // absent in the emitter's join/leave/disconnect
  std::optional<std::string> request_id;   // absent when no response is expected
  std::optional<socketio::packet> packet;  // broadcast (7)
  // 2, 3, 4, 5, 7: written as {rooms, except}, with flags only for a broadcast (7)
  std::optional<broadcast_options> opts;
  // sockets (0): rooms to look in; remote_join/remote_leave (2, 3): the rooms to join/leave
  std::optional<std::vector<std::string>> rooms;
  std::optional<std::string> sid;   // the legacy single-socket forms of 2, 3 and 4
  std::optional<std::string> room;  // legacy 2, 3
  std::optional<bool> close;        // remote_disconnect (4)
  std::optional<std::string> data;  // server_side_emit (6): JSON array [event, ...args]

  friend bool operator==(const request&, const request&) = default;
};

// JSON, except a broadcast (7), which Node writes in msgpack.
result<std::string> encode_request(const request& r);
result<request> decode_request(std::string_view bytes, const message_limits& limits = {});

// What fetchSockets gets for each remote socket.
struct fetched_socket {
  std::string id;
  std::string handshake;  // JSON object {headers, time, address, xdomain, secure, issued, url, query, auth}
  std::vector<std::string> rooms;
  std::string data;  // JSON; empty when undefined

  friend bool operator==(const fetched_socket&, const fetched_socket&) = default;
};

// One struct for every response; which fields matter depends on the request it answers
// (responses only carry a type for 6, 8 and 9). Keys in Node's order: type, requestId, then
// the body.
struct response {
  std::optional<request_type> type;
  std::string request_id;
  std::optional<std::vector<std::string>> socket_ids;  // sockets (0): "sockets" as ids
  std::optional<std::vector<fetched_socket>> sockets;  // remote_fetch (5): "sockets" as objects
  std::optional<std::vector<std::string>> rooms;       // all_rooms (1)
  std::optional<std::string> data;                     // server_side_emit (6): JSON of the ack argument
  std::optional<std::uint64_t> client_count;           // broadcast_client_count (8)
  std::optional<payload> packet;                       // broadcast_ack (9): the client's ack argument

  friend bool operator==(const response&, const response&) = default;
};

// JSON, except a broadcast_ack (9), which Node writes in msgpack (it may carry binary).
// An empty "sockets" list decodes into both socket_ids and sockets.
result<std::string> encode_response(const response& r);
result<response> decode_response(std::string_view bytes, const message_limits& limits = {});

}  // namespace sio::redis
