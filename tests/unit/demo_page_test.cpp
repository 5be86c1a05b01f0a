// sio serve's demo page, with and without the socket.io-client bundle built in.
#include <doctest/doctest.h>

#include "cmd/demo_page.hpp"

using sio::cmd::add_demo_files;
using sio::cmd::embedded_file;

TEST_CASE("demo page: the embedded bundle is served under the Engine.IO path") {
  const embedded_file bundle[] = {{"socket.io.min.js", "var io;"}, {"socket.io.min.js.map", "{}"}};
  std::map<std::string, sio::server::static_file> files;
  add_demo_files(files, "/socket.io", bundle);
  REQUIRE(files.size() == 3);
  CHECK(files["/socket.io/socket.io.min.js"].body == "var io;");
  CHECK(files["/socket.io/socket.io.min.js"].content_type == "application/javascript; charset=utf-8");
  CHECK(files["/socket.io/socket.io.min.js.map"].content_type == "application/json");
  const auto& page = files["/"].body;
  CHECK(page.find(R"(<script src="/socket.io/socket.io.min.js"></script>)") != std::string::npos);
  CHECK(page.find("{ path: \"/socket.io/\", forceNew: true }") != std::string::npos);
  CHECK(page.find("did not load") != std::string::npos);
  CHECK(page.find("built without") == std::string::npos);
  CHECK(page.find("__") == std::string::npos);  // every placeholder filled
}

TEST_CASE("demo page: built without the bundle, the page says how to get it") {
  std::map<std::string, sio::server::static_file> files;
  add_demo_files(files, "/engine.io/", {});
  REQUIRE(files.size() == 1);
  const auto& page = files["/"].body;
  CHECK(page.find("built without the socket.io client bundle") != std::string::npos);
  CHECK(page.find("bash .ci/deps.sh demo") != std::string::npos);
  CHECK(page.find("socket.io.min.js") == std::string::npos);  // no script that cannot load
  CHECK(page.find("__") == std::string::npos);
}

TEST_CASE("demo page: this build's bundle has what the page loads, or nothing") {
  const auto bundle = sio::cmd::client_bundle();
  if (bundle.empty()) return;  // a build without npm: the case above
  bool min_js = false;
  for (const auto& f : bundle) {
    CHECK(!f.bytes.empty());
    if (f.name == "socket.io.min.js") min_js = f.bytes.find("io") != std::string_view::npos;
  }
  CHECK(min_js);
}
