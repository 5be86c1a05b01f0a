#include "core/redis/url.hpp"

#include <charconv>

namespace sio::redis {

namespace {

// %XX escapes in the user and password.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned v = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16).ptr == s.data() + i + 3) {
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

template <class T>
bool number(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && !s.empty();
}

}  // namespace

bool parse_url(std::string_view text, endpoint& out, std::string& error) {
  out = endpoint{};
  constexpr std::string_view scheme = "redis://";
  if (text.starts_with("rediss://")) {
    error = "rediss:// (TLS) is not supported yet; use redis://";
    return false;
  }
  if (!text.starts_with(scheme)) {
    error = "expected redis://[user:password@]host[:port][/db]";
    return false;
  }
  std::string_view rest = text.substr(scheme.size());
  const auto slash = rest.find('/');
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  rest = rest.substr(0, slash);
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view auth = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = auth.find(':');
    if (colon == std::string_view::npos) {
      out.password = percent_decode(auth);
    } else {
      out.username = percent_decode(auth.substr(0, colon));
      out.password = percent_decode(auth.substr(colon + 1));
    }
  }
  std::string_view host = rest;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      error = "unterminated [IPv6] host";
      return false;
    }
    host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !number(rest.substr(1), out.port))) {
      error = "invalid port";
      return false;
    }
  } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    if (!number(rest.substr(colon + 1), out.port) || out.port == 0) {
      error = "invalid port";
      return false;
    }
  }
  if (!host.empty()) out.host = std::string(host);
  if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (!path.empty() && !number(path, out.db)) {
    error = "the path must be a database number";
    return false;
  }
  return true;
}

}  // namespace sio::redis
