#pragma once
// The names of the layers below that the server speaks in unqualified: an Engine.IO session
// is a `connection`, what it carries are `frame`s, a Socket.IO packet ready for them is an
// `outgoing`.
#include "core/engineio/connection.hpp"
#include "core/socketio/outgoing.hpp"
#include "core/socketio/parser.hpp"

namespace sio::server {
using engineio::binary_frame;
using engineio::connection;
using engineio::connection_handler;
using engineio::frame;
using engineio::frame_queue;
using engineio::text_frame;
using socketio::make_event;
using socketio::outgoing;
using socketio::send_to;
}  // namespace sio::server
