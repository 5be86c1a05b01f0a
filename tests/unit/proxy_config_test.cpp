// Choosing a proxy as curl does (--proxy, http_proxy/https_proxy, NO_PROXY), proxy URLs and their
// credentials, connect errors that name the proxy, and what a -v trace line shows of a payload.
#include <doctest/doctest.h>

#include <string>

#include "core/client/proxy_config.hpp"
#include "core/client/trace.hpp"

using namespace sio::client;
using sio::codec_error;

TEST_CASE("proxy: NO_PROXY as curl reads it") {
  struct row {
    const char* list;
    const char* host;
    bool bypass;
  };
  const row rows[] = {
      {"", "example.com", false},
      {"*", "example.com", true},
      {"*", "127.0.0.1", true},
      {"example.com", "example.com", true},
      {"example.com", "www.example.com", true},   // a domain suffix
      {".example.com", "www.example.com", true},  // the leading dot changes nothing
      {".example.com", "example.com", true},
      {"example.com", "notexample.com", false},  // only whole labels
      {"www.example.com", "example.com", false},
      {"EXAMPLE.com", "Www.Example.COM", true},            // case does not matter
      {"a.org, example.com ,b.org", "example.com", true},  // spaces around entries
      {"a.org,,b.org", "example.com", false},
      {"example.com:8080", "example.com", true},  // the port is ignored
      {"localhost", "127.0.0.1", false},          // loopback is not special: curl proxies it unless listed
      {"localhost", "localhost", true},
      {"127.0.0.1", "127.0.0.1", true},
      {"127.0.0.1:3000", "127.0.0.1", true},
      {"127.0.0.1", "127.0.0.10", false},
      {"127.0.0.0/8", "127.1.2.3", true},  // CIDR, as curl 7.86+
      {"10.0.0.0/8", "127.0.0.1", false},
      {"127.0.0.1/32", "127.0.0.1", true},
      {"127.0.0.1/33", "127.0.0.1", false},  // no such range
      {"::1", "::1", true},
      {"[::1]", "::1", true},
      {"[::1]:80", "::1", true},
      {"0:0::1", "::1", true},  // one address, two spellings
      {"fd00::/8", "fd12::1", true},
      {"fd00::/8", "fe80::1", false},
      {"fd00::/8", "10.0.0.1", false},
      {"*.example.com", "www.example.com", false},  // curl has no globs but the lone *
  };
  for (const auto& r : rows) {
    CAPTURE(r.list);
    CAPTURE(r.host);
    CHECK(no_proxy_matches(r.list, r.host) == r.bypass);
  }
}

TEST_CASE("proxy: URLs, default port, credentials") {
  auto p = parse_proxy_url("http://proxy.example:3128");
  REQUIRE(p.has_value());
  CHECK(p->host == "proxy.example");
  CHECK(p->port == 3128);
  CHECK(p->authorization.empty());
  CHECK(p->name() == "proxy.example:3128");

  p = parse_proxy_url("http://proxy.example");
  REQUIRE(p.has_value());
  CHECK(p->port == 1080);  // curl's default

  p = parse_proxy_url("127.0.0.1:8080");  // no scheme: http, as curl reads it
  REQUIRE(p.has_value());
  CHECK(p->host == "127.0.0.1");
  CHECK(p->port == 8080);

  p = parse_proxy_url("HTTP://user:p%40ss@[::1]:3128/");
  REQUIRE(p.has_value());
  CHECK(p->host == "::1");
  CHECK(p->name() == "[::1]:3128");
  CHECK(p->authorization == "Basic dXNlcjpwQHNz");  // base64("user:p@ss")

  p = parse_proxy_url("http://user@host:1");
  REQUIRE(p.has_value());
  CHECK(p->authorization == "Basic dXNlcjo=");  // base64("user:")

  CHECK(parse_proxy_url("https://proxy:443").error() == make_error_code(proxy_error::unsupported_scheme));
  CHECK(parse_proxy_url("socks5://proxy:1080").error() == make_error_code(proxy_error::unsupported_scheme));
  CHECK(parse_proxy_url("http://proxy:0").error() == codec_error::invalid_url_port);
  CHECK(parse_proxy_url("http://proxy:65536").error() == codec_error::invalid_url_port);
  CHECK(parse_proxy_url("http://proxy:3128/path").error() == codec_error::invalid_url);
  CHECK(parse_proxy_url("http://").error() == codec_error::invalid_url);
}

TEST_CASE("proxy: which variable applies, and NO_PROXY over both") {
  const proxy_environment env{"http://h:1", "http://s:2", "skip.example"};
  server_url plain;
  plain.host = "a.example";
  server_url secure = plain;
  secure.tls = true;
  CHECK(proxy_url_for(plain, std::nullopt, env) == "http://h:1");
  CHECK(proxy_url_for(secure, std::nullopt, env) == "http://s:2");
  CHECK(proxy_url_for(plain, std::string("http://x:3"), env) == "http://x:3");
  CHECK(proxy_url_for(plain, std::string(), env).empty());  // --proxy '': none
  server_url skipped = plain;
  skipped.host = "www.skip.example";
  CHECK(proxy_url_for(skipped, std::nullopt, env).empty());
  CHECK(proxy_url_for(skipped, std::string("http://x:3"), env).empty());  // NO_PROXY applies to --proxy too
  CHECK(proxy_url_for(secure, std::nullopt, {"http://h:1", "", ""}).empty());
}

TEST_CASE("proxy: connect errors name the proxy") {
  proxy_config p;
  p.host = "10.0.0.1";
  p.port = 3128;
  CHECK(describe_connect_error(proxy_status_error(407), &p) ==
        "proxy 10.0.0.1:3128 answered 407 Proxy Authentication Required");
  CHECK(describe_connect_error(proxy_status_error(502), &p) == "proxy 10.0.0.1:3128 answered 502 Bad Gateway");
  const auto refused = make_error_code(boost::system::errc::connection_refused);
  CHECK(describe_connect_error(refused, &p) == refused.message() + " (through proxy 10.0.0.1:3128)");
  CHECK(describe_connect_error(refused, nullptr) == refused.message());
}

TEST_CASE("trace: payload excerpts") {
  CHECK(trace_excerpt("42[\"a\"]", false) == "42[\"a\"]");
  CHECK(trace_excerpt(std::string(200, 'x'), false) == std::string(200, 'x'));
  CHECK(trace_excerpt(std::string(201, 'x'), false) == std::string(200, 'x') + "... (201 bytes)");
  CHECK(trace_excerpt("a\nb\r\x01", false) == "a\\nb\\r\\x01");
  // A cut never splits a UTF-8 character: "é" is two bytes; at 3 the second é would be split.
  CHECK(trace_excerpt("\xc3\xa9\xc3\xa9", false, 3) == "\xc3\xa9... (4 bytes)");
  CHECK(trace_excerpt(std::string("\x00\x01\xff", 3), true) == "0001ff");
  std::string hundred;  // 100 bytes shown of 150, as hex
  for (int i = 0; i < 100; ++i) hundred += "10";
  CHECK(trace_excerpt(std::string(150, '\x10'), true) == hundred + "...");
}
