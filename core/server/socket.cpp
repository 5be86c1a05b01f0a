#include "core/server/socket.hpp"

#include "core/common/json_scan.hpp"
#include "core/server/namespace.hpp"

namespace sio::server {

void socket::emit(std::string_view event, std::span<const std::string_view> args,
                  const std::vector<std::string>& attachments) {
  send(nsp_.encode(make_event(nsp_.name(), json::quote(event), args, attachments)));
}

void socket::emit_raw(std::string_view name_raw, std::span<const std::string_view> args,
                      const std::vector<std::string>& attachments) {
  send(nsp_.encode(make_event(nsp_.name(), name_raw, args, attachments)));
}

void socket::ack(std::uint64_t id, std::span<const std::string_view> args,
                 const std::vector<std::string>& attachments) {
  socketio::packet p;
  p.type = socketio::packet_type::ack;
  p.nsp = nsp_.name();
  p.id = id;
  p.data = socketio::make_array(args);
  p.attachments = attachments;
  send(nsp_.encode(p));
}

void socket::expect_ack(std::uint64_t id, std::shared_ptr<const ack_handler> on_ack, clock::time_point expires) {
  // Ids grow, so begin() is the oldest: drop what has expired there, then make room.
  const auto now = clock::now();
  while (!acks_.empty() && acks_.begin()->second.expires <= now) acks_.erase(acks_.begin());
  if (acks_.size() >= max_pending_acks) acks_.erase(acks_.begin());
  acks_.insert_or_assign(id, pending_ack{std::move(on_ack), expires});
}

bool socket::take_ack(const socketio::packet& ack) {
  if (!ack.id) return false;
  auto it = acks_.find(*ack.id);
  if (it == acks_.end()) return false;
  auto waiting = std::move(it->second);
  acks_.erase(it);
  if (waiting.expires <= clock::now()) return false;
  (*waiting.handler)(ack);
  return true;
}

bool socket::join(const std::string& room) {
  if (rooms_.size() >= max_rooms && !rooms_.count(room)) return false;
  nsp_.add_to_room(*this, room);
  return true;
}
void socket::leave(const std::string& room) { nsp_.remove_from_room(*this, room); }

}  // namespace sio::server
