#pragma once
// The behaviours of `sio serve --mode`: what a socket's events do.
//
// echo:      on connect, emit `auth` with the CONNECT payload ({} if none); `message` is
//            answered with `message-back` (and acked if asked); any other event that asks
//            for an ack is acked with its arguments; any other event is sent back by name.
// broadcast: every event goes to every socket of the namespace, sender included; acks are
//            answered with the same arguments.
// Both understand the room control events:
//   join ROOM...              join rooms (none: just ask); ack: the sorted list of the socket's rooms
//   leave ROOM...             leave rooms; ack: the same list
//   to ROOM EVENT ARGS...     send EVENT to the room, sender excluded; ack: recipients
//   broadcast EVENT ARGS...   send EVENT to every other socket; ack: recipients
//   close-room ROOM           send room-closed ROOM to the room's other members, then make
//                             every member (on this server) leave it; ack: how many left
//   ping ARGS... (with ack)   acked with its arguments and nothing else: a latency probe
// A control event whose arguments do not fit is treated as an ordinary event.
#include "core/server/sio_server.hpp"

namespace sio::server {

class echo_app final : public app {
 public:
  void on_connect(socket& s) override;
  void on_event(socket& s, const event_message& m) override;
};

class broadcast_app final : public app {
 public:
  void on_event(socket& s, const event_message& m) override;
};

// Runs a control event; false when `m` is not one (or its arguments do not fit).
bool handle_room_control(socket& s, const event_message& m);

}  // namespace sio::server

namespace sio::server {

// eio-echo: Engine.IO only; every message, text or binary, goes back unchanged.
class eio_echo_handler final : public connection_handler {
 public:
  void on_open(connection&) override {}
  void on_message(connection& c, std::string_view data, bool binary) override;
  void on_close(connection&, std::string_view) override {}
};

}  // namespace sio::server
