// The layer map of core/README.md, enforced: every `#include "core/..."` in core/ and cmd/ must
// point to the same layer or to one below it, the pure codec layers must not reach Asio or
// Beast, and no set of files may include each other in a circle.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/include_graph.hpp"

namespace fs = std::filesystem;
using sio::test::include_edge;
using sio::test::layer_map;

namespace {

// What each layer may include besides itself (the closure is taken by the checker).
const layer_map& the_map() {
  static const layer_map map{
      .allowed =
          {
              {"core/common", {}},
              {"core/wsframe", {"core/common"}},
              {"core/engineio", {"core/common"}},
              {"core/jsvalue", {"core/common"}},
              {"core/socketio", {"core/engineio", "core/jsvalue"}},
              {"core/transport", {"core/wsframe", "core/engineio"}},
              {"core/server", {"core/transport", "core/socketio"}},
              {"core/client", {"core/transport", "core/socketio"}},
              {"core/redis", {"core/server"}},
              {"core/bench", {"core/client"}},
              {"cmd", {"core/bench", "core/redis"}},
          },
      .pure = {"core/common", "core/wsframe", "core/engineio", "core/jsvalue", "core/socketio"},
  };
  return map;
}

std::vector<include_edge> scan_tree(const fs::path& root) {
  std::vector<include_edge> edges;
  for (const char* top : {"core", "cmd"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".hpp" && ext != ".cpp")) continue;
      std::ifstream in(entry.path());
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto found = sio::test::scan_includes(fs::relative(entry.path(), root).generic_string(), text);
      edges.insert(edges.end(), found.begin(), found.end());
    }
  }
  return edges;
}

}  // namespace

TEST_CASE("layers: every include in core/ and cmd/ follows the layer map, with no cycle") {
  const auto edges = scan_tree(SIO_SOURCE_DIR);
  CHECK(edges.size() > 300);  // the scan saw the tree
  const auto problems = sio::test::check_layers(the_map(), edges);
  for (const auto& p : problems) MESSAGE(p);
  CHECK(problems.empty());
}

TEST_CASE("layers: the checker names a planted back-edge, an unknown layer, Asio in a codec and a cycle") {
  const std::string server_include = "#include \"core/server/sio_server.hpp\"\n";
  auto edges = sio::test::scan_includes("core/socketio/parser.cpp", "// x\n" + server_include);
  REQUIRE(edges.size() == 1);
  CHECK(edges[0].line == 2);
  auto problems = sio::test::check_layers(the_map(), edges);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] ==
        "core/socketio/parser.cpp:2: includes core/server/sio_server.hpp: core/socketio may not include core/server");

  problems = sio::test::check_layers(
      the_map(), sio::test::scan_includes("core/newdir/a.cpp", "#include \"core/common/error.hpp\"\n"));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "core/newdir/a.cpp:1: core/newdir is not in the layer map");

  problems = sio::test::check_layers(
      the_map(), sio::test::scan_includes("core/engineio/packet.cpp", "#include <boost/asio/ip/tcp.hpp>\n"));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] ==
        "core/engineio/packet.cpp:1: includes <boost/asio/ip/tcp.hpp>: core/engineio is a pure codec layer");

  edges = sio::test::scan_includes("core/common/a.hpp", "#include \"core/common/b.hpp\"\n");
  auto back = sio::test::scan_includes("core/common/b.hpp", "#include \"core/common/a.hpp\"\n");
  edges.insert(edges.end(), back.begin(), back.end());
  problems = sio::test::check_layers(the_map(), edges);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] ==
        "core/common/b.hpp:1: includes core/common/a.hpp: cycle core/common/a.hpp -> "
        "core/common/b.hpp -> core/common/a.hpp");
}
