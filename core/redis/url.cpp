#include "core/redis/url.hpp"

#include <boost/url/grammar/ci_string.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <string>

#include "core/common/percent_repair.hpp"

namespace sio::redis {

namespace urls = boost::urls;

namespace {

constexpr std::string_view usage =
    "expected redis://[user:password@]host[:port][/db] (percent-encode '@' in a password as %40)";

template <class T>
bool number(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && !s.empty();
}

}  // namespace

bool parse_url(std::string_view text, endpoint& out, std::string& error) {
  out = endpoint{};
  const std::string repaired = percent_repair(text, url_chars);  // raw spaces, stray '%' in a password
  const auto parsed = urls::parse_uri(repaired);
  if (parsed && urls::grammar::ci_is_equal(parsed->scheme(), "rediss")) {
    error = "rediss:// (TLS) is not supported yet; use redis://";
    return false;
  }
  // Boost 1.81 lets "//a@b@c" through with the path "@c"; RFC 3986 wants it empty or "/...".
  if (!parsed || !urls::grammar::ci_is_equal(parsed->scheme(), "redis") || !parsed->has_authority() ||
      (!parsed->encoded_path().empty() && parsed->encoded_path().front() != '/')) {
    error = usage;
    return false;
  }
  const urls::url_view& u = *parsed;

  if (u.has_password()) {
    out.username = u.user();
    out.password = u.password();
  } else if (u.has_userinfo()) {
    out.password = u.user();  // redis://secret@host: a password alone, as redis-cli reads it
  }

  if (u.host_type() == urls::host_type::ipvfuture) {
    error = "unsupported host " + std::string(u.encoded_host());
    return false;
  }
  if (u.host_type() == urls::host_type::ipv6)
    out.host = u.host_address();  // without the brackets
  else if (!u.encoded_host().empty())
    out.host = u.host();
  // Digits by hand: Boost 1.81's port_number() wraps around past 65535.
  if (u.has_port() && (!number(std::string_view(u.port()), out.port) || out.port == 0)) {
    error = "invalid port";
    return false;
  }

  // The query (node-redis options) and the fragment are ignored.
  const std::string path = u.path();
  if (path.size() > 1 && !number(std::string_view(path).substr(1), out.db)) {
    error = "the path must be a database number";
    return false;
  }
  return true;
}

}  // namespace sio::redis
