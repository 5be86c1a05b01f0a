#pragma once
// The messages of the sharded Redis adapter (@socket.io/redis-adapter >= 8.2,
// createShardedAdapter): socket.io-adapter's ClusterAdapter envelope
// {type, data, uid, nsp} on SPUBLISH channels, JSON unless a message that may carry binary
// (types 3, 8, 9, 10, 12) does, then msgpack. Pure: bytes in, structs out, and back.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/redis/adapter_messages.hpp"

namespace sio::redis {

enum class cluster_type : std::uint8_t {
  initial_heartbeat = 1,
  heartbeat = 2,
  broadcast = 3,
  sockets_join = 4,
  sockets_leave = 5,
  disconnect_sockets = 6,
  fetch_sockets = 7,
  fetch_sockets_response = 8,
  server_side_emit = 9,
  server_side_emit_response = 10,
  broadcast_client_count = 11,
  broadcast_ack = 12,
  adapter_close = 13,
};

// How a server listens (the adapter's subscriptionMode): on the namespace's channel only, or
// also on a channel per room it has, socket-id rooms included only in dynamic_private.
enum class subscription_mode : std::uint8_t { static_mode, dynamic, dynamic_private };
// "static", "dynamic" or "dynamic-private", as the Node option is spelled.
std::optional<subscription_mode> parse_subscription_mode(std::string_view name);

// Channel names: <key>#<nsp># (main), <key>#<nsp>#<room># (a room's, dynamic modes), and
// <key>#<nsp>#<uid># (a server's responses).
class shard_channels {
 public:
  explicit shard_channels(std::string key = std::string(default_key),
                          subscription_mode mode = subscription_mode::dynamic)
      : names_(std::move(key)), mode_(mode) {}

  subscription_mode mode() const { return mode_; }
  // The same names as the classic adapter's broadcast channels.
  std::string main(std::string_view nsp) const { return names_.broadcast(nsp); }
  std::string room(std::string_view nsp, std::string_view room) const { return names_.broadcast(nsp, room); }
  std::string responses(std::string_view nsp, std::string_view uid) const { return room(nsp, uid); }
  // Publishing side: whether a broadcast to this one room goes on the room's channel: not in
  // static mode, and, unless dynamic_private, not when it looks like a socket id (Node's test:
  // 20 UTF-16 code units long).
  bool publishes_on_room_channel(std::string_view room) const;
  // Listening side: whether a member subscribes to a room's channel while it has the room: not
  // in static mode, and, unless dynamic_private, not for a local socket's own room.
  bool subscribes_to_room_channel(bool is_local_socket_id) const;
  // Where a broadcast goes: the room's channel for exactly one room (as above) and no acks
  // awaited (the asker counts answering servers on the main channel), else the main one.
  std::string broadcast_for(std::string_view nsp, const std::vector<std::string>& rooms, bool with_ack) const;

 private:
  channels names_;
  subscription_mode mode_;
};

// One struct for every message type; which data fields are set depends on the type.
// `packet` is the Socket.IO packet of a broadcast (3); `value` is the JSON (with
// placeholders and attachments) of 9 ([event, ...args]), 10 and 12 (an ack argument).
struct cluster_message {
  cluster_type type = cluster_type::heartbeat;
  std::string uid;
  std::string nsp = "/";
  std::optional<std::string> request_id;               // 3 with acks, 7-12
  std::optional<socketio::packet> packet;              // 3
  std::optional<broadcast_options> opts;               // 3-7
  std::optional<std::vector<std::string>> rooms;       // 4, 5
  std::optional<bool> close;                           // 6
  std::optional<std::vector<fetched_socket>> sockets;  // 8
  std::optional<payload> value;                        // 9, 10, 12
  std::optional<std::uint64_t> client_count;           // 11

  friend bool operator==(const cluster_message&, const cluster_message&) = default;
};

// The data members in Node's order (3: packet, requestId, opts; 4/5: opts, rooms; 6: opts,
// close; 7: opts, requestId; 8: requestId, sockets; 9: requestId, packet; 10/12: requestId,
// packet; 11: requestId, clientCount), then uid and nsp.
result<std::string> encode_cluster_message(const cluster_message& m);
result<cluster_message> decode_cluster_message(std::string_view bytes, const message_limits& limits = {});

}  // namespace sio::redis
