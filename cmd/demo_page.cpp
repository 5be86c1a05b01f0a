#include "cmd/demo_page.hpp"

#include <string_view>

namespace sio::cmd {

namespace {

constexpr const char* page = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sio serve</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 52rem; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; } form { display: flex; gap: .5rem; margin: .5rem 0; flex-wrap: wrap; }
  input { font: inherit; padding: .3rem .5rem; } input.args { flex: 1; min-width: 12rem; }
  button { font: inherit; padding: .3rem .9rem; cursor: pointer; }
  #status { font-weight: 600; } #log { border: 1px solid #ccc; border-radius: 4px; padding: .5rem; height: 22rem;
  overflow-y: auto; font: 13px/1.5 ui-monospace, monospace; white-space: pre-wrap; background: #fafafa; }
  .in { color: #05a; } .out { color: #555; } .sys { color: #a50; } .err { color: #c00; }
  #missing { display: none; border: 1px solid #c00; padding: .8rem; background: #fee; }
</style>
</head>
<body>
<h1>sio serve &mdash; demo</h1>
<div id="missing">__MISSING__</div>
<p>Status: <span id="status">connecting&hellip;</span> <span id="sid"></span></p>
<form id="emit"><input id="emit-event" value="message" size="12" aria-label="event">
  <input id="emit-args" class="args" value='"hello"' aria-label="arguments (JSON, comma separated)">
  <button>Emit</button></form>
<form id="broadcast"><input id="broadcast-event" value="chat" size="12" aria-label="event">
  <input id="broadcast-args" class="args" value='"hello everyone"' aria-label="arguments">
  <button>Broadcast</button></form>
<form id="join"><input id="room" value="room1" size="12" aria-label="room"><button>Join room</button></form>
<div id="log" aria-live="polite"></div>
__CLIENT_SCRIPT__
<script>
  const log = (cls, text) => {
    const line = document.createElement("div");
    line.className = cls;
    line.textContent = new Date().toISOString().slice(11, 23) + "  " + text;
    const box = document.getElementById("log");
    box.appendChild(line);
    box.scrollTop = box.scrollHeight;
  };
  const parseArgs = (text) => { try { return JSON.parse("[" + text + "]"); } catch (e) { return [text]; } };
  if (typeof io === "undefined") {
    document.getElementById("missing").style.display = "block";
    document.getElementById("status").textContent = "no client bundle";
  } else {
    const socket = io({ path: "__PATH__" });
    window.sioSocket = socket;
    const showTransport = () => {
      document.getElementById("sid").textContent = "(" + socket.id + ", " + socket.io.engine.transport.name + ")";
    };
    socket.on("connect", () => {
      document.getElementById("status").textContent = "connected";
      showTransport();
      log("sys", "connected as " + socket.id);
    });
    socket.io.on("open", () => socket.io.engine.on("upgrade", (t) => {
      log("sys", "upgraded to " + t.name);
      if (socket.connected) showTransport();
    }));
    socket.on("disconnect", (reason) => { document.getElementById("status").textContent = "disconnected"; log("sys", "disconnected: " + reason); });
    socket.on("connect_error", (err) => log("err", "connect_error: " + err.message));
    socket.onAny((event, ...args) => log("in", "<- " + event + " " + JSON.stringify(args)));
    document.getElementById("emit").addEventListener("submit", (e) => {
      e.preventDefault();
      const event = document.getElementById("emit-event").value;
      const args = parseArgs(document.getElementById("emit-args").value);
      socket.emit(event, ...args);
      log("out", "-> " + event + " " + JSON.stringify(args));
    });
    document.getElementById("broadcast").addEventListener("submit", (e) => {
      e.preventDefault();
      const event = document.getElementById("broadcast-event").value;
      const args = parseArgs(document.getElementById("broadcast-args").value);
      socket.emit("broadcast", event, ...args, (n) => log("sys", "broadcast reached " + n + " other socket(s)"));
      log("out", "-> broadcast " + event + " " + JSON.stringify(args));
    });
    document.getElementById("join").addEventListener("submit", (e) => {
      e.preventDefault();
      const room = document.getElementById("room").value;
      socket.emit("join", room, (rooms) => log("sys", "rooms: " + JSON.stringify(rooms)));
    });
  }
</script>
</body>
</html>
)HTML";

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

// What #missing says: why the page cannot connect, and how to fix it.
constexpr std::string_view not_built_in =
    "This <code>sio</code> was built without the socket.io client bundle, so this page cannot connect. "
    "In the sio source tree, run <code>bash .ci/deps.sh demo</code> (it installs the npm "
    "<code>socket.io-client</code> package) and rebuild <code>sio</code>.";
constexpr std::string_view not_loaded =
    "The socket.io client bundle (<code>__PATH__socket.io.min.js</code>) did not load, so this page cannot "
    "connect.";

}  // namespace

void add_demo_files(std::map<std::string, server::static_file>& files, const std::string& engine_path,
                    std::span<const embedded_file> bundle) {
  std::string path = engine_path;
  if (path.empty() || path.back() != '/') path += '/';
  const bool built_in = !bundle.empty();
  std::string html = replace_all(page, "__MISSING__", built_in ? not_loaded : not_built_in);
  html = replace_all(html, "__CLIENT_SCRIPT__", built_in ? R"(<script src="__PATH__socket.io.min.js"></script>)" : "");
  files["/"] = {"text/html; charset=utf-8", replace_all(html, "__PATH__", path)};
  for (const auto& f : bundle) {
    const bool map = f.name.ends_with(".map");
    files[path + std::string(f.name)] = {map ? "application/json" : "application/javascript; charset=utf-8",
                                         std::string(f.bytes)};
  }
}

void add_demo_files(std::map<std::string, server::static_file>& files, const std::string& engine_path) {
  add_demo_files(files, engine_path, client_bundle());
}

}  // namespace sio::cmd
