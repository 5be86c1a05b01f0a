#pragma once
// `sio serve --redis`: the classic pub/sub adapter of @socket.io/redis-adapter 8.x, so that
// sio serve joins a Node socket.io cluster as an equal member (the classic @socket.io/redis-adapter 8 protocol):
//  - broadcasts made here are published ([uid, packet, opts] in msgpack) on the namespace's
//    channel, or the room's channel for a single room; broadcasts of other members (and of
//    emitters) are delivered to the local sockets, rooms and except applied;
//  - requests of other members are answered with Node's response shapes: sockets, all rooms,
//    remote join/leave/disconnect, fetch sockets, server-side emit, broadcast with acks.
// Two Redis connections (one subscribed, one for PUBLISH), each reconnecting on its own;
// while Redis is down the server keeps serving its own clients.
#include <map>
#include <memory>
#include <string>

#include "core/redis/adapter_messages.hpp"
#include "core/redis/member_connections.hpp"
#include "core/server/adapter.hpp"
#include "core/server/sio_server.hpp"

namespace sio::redis {

class adapter final : public server::cluster_adapter, public member_connections {
 public:
  adapter(net::any_io_executor ex, endpoint where, std::string key, server::sio_server& server);

  void on_namespace(server::server_namespace& nsp) override;
  void on_namespace_closed(server::server_namespace& nsp) override;
  void on_broadcast(server::server_namespace& nsp, const socketio::packet& p,
                    const server::broadcast_target& t) override;

 private:
  void on_redis_message(pubsub_message& m) override;

  void on_remote_broadcast(server::server_namespace& nsp, const std::string& room, std::string_view bytes);
  void on_request(server::server_namespace& nsp, std::string_view bytes);
  void respond(const std::string& nsp, const response& r);
  server::socket::ack_handler ack_forwarder(server::server_namespace& nsp, std::string request_id);

  server::sio_server& server_;
  channels channels_;
  std::map<std::string, server::server_namespace*, std::less<>> by_pattern_;  // broadcast pattern -> nsp
  std::map<std::string, server::server_namespace*, std::less<>> by_request_;  // request channel -> nsp
};

}  // namespace sio::redis
