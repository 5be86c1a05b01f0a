#pragma once
// Socket.IO v5 encoder: <type>[<attachments>-][<nsp>,][<ack id>][<JSON payload>].
// The attachments themselves are sent after the header, each as one binary message.
#include <string>

#include "core/socketio/packet.hpp"

namespace sio::socketio {

// An EVENT or ACK that carries attachments is written as BINARY_EVENT or BINARY_ACK.
std::string encode(const packet& p);
void encode_append(const packet& p, std::string& out);

}  // namespace sio::socketio
