#pragma once
// One client's presence in one namespace.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/server/imports.hpp"
#include "core/socketio/packet.hpp"

namespace sio::server {

class server_namespace;

class socket {
 public:
  socket(std::string id, server_namespace& nsp, connection& conn, std::string auth)
      : id_(std::move(id)), nsp_(nsp), conn_(conn), auth_(std::move(auth)) {}

  const std::string& id() const { return id_; }
  server_namespace& nsp() const { return nsp_; }
  connection& conn() const { return conn_; }
  // The CONNECT payload as the client sent it, "{}" when it sent none.
  const std::string& auth() const { return auth_; }
  const std::set<std::string>& rooms() const { return rooms_; }

  // `args` are raw JSON values; their placeholders index `attachments`.
  void emit(std::string_view event, std::span<const std::string_view> args,
            const std::vector<std::string>& attachments = {});
  // The same with the event name given as its raw JSON literal (names may be numbers).
  void emit_raw(std::string_view name_raw, std::span<const std::string_view> args,
                const std::vector<std::string>& attachments = {});
  void ack(std::uint64_t id, std::span<const std::string_view> args, const std::vector<std::string>& attachments = {});
  void send(const outgoing& o) { send_to(conn_, o); }

  // At most max_rooms rooms (its own included): each room costs memory here and, in a sharded
  // cluster, a Redis subscription. Returns false when the room was refused for that.
  static constexpr std::size_t max_rooms = 1000;
  // A room named by a client is at most this many bytes; a longer name is a protocol error.
  // Node has no limit, but a name costs its length in every join's ack (the socket's rooms),
  // every broadcast's exception list and, in a cluster, Redis channel names: 256 bytes bounds
  // a join ack at 1000 x 256 bytes, and is far beyond any name a real application uses.
  static constexpr std::size_t max_room_bytes = 256;
  bool join(const std::string& room);
  void leave(const std::string& room);

  // Acks the client owes for packets sent with an id (a cluster's broadcast with acks). One
  // handler serves every recipient of a broadcast (shared, not copied per socket). Past
  // `expires` the asker has given up: the entry is dropped, not answered. At most
  // max_pending_acks wait; beyond that the oldest is forgotten, so a client that never answers
  // cannot grow the server.
  using ack_handler = std::function<void(const socketio::packet&)>;
  using clock = std::chrono::steady_clock;
  static constexpr std::size_t max_pending_acks = 256;
  void expect_ack(std::uint64_t id, std::shared_ptr<const ack_handler> on_ack,
                  clock::time_point expires = clock::time_point::max());
  // Hands an ACK to the handler waiting for its id; false when none was.
  bool take_ack(const socketio::packet& ack);
  std::size_t pending_acks() const { return acks_.size(); }

 private:
  friend class server_namespace;
  std::string id_;
  server_namespace& nsp_;
  connection& conn_;
  std::string auth_;
  std::set<std::string> rooms_;
  struct pending_ack {
    std::shared_ptr<const ack_handler> handler;
    clock::time_point expires;
  };
  std::map<std::uint64_t, pending_ack> acks_;
};

}  // namespace sio::server
