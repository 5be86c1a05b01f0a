#include "core/server/socket.hpp"

#include "core/common/json_scan.hpp"
#include "core/server/namespace.hpp"

namespace sio::server {

void socket::emit(std::string_view event, std::span<const std::string_view> args,
                  const std::vector<std::string>& attachments) {
  send(encode_packet(make_event(nsp_.name(), json::quote(event), args, attachments)));
}

void socket::emit_raw(std::string_view name_raw, std::span<const std::string_view> args,
                      const std::vector<std::string>& attachments) {
  send(encode_packet(make_event(nsp_.name(), name_raw, args, attachments)));
}

void socket::ack(std::uint64_t id, std::span<const std::string_view> args,
                 const std::vector<std::string>& attachments) {
  socketio::packet p;
  p.type = socketio::packet_type::ack;
  p.nsp = nsp_.name();
  p.id = id;
  p.data = socketio::make_array(args);
  p.attachments = attachments;
  send(encode_packet(p));
}

void socket::expect_ack(std::uint64_t id, ack_handler on_ack) {
  if (acks_.size() >= max_pending_acks) acks_.erase(acks_.begin());  // ids grow: begin() is the oldest
  acks_.insert_or_assign(id, std::move(on_ack));
}

bool socket::take_ack(const socketio::packet& ack) {
  if (!ack.id) return false;
  auto it = acks_.find(*ack.id);
  if (it == acks_.end()) return false;
  auto handler = std::move(it->second);
  acks_.erase(it);
  handler(ack);
  return true;
}

void socket::join(const std::string& room) { nsp_.add_to_room(*this, room); }
void socket::leave(const std::string& room) { nsp_.remove_from_room(*this, room); }

}  // namespace sio::server
