#include "core/server/apps.hpp"

#include <string>
#include <vector>

#include "core/common/json_scan.hpp"

namespace sio::server {

namespace {

bool is_string(std::string_view raw) { return !raw.empty() && raw.front() == '"'; }

std::string rooms_json(const socket& s) {
  std::string out = "[";
  for (const auto& room : s.rooms()) {
    if (room == s.id()) continue;
    if (out.size() > 1) out.push_back(',');
    json::quote_append(room, out);
  }
  out.push_back(']');
  return out;
}

void ack_with(socket& s, const event_message& m, std::string_view value) {
  if (!m.ack_id) return;
  std::string_view args[] = {value};
  s.ack(*m.ack_id, args);
}

// Emits [name_raw, args...] to `rooms` of the namespace, minus the sender.
std::size_t relay(socket& s, const event_message& m, std::span<const std::string> rooms, std::string_view name_raw,
                  std::span<const std::string_view> args) {
  const std::string except[] = {s.id()};
  return s.nsp().broadcast_packet(make_event(s.nsp().name(), name_raw, args, m.attachments), {rooms, except});
}

}  // namespace

bool handle_room_control(socket& s, const event_message& m) {
  const auto& args = m.args;
  if (m.name == "join" || m.name == "leave") {
    for (auto a : args)
      if (!is_string(a)) return false;
    std::vector<std::string> rooms;
    rooms.reserve(args.size());
    for (auto a : args) {
      rooms.push_back(json::unquote(a));
      if (rooms.back().size() > socket::max_room_bytes) {
        s.conn().close("room name too long");  // a protocol error, as an overlong namespace
        return true;
      }
    }
    for (const auto& room : rooms) {
      if (m.name == "join")
        s.join(room);
      else
        s.leave(room);
    }
    // Only when asked: the list costs as much as the socket's rooms, the request almost nothing.
    if (m.ack_id) ack_with(s, m, rooms_json(s));
    return true;
  }
  if (m.name == "to") {
    if (args.size() < 2 || !is_string(args[0]) || !is_string(args[1])) return false;
    const std::string rooms[] = {json::unquote(args[0])};
    const std::size_t sent = relay(s, m, rooms, args[1], std::span(args).subspan(2));
    ack_with(s, m, std::to_string(sent));
    return true;
  }
  if (m.name == "close-room") {
    if (args.size() != 1 || !is_string(args[0])) return false;
    const std::string rooms[] = {json::unquote(args[0])};
    // Tell the members first (a closed room has nobody left to tell), then empty it.
    const std::string_view name_args[] = {args[0]};
    const std::string except[] = {s.id()};
    s.nsp().broadcast(s.nsp().encode(make_event(s.nsp().name(), R"("room-closed")", name_args, {})), rooms, except);
    std::size_t left = 0;
    for (socket* member : s.nsp().select(rooms, {})) {
      if (member->id() == rooms[0]) continue;  // a socket's own room is not closed
      member->leave(rooms[0]);
      ++left;
    }
    ack_with(s, m, std::to_string(left));
    return true;
  }
  if (m.name == "ping" && m.ack_id) {  // a latency probe: answered, never relayed
    s.ack(*m.ack_id, args, m.attachments);
    return true;
  }
  if (m.name == "broadcast") {
    if (args.empty() || !is_string(args[0])) return false;
    const std::size_t sent = relay(s, m, {}, args[0], std::span(args).subspan(1));
    ack_with(s, m, std::to_string(sent));
    return true;
  }
  return false;
}

void echo_app::on_connect(socket& s) {
  const std::string_view args[] = {s.auth()};
  s.emit("auth", args);
}

void echo_app::on_event(socket& s, const event_message& m) {
  if (handle_room_control(s, m)) return;
  if (m.name == "message") {
    s.emit("message-back", m.args, m.attachments);
  } else if (!m.ack_id) {
    s.emit_raw(m.name_raw, m.args, m.attachments);
  }
  if (m.ack_id) s.ack(*m.ack_id, m.args, m.attachments);
}

void broadcast_app::on_event(socket& s, const event_message& m) {
  if (handle_room_control(s, m)) return;
  s.nsp().broadcast_packet(make_event(s.nsp().name(), m.name_raw, m.args, m.attachments));
  if (m.ack_id) s.ack(*m.ack_id, m.args, m.attachments);
}

}  // namespace sio::server

namespace sio::server {

void eio_echo_handler::on_message(connection& c, std::string_view data, bool binary) {
  if (binary) {
    c.send(binary_frame(std::string(data)));
  } else {
    std::string packet = "4";
    packet.append(data);
    c.send(text_frame(std::move(packet)));
  }
}

}  // namespace sio::server
