#pragma once
// Which HTTP proxy a client connection goes through, as curl decides it: --proxy, else the
// environment (http_proxy/HTTP_PROXY for http and ws URLs, https_proxy/HTTPS_PROXY for https and
// wss), and NO_PROXY/no_proxy naming the hosts that go direct. The tunnel itself (CONNECT) is
// core/client/proxy_tunnel.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/client/url.hpp"
#include "core/common/error.hpp"

namespace sio::client {

struct proxy_config {
  std::string host;           // without brackets for IPv6
  std::uint16_t port = 1080;  // curl's default for a proxy URL without a port
  std::string authorization;  // the Proxy-Authorization value ("Basic ..."), empty without credentials

  // host:port for messages and the trace; never the credentials.
  std::string name() const;
};

// Errors of the proxy: its answer to CONNECT when not 2xx (the value is the HTTP status), or a
// proxy URL that is not http://.
enum class proxy_error { unsupported_scheme = 1 };
const boost::system::error_category& proxy_category() noexcept;
inline error_code make_error_code(proxy_error e) noexcept { return {static_cast<int>(e), proxy_category()}; }
inline error_code proxy_status_error(unsigned status) noexcept { return {static_cast<int>(status), proxy_category()}; }

// [http://][user[:password]@]host[:port][/]. Credentials are percent-decoded, as in curl. Fails
// with codec_error::invalid_url or invalid_url_port, or proxy_error::unsupported_scheme.
result<proxy_config> parse_proxy_url(std::string_view text);

// A connect failure in words; through a proxy, the words name it ("proxy 10.0.0.1:3128 answered
// 407 Proxy Authentication Required", "Connection refused (through proxy 10.0.0.1:3128)").
std::string describe_connect_error(error_code ec, const proxy_config* proxy);

// The proxy variables as read from the environment; empty when unset.
struct proxy_environment {
  std::string http_proxy;
  std::string https_proxy;
  std::string no_proxy;
};

// NO_PROXY as curl reads it: a comma-separated list of host names, domain suffixes ("example.com"
// and ".example.com" both match example.com and www.example.com, not notexample.com), IP
// addresses and CIDR ranges (10.0.0.0/8, ::1); "*" alone matches every host. Case does not matter
// and a port on an entry is ignored. Loopback is not special: localhost goes through the proxy
// unless listed, as in curl.
bool no_proxy_matches(std::string_view list, std::string_view host);

// The proxy URL text for `url`: `explicit_proxy` when set (an empty string means none), else the
// environment's variable for the URL's scheme; empty when the host is in NO_PROXY or there is none.
std::string proxy_url_for(const server_url& url, const std::optional<std::string>& explicit_proxy,
                          const proxy_environment& env);

}  // namespace sio::client

template <>
struct boost::system::is_error_code_enum<sio::client::proxy_error> : std::true_type {};
