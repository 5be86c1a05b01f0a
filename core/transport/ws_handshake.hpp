#pragma once
// The HTTP side of a WebSocket (RFC 6455 §4): the server's 101 answer and the client's
// upgrade request, and the key proof that ties them together.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sio::transport {

// base64(SHA-1(key + the RFC's GUID)): the Sec-WebSocket-Accept for a Sec-WebSocket-Key.
std::string ws_accept_key(std::string_view key);

struct ws_upgrade_check {
  bool ok = false;
  std::string response;  // the whole HTTP response to send (101, or 400/426 with a reason)
};

// Answers an upgrade request given its headers; nothing is sent on the caller's behalf.
ws_upgrade_check answer_ws_upgrade(std::string_view key, std::string_view version);

// The client's GET for `target` on `host`, with a fresh random key returned in `key`.
std::string ws_upgrade_request(std::string_view host, std::string_view target, std::string& key,
                               const std::vector<std::pair<std::string, std::string>>& headers = {});

// Checks the head of the server's answer (up to and including the blank line): a 101 with
// the accept key that matches `key`. Returns an error message, or nothing when it is good.
std::optional<std::string> check_ws_upgrade_response(std::string_view head, std::string_view key);

}  // namespace sio::transport
