#include <doctest/doctest.h>

#include <string>

#include "core/socketio/packet.hpp"

namespace sio_ = sio::socketio;

TEST_CASE("socket.io placeholders: found depth-first in order of appearance") {
  const std::string data =
      R"(["e",{"a":{"_placeholder":true,"num":0},"b":[{"_placeholder":true,"num":2},{"x":{"_placeholder":true,"num":1}}]}])";
  auto r = sio_::find_placeholders(data, 3, 64);
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 3);
  CHECK((*r)[0].num == 0);
  CHECK((*r)[1].num == 2);
  CHECK((*r)[2].num == 1);
  CHECK(data.substr((*r)[0].begin, (*r)[0].end - (*r)[0].begin) == R"({"_placeholder":true,"num":0})");
}

TEST_CASE("socket.io placeholders: key order, duplicates, escapes and nesting") {
  auto reordered = sio_::find_placeholders(R"([{"num":0,"_placeholder":true}])", 1, 64);
  REQUIRE(reordered.has_value());
  CHECK(reordered->size() == 1);
  // The last duplicate wins, as in JSON.parse.
  CHECK(sio_::find_placeholders(R"([{"_placeholder":true,"num":5,"num":0}])", 1, 64).has_value());
  CHECK(sio_::find_placeholders(R"([{"_placeholder":true,"_placeholder":false,"num":9}])", 1, 64)->empty());
  CHECK(sio_::find_placeholders(R"([{"\u005fplaceholder":true,"num":3}])", 1, 64).has_error());
  // What lies inside a placeholder object is never looked at.
  auto outer = sio_::find_placeholders(R"([{"_placeholder":true,"num":0,"x":{"_placeholder":true,"num":99}}])", 1, 64);
  REQUIRE(outer.has_value());
  REQUIRE(outer->size() == 1);
  CHECK((*outer)[0].num == 0);
  CHECK(sio_::find_placeholders(R"([{"_placeholder":"true","num":99}])", 1, 64)->empty());
  CHECK(sio_::find_placeholders(R"([{"_placeholder":true,"num":1e0}])", 2, 64)->at(0).num == 1);
}
