#include "core/server/namespace.hpp"

#include <vector>

namespace sio::server {

socket& server_namespace::add(std::string id, connection& conn, std::string auth) {
  auto owned = std::make_unique<socket>(id, *this, conn, std::move(auth));
  socket& s = *owned;
  sockets_.emplace(std::move(id), std::move(owned));
  add_to_room(s, s.id());
  return s;
}

void server_namespace::remove(socket& s) {
  const std::vector<std::string> rooms(s.rooms_.begin(), s.rooms_.end());
  for (const auto& room : rooms) remove_from_room(s, room);
  sockets_.erase(s.id());  // destroys s
}

void server_namespace::add_to_room(socket& s, const std::string& room) {
  if (!s.rooms_.insert(room).second) return;
  auto [it, created] = rooms_.try_emplace(room);
  it->second.insert(&s);
  if (created && adapter_) adapter_->on_room_created(*this, room);
}

void server_namespace::remove_from_room(socket& s, const std::string& room) {
  if (!s.rooms_.erase(room)) return;
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  it->second.erase(&s);
  if (!it->second.empty()) return;
  rooms_.erase(it);  // rooms vanish with their last member
  if (adapter_) adapter_->on_room_deleted(*this, room);
}

std::size_t server_namespace::broadcast(const outgoing& o, std::span<const std::string> rooms,
                                        std::span<const std::string> except) {
  const auto recipients = select(rooms, except);
  for (socket* s : recipients) s->send(o);
  return recipients.size();
}

std::size_t server_namespace::broadcast_packet(const socketio::packet& p, const broadcast_target& t) {
  const std::size_t sent = broadcast(encode(p), t.rooms, t.except);
  if (adapter_) adapter_->on_broadcast(*this, p, t);
  return sent;
}

std::size_t server_namespace::broadcast_with_ack(socketio::packet p, std::span<const std::string> rooms,
                                                 std::span<const std::string> except, socket::ack_handler on_ack,
                                                 std::optional<std::chrono::milliseconds> wait) {
  p.nsp = name_;
  p.id = next_ack_id_++;
  const auto recipients = select(rooms, except);
  const outgoing o = encode(p);
  const auto handler = std::make_shared<const socket::ack_handler>(std::move(on_ack));
  const auto expires = wait ? socket::clock::now() + *wait : socket::clock::time_point::max();
  for (socket* s : recipients) {
    s->expect_ack(*p.id, handler, expires);
    s->send(o);
  }
  return recipients.size();
}

std::vector<socket*> server_namespace::select(std::span<const std::string> rooms,
                                              std::span<const std::string> except) const {
  auto excluded = [&](const socket* s) {
    for (const auto& room : except)
      if (s->rooms_.count(room)) return true;
    return false;
  };
  std::vector<socket*> out;
  if (rooms.empty()) {
    for (const auto& [id, s] : sockets_)
      if (!excluded(s.get())) out.push_back(s.get());
    return out;
  }
  std::unordered_set<socket*> seen;
  for (const auto& room : rooms) {
    auto it = rooms_.find(room);
    if (it == rooms_.end()) continue;
    for (socket* s : it->second)
      if (!excluded(s) && seen.insert(s).second) out.push_back(s);
  }
  return out;
}

socket* server_namespace::find(const std::string& id) const {
  auto it = sockets_.find(id);
  return it == sockets_.end() ? nullptr : it->second.get();
}

std::vector<std::string> server_namespace::room_names() const {
  std::vector<std::string> out;
  out.reserve(rooms_.size());
  for (const auto& [name, members] : rooms_) out.push_back(name);
  return out;
}

}  // namespace sio::server
