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

void socket::join(const std::string& room) { nsp_.add_to_room(*this, room); }
void socket::leave(const std::string& room) { nsp_.remove_from_room(*this, room); }

}  // namespace sio::server
