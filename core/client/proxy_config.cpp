#include "core/client/proxy_config.hpp"

#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

#include <fmt/format.h>

#include "core/common/base64.hpp"
#include "core/common/percent_repair.hpp"

namespace sio::client {

namespace urls = boost::urls;
using boost::asio::ip::address;

namespace {

class proxy_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sio.proxy"; }
  std::string message(int ev) const override {
    if (ev == static_cast<int>(proxy_error::unsupported_scheme))
      return "unsupported proxy URL: only http:// proxies are supported";
    const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(ev));
    return fmt::format("answered {} {}", ev, std::string_view(reason.data(), reason.size()));
  }
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An entry without its port: "host:80" -> "host", "[::1]:80" -> "::1"; a bare IPv6 address
// (more than one colon) has none.
std::string_view without_port(std::string_view entry) {
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    return close == std::string_view::npos ? entry : entry.substr(1, close - 1);
  }
  const auto colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos)
    return entry.substr(0, colon);
  return entry;
}

std::array<unsigned char, 16> bytes_of(const address& a) {
  std::array<unsigned char, 16> out{};
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), out.begin());
  } else {
    out = a.to_v6().to_bytes();
  }
  return out;
}

// "10.0.0.0/8" holds `host`; false for anything else.
bool in_cidr(std::string_view entry, const address& host) {
  const auto slash = entry.find('/');
  boost::system::error_code ec;
  const auto range = boost::asio::ip::make_address(std::string(without_port(entry.substr(0, slash))), ec);
  unsigned bits = 0;
  const auto digits = entry.substr(slash + 1);
  const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
  if (ec || err != std::errc{} || end != digits.data() + digits.size() || range.is_v4() != host.is_v4() ||
      bits > (host.is_v4() ? 32u : 128u))
    return false;
  const auto x = bytes_of(host), y = bytes_of(range);
  for (unsigned i = 0; i < bits; ++i) {
    const unsigned shift = 7 - i % 8;
    if (((x[i / 8] >> shift) & 1) != ((y[i / 8] >> shift) & 1)) return false;
  }
  return true;
}

}  // namespace

const boost::system::error_category& proxy_category() noexcept {
  static const proxy_category_impl instance;
  return instance;
}

std::string proxy_config::name() const {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

result<proxy_config> parse_proxy_url(std::string_view text) {
  // curl takes "host:port" without a scheme as an http:// proxy.
  std::string repaired = percent_repair(text, url_chars);
  if (repaired.find("://") == std::string::npos) repaired.insert(0, "http://");
  const auto parsed = urls::parse_uri(repaired);
  if (!parsed || !parsed->has_authority()) return codec_error::invalid_url;
  const urls::url_view& u = *parsed;
  if (u.scheme_id() != urls::scheme::http) return proxy_error::unsupported_scheme;
  if (const auto path = u.encoded_path(); !path.empty() && path != "/") return codec_error::invalid_url;

  proxy_config out;
  if (u.host_type() == urls::host_type::ipv6)
    out.host = u.host_address();
  else if (u.host_type() == urls::host_type::name || u.host_type() == urls::host_type::ipv4)
    out.host = u.host();
  if (out.host.empty()) return codec_error::invalid_url;
  if (const auto port = u.port(); !port.empty()) {
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc{} || end != port.data() + port.size() || n == 0 || n > 65535)
      return codec_error::invalid_url_port;
    out.port = static_cast<std::uint16_t>(n);
  }
  if (u.has_userinfo()) out.authorization = "Basic " + base64::encode(std::string(u.user()) + ":" + u.password());
  return out;
}

std::string describe_connect_error(error_code ec, const proxy_config* proxy) {
  if (!proxy) return ec.message();
  if (ec.category() == proxy_category()) return fmt::format("proxy {} {}", proxy->name(), ec.message());
  return fmt::format("{} (through proxy {})", ec.message(), proxy->name());
}

bool no_proxy_matches(std::string_view list, std::string_view host_text) {
  const std::string host = lower(host_text);
  boost::system::error_code not_ip;
  const auto host_ip = boost::asio::ip::make_address(host, not_ip);
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view entry = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry == "*") return true;
    if (entry.find('/') != std::string_view::npos) {
      if (!not_ip && in_cidr(entry, host_ip)) return true;
      continue;
    }
    std::string name = lower(without_port(entry));
    if (!name.empty() && name.front() == '.') name.erase(0, 1);
    if (name.empty()) continue;
    if (!not_ip) {  // an address matches the same address, however written (::1, 0:0::1)
      boost::system::error_code ec;
      const auto ip = boost::asio::ip::make_address(name, ec);
      if (!ec && ip == host_ip) return true;
      continue;
    }
    if (host == name) return true;
    if (host.size() > name.size() && host.compare(host.size() - name.size(), name.size(), name) == 0 &&
        host[host.size() - name.size() - 1] == '.')
      return true;
  }
  return false;
}

std::string proxy_url_for(const server_url& url, const std::optional<std::string>& explicit_proxy,
                          const proxy_environment& env) {
  const std::string& chosen = explicit_proxy ? *explicit_proxy : (url.tls ? env.https_proxy : env.http_proxy);
  if (chosen.empty() || no_proxy_matches(env.no_proxy, url.host)) return {};
  return chosen;
}

}  // namespace sio::client
