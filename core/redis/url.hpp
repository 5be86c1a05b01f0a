#pragma once
// redis://[[user]:password@]host[:port][/db] and rediss:// (TLS, refused for now: the
// adapter speaks plain TCP), as redis-cli and node-redis read them. Parsed by Boost.URL.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/redis/error.hpp"

namespace sio::redis {

struct endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string username;  // empty: AUTH with the password alone
  std::string password;  // empty: no AUTH
  unsigned db = 0;
};

// Fails with a message in `error` for anything else.
bool parse_url(std::string_view text, endpoint& out, std::string& error);

}  // namespace sio::redis
