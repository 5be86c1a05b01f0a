#pragma once
// Checks an Engine.IO HTTP request (query + method + upgrade) the way the reference server
// does, in the same order, so that clients see the same error codes.
// Pure: the caller looks the sid up and passes what it found.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace sio::engineio {

enum class transport_kind { polling, websocket };

std::optional<transport_kind> parse_transport(std::string_view name);
std::string_view transport_name(transport_kind t);

// The query parameters Engine.IO reads. A repeated key keeps all its values joined by ','
// (as JavaScript turns the array into a string), which makes it invalid, as in the reference.
struct query {
  std::optional<std::string> eio;
  std::optional<std::string> transport;
  std::optional<std::string> sid;
  std::optional<std::string> b64;
};

// `target_query` is the part after '?', percent-encoded ('+' is a space). Split and decoded by
// Boost.URL; a malformed escape ("%zz") is kept as it is, as Node's querystring keeps it.
query parse_query(std::string_view target_query);
std::string percent_decode(std::string_view s);

// BaseServer.errors of the reference.
enum class request_error : int {
  unknown_transport = 0,
  unknown_sid = 1,
  bad_handshake_method = 2,
  bad_request = 3,
  forbidden = 4,
  unsupported_protocol_version = 5,
};

std::string_view request_error_message(request_error e);
int request_error_status(request_error e);  // 400, or 403 for forbidden
// {"code":N,"message":"..."} as sent with Content-Type: application/json.
std::string request_error_body(request_error e);

struct verify_options {
  bool allow_polling = true;
  bool allow_websocket = true;
  bool allow_eio3 = false;
};

struct accepted_request {
  transport_kind transport;
  bool handshake;    // no sid: a new session
  int protocol = 4;  // 3 or 4; only meaningful for a handshake
};

// `method` is the HTTP method name; `upgrade` is true for a WebSocket upgrade request;
// `session_transport` is the current transport of the session named by the sid, if the sid
// is known (ignored when the query has no sid).
std::variant<accepted_request, request_error> verify_request(const query& q, std::string_view method, bool upgrade,
                                                             std::optional<transport_kind> session_transport,
                                                             const verify_options& options = {});

}  // namespace sio::engineio
