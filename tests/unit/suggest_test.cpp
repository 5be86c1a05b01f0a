// "Did you mean ...?" (cmd/suggest.hpp): the distance, and which names are near enough.
#include <doctest/doctest.h>

#include "cmd/suggest.hpp"

using sio::cmd::edit_distance;
using sio::cmd::nearest;

TEST_CASE("suggest: edit distance counts a swap of neighbours as one edit") {
  CHECK(edit_distance("timeout", "timeout") == 0);
  CHECK(edit_distance("tiemout", "timeout") == 1);
  CHECK(edit_distance("serv", "serve") == 1);
  CHECK(edit_distance("lisen", "listen") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("suggest: the nearest name, or nothing when none is a plausible typo") {
  const std::vector<std::string> subcommands = {"serve", "emit", "listen", "connect", "bench"};
  CHECK(nearest("serv", subcommands) == "serve");
  CHECK(nearest("lsiten", subcommands) == "listen");
  CHECK(nearest("conect", subcommands) == "connect");
  CHECK_FALSE(nearest("frobnicate", subcommands));
  CHECK_FALSE(nearest("x", subcommands));

  const std::vector<std::string> flags = {"--help", "--timeout", "--ack-timeout", "--ack", "--json", "-q"};
  CHECK(nearest("--tiemout", flags) == "--timeout");
  CHECK(nearest("-timeout", flags) == "--timeout");
  CHECK(nearest("--jsno", flags) == "--json");
  CHECK(nearest("--ack-timout", flags) == "--ack-timeout");
  CHECK_FALSE(nearest("--bogus", flags));
  CHECK_FALSE(nearest("-Z", flags));
}
