#include "core/engineio/request.hpp"

#include <fmt/format.h>

#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/pchars.hpp>

#include "core/common/percent_repair.hpp"

namespace sio::engineio {

std::optional<transport_kind> parse_transport(std::string_view name) {
  if (name == "polling") return transport_kind::polling;
  if (name == "websocket") return transport_kind::websocket;
  return std::nullopt;
}

std::string_view transport_name(transport_kind t) { return t == transport_kind::polling ? "polling" : "websocket"; }

namespace {

namespace urls = boost::urls;

// Everything a query may hold as it is.
constexpr auto query_chars = urls::pchars + '/' + '?';

// Decoding as Node's querystring does: '+' is a space.
const urls::encoding_opts form_decoding{true};

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
  if (const auto pct = urls::make_pct_string_view(s)) return pct->decode(form_decoding);
  return urls::make_pct_string_view(percent_repair(s, query_chars))->decode(form_decoding);
}

query parse_query(std::string_view qs) {
  // Browsers and curl send a clean query; anything else (raw spaces or UTF-8, a stray '%') is
  // encoded first, so that Boost.URL splits it and it decodes to what the peer sent.
  // Boost 1.81's parse_query measures its argument again with strlen (query_ref is built from
  // s.data() alone), so it must get NUL-terminated text, never a view into a longer request.
  std::string repaired(qs);
  auto params = urls::parse_query(repaired);
  if (!params) {
    repaired = percent_repair(qs, query_chars);
    params = urls::parse_query(repaired);
    if (!params) return {};  // cannot happen: the text is now a valid query
  }
  query q;
  for (const auto& param : *params) {
    const std::string key = param.key.decode(form_decoding);
    std::string value = param.value.decode(form_decoding);
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
