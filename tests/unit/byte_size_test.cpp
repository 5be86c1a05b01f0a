#include "cmd/byte_size.hpp"

#include <doctest/doctest.h>

using sio::cmd::format_bytes;

TEST_CASE("format_bytes: decimal units, one decimal from a kilobyte up") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(999) == "999 B");
  CHECK(format_bytes(1000) == "1.0 kB");
  CHECK(format_bytes(1500) == "1.5 kB");
  CHECK(format_bytes(999'949) == "999.9 kB");
  CHECK(format_bytes(999'950) == "1.0 MB");  // never "1000.0 kB"
  CHECK(format_bytes(1'000'000) == "1.0 MB");
  CHECK(format_bytes(2'097'152) == "2.1 MB");
  CHECK(format_bytes(3'000'000'000) == "3.0 GB");
}
