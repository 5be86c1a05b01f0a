#include "tests/support/include_graph.hpp"

#include <algorithm>
#include <functional>

namespace sio::test {

namespace {

// "core/server/x.hpp" -> "core/server"; "cmd/x.cpp" -> "cmd".
std::string layer_of(const std::string& path) {
  const auto first = path.find('/');
  if (path.compare(0, first, "core") != 0) return path.substr(0, first);
  const auto second = path.find('/', first + 1);
  return path.substr(0, second);
}

std::set<std::string> reachable(const layer_map& map, const std::string& layer) {
  std::set<std::string> seen;
  std::vector<std::string> todo{layer};
  while (!todo.empty()) {
    const auto l = todo.back();
    todo.pop_back();
    if (!seen.insert(l).second) continue;
    if (auto it = map.allowed.find(l); it != map.allowed.end())
      todo.insert(todo.end(), it->second.begin(), it->second.end());
  }
  return seen;
}

bool is_asio_or_beast(const std::string& target) {
  return target.starts_with("<boost/asio") || target.starts_with("<boost/beast") || target == "core/transport/net.hpp";
}

}  // namespace

std::vector<include_edge> scan_includes(const std::string& file, std::string_view text) {
  std::vector<include_edge> edges;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const auto end = text.find('\n');
    std::string_view l = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const auto start = l.find_first_not_of(" \t");
    if (start == std::string_view::npos || !l.substr(start).starts_with("#include")) continue;
    l.remove_prefix(start + 8);
    const auto open = l.find_first_of("\"<");
    if (open == std::string_view::npos) continue;
    const char close = l[open] == '"' ? '"' : '>';
    const auto stop = l.find(close, open + 1);
    if (stop == std::string_view::npos) continue;
    std::string target(l.substr(open + 1, stop - open - 1));
    if (close == '>') target = "<" + target + ">";
    edges.push_back({file, line, std::move(target)});
  }
  return edges;
}

std::vector<std::string> check_layers(const layer_map& map, const std::vector<include_edge>& edges) {
  std::vector<std::string> problems;
  auto where = [](const include_edge& e) { return e.from + ":" + std::to_string(e.line) + ": "; };
  std::set<std::string> unknown_reported;
  std::map<std::string, std::vector<const include_edge*>> graph;
  for (const auto& e : edges) {
    const auto from = layer_of(e.from);
    if (!map.allowed.count(from)) {
      if (unknown_reported.insert(from).second) problems.push_back(where(e) + from + " is not in the layer map");
      continue;
    }
    if (map.pure.count(from) && is_asio_or_beast(e.target)) {
      problems.push_back(where(e) + "includes " + e.target + ": " + from + " is a pure codec layer");
      continue;
    }
    const bool in_repo = e.target.starts_with("core/") || e.target.starts_with("cmd/");
    if (!in_repo) continue;
    const auto to = layer_of(e.target);
    if (!reachable(map, from).count(to)) {
      problems.push_back(where(e) + "includes " + e.target + ": " + from + " may not include " + to);
      continue;
    }
    graph[e.from].push_back(&e);
  }

  // File cycles: a depth-first walk; an edge back to a file on the stack closes a circle.
  std::map<std::string, int> state;  // 1 on the stack, 2 done
  std::vector<std::string> stack;
  std::function<void(const std::string&)> visit = [&](const std::string& file) {
    state[file] = 1;
    stack.push_back(file);
    for (const include_edge* e : graph[file]) {
      const int s = state[e->target];
      if (s == 1) {
        std::string circle;
        for (auto it = std::find(stack.begin(), stack.end(), e->target); it != stack.end(); ++it)
          circle += *it + " -> ";
        problems.push_back(where(*e) + "includes " + e->target + ": cycle " + circle + e->target);
      } else if (s == 0) {
        visit(e->target);
      }
    }
    stack.pop_back();
    state[file] = 2;
  };
  std::vector<std::string> files;
  for (const auto& [file, out] : graph) files.push_back(file);
  for (const auto& file : files)
    if (state[file] == 0) visit(file);

  std::sort(problems.begin(), problems.end());
  return problems;
}

}  // namespace sio::test
