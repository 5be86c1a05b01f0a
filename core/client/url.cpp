#include "core/client/url.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace sio::client {

std::string server_url::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = v6 ? fmt::format("[{}]", host) : host;
  if (port != (tls ? 443 : 80)) out += fmt::format(":{}", port);
  return out;
}

result<server_url> parse_url(std::string_view text) {
  server_url u;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return codec_error::invalid_url;
  const auto scheme = text.substr(0, scheme_end);
  if (scheme == "http" || scheme == "ws")
    u.tls = false;
  else if (scheme == "https" || scheme == "wss")
    u.tls = true;
  else
    return codec_error::invalid_url;
  u.port = u.tls ? 443 : 80;
  std::string_view rest = text.substr(scheme_end + 3);

  const auto path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  rest = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.empty()) return codec_error::invalid_url;

  std::string_view port_text;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return codec_error::invalid_url;
    u.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return codec_error::invalid_url;
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (u.host.empty()) return codec_error::invalid_url;
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port == 0 || port > 65535)
      return codec_error::invalid_url;
    u.port = static_cast<std::uint16_t>(port);
  }

  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  if (q != std::string_view::npos) u.query = std::string(rest.substr(q + 1));
  u.nsp = path.empty() ? "/" : std::string(path);
  return u;
}

std::string url_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace sio::client
