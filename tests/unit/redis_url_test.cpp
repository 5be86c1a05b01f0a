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
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
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
                          "redis://host:abc", "redis://host/db1", "redis://[::1:6379"}) {
    CAPTURE(bad);
    endpoint e;
    std::string error;
    CHECK_FALSE(parse_url(bad, e, error));
    CHECK_FALSE(error.empty());
  }
}
