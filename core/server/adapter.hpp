#pragma once
// What a namespace tells the rest of a cluster. The in-memory room index lives in the
// namespace; an adapter (Redis) only hears of namespaces and of broadcasts made here, and
// delivers what other members broadcast through server_namespace::broadcast.
#include <span>
#include <string>

#include "core/socketio/packet.hpp"

namespace sio::server {

class server_namespace;

struct broadcast_target {
  std::span<const std::string> rooms;   // empty: everyone
  std::span<const std::string> except;  // sockets in these rooms are left out
  bool is_volatile = false;
};

class cluster_adapter {
 public:
  // The namespace exists (its first client connected, or "/" at start): listen to its channels.
  virtual void on_namespace(server_namespace& nsp) = 0;
  // The namespace is going away (its last client left, and it is neither "/" nor a declared
  // one): stop listening; the reference is dangling after the call.
  virtual void on_namespace_closed(server_namespace& /*nsp*/) {}
  // A broadcast made on this server, already delivered to the local sockets.
  virtual void on_broadcast(server_namespace& nsp, const socketio::packet& p, const broadcast_target& t) = 0;
  // A room got its first local member, or lost its last (socket-id rooms included): the
  // sharded Redis adapter listens on a channel per room.
  virtual void on_room_created(server_namespace& /*nsp*/, const std::string& /*room*/) {}
  virtual void on_room_deleted(server_namespace& /*nsp*/, const std::string& /*room*/) {}

 protected:
  ~cluster_adapter() = default;
};

}  // namespace sio::server
