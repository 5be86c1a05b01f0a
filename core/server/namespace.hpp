#pragma once
// A namespace: its sockets and the in-memory room index (the adapter). Rooms map to the
// sockets in them; every socket is in the room named by its own id, as in the reference.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/server/adapter.hpp"
#include "core/server/imports.hpp"
#include "core/server/socket.hpp"

namespace sio::server {

class server_namespace {
 public:
  explicit server_namespace(std::string name, cluster_adapter* adapter = nullptr,
                            const socketio::parser& parser = socketio::json_parser())
      : name_(std::move(name)), adapter_(adapter), parser_(parser) {}

  const std::string& name() const { return name_; }
  std::size_t size() const { return sockets_.size(); }
  // A packet in the Engine.IO messages of this server's parser, to send to any socket here.
  outgoing encode(const socketio::packet& p) const { return parser_.encode(p); }

  socket& add(std::string id, connection& conn, std::string auth);
  void remove(socket& s);

  void add_to_room(socket& s, const std::string& room);
  void remove_from_room(socket& s, const std::string& room);

  // Sends to the sockets in any of `rooms` (every socket when empty), except those in any of
  // `except`. Returns how many sockets it was sent to.
  std::size_t broadcast(const outgoing& o, std::span<const std::string> rooms = {},
                        std::span<const std::string> except = {});
  // A broadcast made on this server: delivered here, and handed to the cluster adapter (if
  // any) for the other members. Returns the local recipients.
  std::size_t broadcast_packet(const socketio::packet& p, const broadcast_target& t = {});

  // Sends `p` under a fresh ack id to the selected sockets (rooms/except as in broadcast);
  // each one's ACK within `wait` is handed to `on_ack`. Returns how many were sent it (the
  // acks to expect).
  std::size_t broadcast_with_ack(socketio::packet p, std::span<const std::string> rooms,
                                 std::span<const std::string> except, socket::ack_handler on_ack,
                                 std::optional<std::chrono::milliseconds> wait = std::nullopt);

  // Local sockets in any of `rooms` (all when empty) and in none of `except`.
  std::vector<socket*> select(std::span<const std::string> rooms, std::span<const std::string> except) const;
  socket* find(const std::string& id) const;
  // Every room with a local member (socket id rooms included).
  std::vector<std::string> room_names() const;

 private:
  std::string name_;
  cluster_adapter* adapter_;
  const socketio::parser& parser_;
  std::unordered_map<std::string, std::unique_ptr<socket>> sockets_;
  std::unordered_map<std::string, std::unordered_set<socket*>> rooms_;
  std::uint64_t next_ack_id_ = 0;  // one sequence per namespace: one id serves every recipient
};

}  // namespace sio::server
