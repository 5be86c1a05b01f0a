// redis:// URLs as redis-cli and node-redis read them.
#include <doctest/doctest.h>

#include "core/redis/url.hpp"

using sio::redis::endpoint;
using sio::redis::parse_url;

TEST_CASE("redis url: the forms people write") {
  struct row {
    const char* text;
    const char* host;
    unsigned port;
    const char* user;
    const char* password;
    unsigned db;
  };
  const row rows[] = {
      {"redis://", "127.0.0.1", 6379, "", "", 0},
      {"redis://127.0.0.1:6379/0", "127.0.0.1", 6379, "", "", 0},
      {"redis://localhost", "localhost", 6379, "", "", 0},
      {"redis://10.0.0.5:7000/3", "10.0.0.5", 7000, "", "", 3},
      {"redis://:s3cret@host:6380", "host", 6380, "", "s3cret", 0},
      {"redis://alice:p%40ss@host/2", "host", 6379, "alice", "p@ss", 2},
      {"redis://[::1]:6390/1", "::1", 6390, "", "", 1},
      {"redis://host:6379/4?protocol=2", "host", 6379, "", "", 4},
      {"redis://host:6379/", "host", 6379, "", "", 0},
      {"redis://secret@host", "host", 6379, "", "secret", 0},  // a password alone, as redis-cli reads it
      {"redis://alice:pa:ss@host", "host", 6379, "alice", "pa:ss", 0},
      {"redis://%61lice:p%3As%2Fs%40@host", "host", 6379, "alice", "p:s/s@", 0},
      {"redis://:6380", "127.0.0.1", 6380, "", "", 0},
      {"redis://:p%zz w@host", "host", 6379, "", "p%zz w", 0},  // kept as typed
      // Read by Boost.URL: schemes are case-insensitive, and a query or fragment ends the host.
      {"REDIS://host/1", "host", 6379, "", "", 1},
      {"redis://host?protocol=3", "host", 6379, "", "", 0},
      {"redis://host:7000#x", "host", 7000, "", "", 0},
  };
  for (const auto& r : rows) {
    const std::string text = r.text;
    CAPTURE(text);
    endpoint e;
    std::string error;
    REQUIRE(parse_url(r.text, e, error));
    CHECK(error.empty());
    CHECK(e.host == r.host);
    CHECK(e.port == r.port);
    CHECK(e.username == r.user);
    CHECK(e.password == r.password);
    CHECK(e.db == r.db);
  }
}

TEST_CASE("redis url: refused with a reason") {
  for (const char* bad : {"", "http://127.0.0.1:6379", "rediss://host", "redis://host:0", "redis://host:99999",
                          "redis://host:abc", "redis://host/db1", "redis://[::1:6379",
                          "redis://host:", "redis://[::1]:0", "redis://[v1.x]", "redis://host/1/2", "redis:host"}) {
    CAPTURE(bad);
    endpoint e;
    std::string error;
    CHECK_FALSE(parse_url(bad, e, error));
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("redis url: the reasons") {
  const auto reason = [](const char* text) {
    endpoint e;
    std::string error;
    CHECK_FALSE(parse_url(text, e, error));
    return error;
  };
  CHECK(reason("rediss://host") == "rediss:// (TLS) is not supported yet; use redis://");
  CHECK(reason("REDISS://host") == "rediss:// (TLS) is not supported yet; use redis://");
  CHECK(reason("redis://host:99999") == "invalid port");
  CHECK(reason("redis://host/x") == "the path must be a database number");
  // redis-cli ends the password at the first '@' and node-redis at the last: refused, with the fix.
  CHECK(reason("redis://:p@ss@host") ==
        "expected redis://[user:password@]host[:port][/db] (percent-encode '@' in a password as %40)");
}
