// The client's server URLs (sio emit/connect/listen/bench) and its query encoding.
#include <doctest/doctest.h>

#include <string>

#include "core/client/url.hpp"

using sio::codec_error;
using sio::client::parse_url;
using sio::client::url_encode;

TEST_CASE("client url: schemes, hosts, ports") {
  struct row {
    const char* text;
    bool tls;
    const char* host;
    unsigned port;
    const char* authority;
  };
  const row rows[] = {
      {"http://localhost", false, "localhost", 80, "localhost"},
      {"ws://localhost:3000", false, "localhost", 3000, "localhost:3000"},
      {"https://example.com", true, "example.com", 443, "example.com"},
      {"wss://example.com:8443/", true, "example.com", 8443, "example.com:8443"},
      {"https://example.com:443/", true, "example.com", 443, "example.com"},
      {"http://127.0.0.1:80/", false, "127.0.0.1", 80, "127.0.0.1"},
      {"http://host:/", false, "host", 80, "host"},  // an empty port is the default one
      {"http://[::1]:3000/", false, "::1", 3000, "[::1]:3000"},
      {"https://[2001:db8::7]/", true, "2001:db8::7", 443, "[2001:db8::7]"},
      {"http://user:secret@host:3000/", false, "host", 3000, "host:3000"},  // the userinfo is ignored
      {"http://:@host/", false, "host", 80, "host"},
      {"HTTPS://Example.com/", true, "Example.com", 443, "Example.com"},  // schemes are case-insensitive
      {"http://my%2Dhost/", false, "my-host", 80, "my-host"},
  };
  for (const auto& r : rows) {
    const std::string text = r.text;
    CAPTURE(text);
    const auto u = parse_url(r.text);
    REQUIRE(u.has_value());
    CHECK(u->tls == r.tls);
    CHECK(u->host == r.host);
    CHECK(u->port == r.port);
    CHECK(u->authority() == r.authority);
  }
}

TEST_CASE("client url: the path is the namespace, the query is kept, the fragment dropped") {
  struct row {
    const char* text;
    const char* nsp;
    const char* query;
  };
  const row rows[] = {
      {"http://h", "/", ""},
      {"http://h/", "/", ""},
      {"http://h/chat", "/chat", ""},
      {"http://h/chat/", "/chat/", ""},
      {"http://h/admin/users", "/admin/users", ""},
      {"http://h/chat?token=abc&x=1", "/chat", "token=abc&x=1"},
      {"http://h?token=abc", "/", "token=abc"},
      {"http://h/?", "/", ""},
      {"http://h/chat#top", "/chat", ""},
      {"http://h/chat?a=b#top", "/chat", "a=b"},
      {"http://h/a%20b?q=%41", "/a b", "q=%41"},  // the namespace is decoded, the query stays encoded
      {"http://h/caf%C3%A9", "/caf\xC3\xA9", ""},
      // What a URL cannot hold as it is, people still type: encoded, as a browser would.
      {"http://h/caf\xC3\xA9?name=Jos\xC3\xA9", "/caf\xC3\xA9", "name=Jos%C3%A9"},
      {"http://h/chat room?a b=c", "/chat room", "a%20b=c"},
      {"http://h/100%?p=%zz", "/100%", "p=%25zz"},  // a '%' that starts no escape is itself
  };
  for (const auto& r : rows) {
    const std::string text = r.text;
    CAPTURE(text);
    const auto u = parse_url(r.text);
    REQUIRE(u.has_value());
    CHECK(u->nsp == r.nsp);
    CHECK(u->query == r.query);
  }
}

TEST_CASE("client url: refused with a clear error") {
  struct row {
    const char* text;
    codec_error error;
  };
  const row rows[] = {
      {"", codec_error::invalid_url},
      {"localhost:3000", codec_error::invalid_url},  // no "//": not a server URL
      {"http:localhost", codec_error::invalid_url},
      {"http://", codec_error::invalid_url},
      {"http:///chat", codec_error::invalid_url},
      {"http://:3000/", codec_error::invalid_url},
      {"http://[::1/", codec_error::invalid_url},
      {"http://[::1]x/", codec_error::invalid_url},
      {"http://[v1.x]/", codec_error::invalid_url},      // an IPvFuture literal: nothing resolves it
      {"http://a:b@c@host/", codec_error::invalid_url},  // which '@' ends the userinfo? ('@' is %40)
      {"ftp://h/", codec_error::invalid_url_scheme},
      {"redis://h/", codec_error::invalid_url_scheme},
      {"http://h:0/", codec_error::invalid_url_port},
      {"http://h:65536/", codec_error::invalid_url_port},
      {"http://h:99999/", codec_error::invalid_url_port},  // Boost's port_number() reads 34463
      {"http://h:123456789012/", codec_error::invalid_url_port},
      {"http://h:x/", codec_error::invalid_url},
  };
  for (const auto& r : rows) {
    const std::string text = r.text;
    CAPTURE(text);
    const auto u = parse_url(r.text);
    REQUIRE_FALSE(u.has_value());
    CHECK(u.error() == r.error);
    CHECK(u.error().message().starts_with("invalid URL"));
  }
  CHECK(parse_url("ftp://h/").error().message() == "invalid URL: the scheme must be http, https, ws or wss");
  CHECK(parse_url("http://h:0/").error().message() == "invalid URL: the port must be a number from 1 to 65535");
}

TEST_CASE("client url: url_encode leaves only the unreserved characters") {
  CHECK(url_encode("") == "");
  CHECK(url_encode("AZaz09-._~") == "AZaz09-._~");
  // The query's own delimiters, '+' (a space to form decoders) and ';' (a separator to some).
  CHECK(url_encode("a&b=c+d;e") == "a%26b%3Dc%2Bd%3Be");
  CHECK(url_encode("a b") == "a%20b");
  CHECK(url_encode("%/?#[]@!$'()*,:") == "%25%2F%3F%23%5B%5D%40%21%24%27%28%29%2A%2C%3A");
  CHECK(url_encode("caf\xC3\xA9") == "caf%C3%A9");
  CHECK(url_encode("\xF0\x9F\x98\x80") == "%F0%9F%98%80");
  CHECK(url_encode(std::string("a\0b", 3)) == "a%00b");
}

TEST_CASE("client url: round trips") {
  // An encoded key and value, put in a URL's query, come back as given.
  for (const std::string value : {"plain", "a b&c=d+e", "caf\xC3\xA9", "100%", "#frag?/"}) {
    CAPTURE(value);
    const auto u = parse_url("http://h/nsp?" + url_encode("k&") + "=" + url_encode(value));
    REQUIRE(u.has_value());
    CHECK(u->query == "k%26=" + url_encode(value));
  }
  // A parsed URL's parts make the same URL again.
  for (const std::string text : {"http://h/chat?a=1", "https://[::1]:8443/x?y=%20", "ws://example.com:3000/"}) {
    CAPTURE(text);
    const auto u = parse_url(text);
    REQUIRE(u.has_value());
    const std::string again = std::string(u->tls ? "https" : "http") + "://" + u->authority() + u->nsp +
                              (u->query.empty() ? "" : "?" + u->query);
    const auto v = parse_url(again);
    REQUIRE(v.has_value());
    CHECK(v->tls == u->tls);
    CHECK(v->host == u->host);
    CHECK(v->port == u->port);
    CHECK(v->nsp == u->nsp);
    CHECK(v->query == u->query);
  }
}
