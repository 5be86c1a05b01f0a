#include "core/engineio/request.hpp"

#include <fmt/format.h>

namespace sio::engineio {

std::optional<transport_kind> parse_transport(std::string_view name) {
  if (name == "polling") return transport_kind::polling;
  if (name == "websocket") return transport_kind::websocket;
  return std::nullopt;
}

std::string_view transport_name(transport_kind t) { return t == transport_kind::polling ? "polling" : "websocket"; }

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void assign(std::optional<std::string>& slot, std::string value) {
  if (slot) {
    *slot += ',';
    *slot += value;
  } else {
    slot = std::move(value);
  }
}
}  // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

query parse_query(std::string_view qs) {
  query q;
  while (!qs.empty()) {
    const auto amp = qs.find('&');
    std::string_view pair = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view{} : qs.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string key = percent_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1));
    if (key == "EIO")
      assign(q.eio, std::move(value));
    else if (key == "transport")
      assign(q.transport, std::move(value));
    else if (key == "sid")
      assign(q.sid, std::move(value));
    else if (key == "b64")
      assign(q.b64, std::move(value));
  }
  return q;
}

std::string_view request_error_message(request_error e) {
  switch (e) {
    case request_error::unknown_transport: return "Transport unknown";
    case request_error::unknown_sid: return "Session ID unknown";
    case request_error::bad_handshake_method: return "Bad handshake method";
    case request_error::bad_request: return "Bad request";
    case request_error::forbidden: return "Forbidden";
    case request_error::unsupported_protocol_version: return "Unsupported protocol version";
  }
  return "Bad request";
}

int request_error_status(request_error e) { return e == request_error::forbidden ? 403 : 400; }

std::string request_error_body(request_error e) {
  return fmt::format("{{\"code\":{},\"message\":\"{}\"}}", static_cast<int>(e), request_error_message(e));
}

std::variant<accepted_request, request_error> verify_request(const query& q, std::string_view method, bool upgrade,
                                                             std::optional<transport_kind> session_transport,
                                                             const verify_options& options) {
  const auto transport = q.transport ? parse_transport(*q.transport) : std::nullopt;
  if (!transport || (*transport == transport_kind::polling && !options.allow_polling) ||
      (*transport == transport_kind::websocket && !options.allow_websocket))
    return request_error::unknown_transport;

  if (q.sid && !q.sid->empty()) {
    if (!session_transport) return request_error::unknown_sid;
    if (!upgrade && *session_transport != *transport) return request_error::bad_request;
    return accepted_request{*transport, false};
  }

  if (method != "GET") return request_error::bad_handshake_method;
  if (*transport == transport_kind::websocket && !upgrade) return request_error::bad_request;
  // Anything other than "4" is taken as v3 by the reference.
  const int protocol = q.eio && *q.eio == "4" ? 4 : 3;
  if (protocol == 3 && !options.allow_eio3) return request_error::unsupported_protocol_version;
  return accepted_request{*transport, true, protocol};
}

}  // namespace sio::engineio
