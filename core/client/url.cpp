#include "core/client/url.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>

#include <fmt/format.h>

#include "core/common/percent_repair.hpp"

namespace sio::client {

namespace urls = boost::urls;

namespace {

// Boost 1.81's port_number() wraps around past 65535 (99999 reads as 34463): read the digits.
result<std::uint16_t> port_of(const urls::url_view& u, bool tls) {
  const auto text = u.port();
  if (text.empty()) return static_cast<std::uint16_t>(tls ? 443 : 80);  // "host:" means the default
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port == 0 || port > 65535)
    return codec_error::invalid_url_port;
  return static_cast<std::uint16_t>(port);
}

}  // namespace

std::string server_url::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = v6 ? fmt::format("[{}]", host) : host;
  if (port != (tls ? 443 : 80)) out += fmt::format(":{}", port);
  return out;
}

result<server_url> parse_url(std::string_view text) {
  // What else people type (spaces, UTF-8 namespaces, a stray '%') is encoded as a browser would.
  const std::string repaired = percent_repair(text, url_chars);
  const auto parsed = urls::parse_uri(repaired);
  if (!parsed || !parsed->has_authority()) return codec_error::invalid_url;
  const urls::url_view& u = *parsed;

  server_url out;
  switch (u.scheme_id()) {  // case-insensitive, as RFC 3986 wants
    case urls::scheme::http:
    case urls::scheme::ws: out.tls = false; break;
    case urls::scheme::https:
    case urls::scheme::wss: out.tls = true; break;
    default: return codec_error::invalid_url_scheme;
  }

  if (u.host_type() == urls::host_type::ipv6)
    out.host = u.host_address();  // without the brackets
  else if (u.host_type() == urls::host_type::name || u.host_type() == urls::host_type::ipv4)
    out.host = u.host();
  if (out.host.empty()) return codec_error::invalid_url;  // no host, or [v1.future]

  const auto port = port_of(u, out.tls);
  if (!port) return port.error();
  out.port = *port;

  // Boost 1.81 lets "//a@b@c/" through with the path "@c/"; RFC 3986 wants it empty or "/...".
  const auto path = u.encoded_path();
  if (!path.empty() && path.front() != '/') return codec_error::invalid_url;
  out.nsp = path.empty() ? "/" : u.path();  // decoded: /caf%C3%A9 names the namespace /café
  out.query = u.encoded_query();            // the fragment is dropped, as a browser does
  return out;
}

// The unreserved set, not Boost.URL's query-parameter sets: those keep '+' (a space to form
// decoders such as Engine.IO's) and ';' (a separator to some servers) as they are.
std::string url_encode(std::string_view s) { return urls::encode(s, urls::unreserved_chars); }

}  // namespace sio::client
