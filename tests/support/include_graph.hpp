#pragma once
// The include graph of a source tree and the checks core/README.md's layer map asks for:
// includes go to the same layer or below, pure layers stay free of Asio/Beast, no file cycles.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sio::test {

struct include_edge {
  std::string from;    // a file, relative to the repository root
  std::size_t line;    // 1-based
  std::string target;  // "core/x/y.hpp" for a quoted include, "<boost/asio.hpp>" for a system one
};

struct layer_map {
  std::map<std::string, std::set<std::string>> allowed;  // layer -> layers it may include directly
  std::set<std::string> pure;                            // layers that must not reach Asio or Beast
};

// The #include lines of one file.
std::vector<include_edge> scan_includes(const std::string& file, std::string_view text);

// One line per problem, "file:line: what", sorted; empty when the graph follows the map.
std::vector<std::string> check_layers(const layer_map& map, const std::vector<include_edge>& edges);

}  // namespace sio::test
