#pragma once
// `sio serve --redis URL --redis-sharded`: the sharded adapter of @socket.io/redis-adapter
// (createShardedAdapter, Redis >= 7), so that sio serve joins a Node cluster
// that uses sharded pub/sub. Per namespace it SSUBSCRIBEs to the main channel, to its own
// response channel and, in the dynamic modes, to a channel per local room. Other members'
// broadcasts are delivered (acks collected when asked for), socketsJoin/Leave,
// disconnectSockets, fetchSockets and serverSideEmit are answered; broadcasts made here are
// SPUBLISHed. Two Redis connections (subscriptions, commands), each reconnecting on its own.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/redis/member_connections.hpp"
#include "core/redis/sharded_messages.hpp"
#include "core/server/adapter.hpp"
#include "core/server/sio_server.hpp"

namespace sio::redis {

class sharded_adapter final : public server::cluster_adapter, public member_connections {
 public:
  sharded_adapter(net::any_io_executor ex, endpoint where, std::string key, subscription_mode mode,
                  server::sio_server& server);

  void on_namespace(server::server_namespace& nsp) override;
  void on_namespace_closed(server::server_namespace& nsp) override;
  void on_broadcast(server::server_namespace& nsp, const socketio::packet& p,
                    const server::broadcast_target& t) override;
  void on_room_created(server::server_namespace& nsp, const std::string& room) override;
  void on_room_deleted(server::server_namespace& nsp, const std::string& room) override;

 private:
  void on_redis_message(pubsub_message& m) override;

  void on_message(server::server_namespace& nsp, cluster_message& m);
  void on_broadcast_message(server::server_namespace& nsp, cluster_message& m);
  void publish(const std::string& channel, const cluster_message& m);
  // Answers go to the asking member's own channel.
  void respond(server::server_namespace& nsp, const std::string& asker, cluster_message m);

  server::sio_server& server_;
  shard_channels channels_;
  // Who listens on each channel. One channel can serve several namespaces (room "r" of "/" and
  // namespace "/#r" share socket.io#/#r#), and one namespace twice (a room named like our uid);
  // the subscription lasts while any listener does.
  void listen(const std::string& channel, server::server_namespace& nsp);
  void unlisten(const std::string& channel, server::server_namespace& nsp);
  std::map<std::string, std::vector<server::server_namespace*>, std::less<>> by_channel_;
};

}  // namespace sio::redis
