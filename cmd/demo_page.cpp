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
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 56rem; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; } form { display: flex; gap: .5rem; margin: .5rem 0; flex-wrap: wrap; align-items: end; }
  label { display: flex; flex-direction: column; font-size: .8rem; color: #555; }
  label.grow { flex: 1; min-width: 12rem; }
  input { font: inherit; color: #222; padding: .3rem .5rem; }
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
<p>Status: <span id="status">connecting&hellip;</span> <span id="sid"></span>
  &middot; Latency: <span id="latency">&ndash;</span></p>
<form id="connection"><label>Namespace <input id="nsp" value="/" size="12"></label>
  <button id="connect">Connect</button><button type="button" id="disconnect">Disconnect</button></form>
<form id="emit"><label>Event <input id="emit-event" value="message" size="12"></label>
  <label class="grow">Arguments (JSON, comma separated) <input id="emit-args" value='"hello"'></label>
  <button>Emit</button></form>
<form id="broadcast"><label>Event <input id="broadcast-event" value="chat" size="12"></label>
  <label class="grow">Arguments <input id="broadcast-args" value='"hello everyone"'></label>
  <button>Broadcast</button></form>
<form id="rooms"><label>Room <input id="room" value="room1" size="12"></label>
  <button id="join">Join room</button><button type="button" id="leave">Leave room</button>
  <button type="button" id="close-room">Close room</button></form>
<form id="room-send"><label>Event for the room <input id="room-event" value="chat" size="12"></label>
  <label class="grow">Arguments <input id="room-args" value='"hello room"'></label>
  <button>Send to room</button></form>
<div id="log" aria-live="polite"></div>
__CLIENT_SCRIPT__
<script>
  const $ = (id) => document.getElementById(id);
  const log = (cls, text) => {
    const line = document.createElement("div");
    line.className = cls;
    line.textContent = new Date().toISOString().slice(11, 23) + "  " + text;
    $("log").appendChild(line);
    $("log").scrollTop = $("log").scrollHeight;
  };
  const parseArgs = (text) => { try { return JSON.parse("[" + text + "]"); } catch (e) { return [text]; } };
  const onSubmit = (id, handler) => $(id).addEventListener("submit", (e) => { e.preventDefault(); handler(); });
  const onClick = (id, handler) => $(id).addEventListener("click", handler);
  if (typeof io === "undefined") {
    $("missing").style.display = "block";
    $("status").textContent = "no client bundle";
  } else {
    let socket = null;
    const showTransport = () => {
      $("sid").textContent = "(" + socket.nsp + ", " + socket.id + ", " + socket.io.engine.transport.name + ")";
    };
    // A new connection to the namespace in the field (the previous one is closed).
    const connect = () => {
      if (socket) { socket.removeAllListeners(); socket.offAny(); socket.disconnect(); }
      const nsp = $("nsp").value.trim() || "/";
      $("status").textContent = "connecting\u2026";
      $("latency").textContent = "\u2013";
      const s = io(nsp.startsWith("/") ? nsp : "/" + nsp, { path: "__PATH__", forceNew: true });
      socket = window.sioSocket = s;
      s.on("connect", () => {
        $("status").textContent = "connected";
        showTransport();
        log("sys", "connected to " + s.nsp + " as " + s.id);
      });
      s.io.on("open", () => s.io.engine.on("upgrade", (t) => {
        log("sys", "upgraded to " + t.name);
        if (s.connected) showTransport();
      }));
      s.on("disconnect", (reason) => {
        $("status").textContent = "disconnected";
        $("latency").textContent = "\u2013";
        log("sys", "disconnected: " + reason);
      });
      s.on("connect_error", (err) => log("err", "connect_error: " + err.message));
      s.onAny((event, ...args) => log("in", "<- " + event + " " + JSON.stringify(args)));
    };
    // Round trip of an acked `ping` (sio serve answers it in every mode), once a second.
    setInterval(() => {
      if (!socket || !socket.connected) return;
      const s = socket, sent = performance.now();
      s.emit("ping", () => { if (s === socket) $("latency").textContent = (performance.now() - sent).toFixed(1) + " ms"; });
    }, 1000);
    onSubmit("connection", connect);
    onClick("disconnect", () => socket.disconnect());
    onSubmit("emit", () => {
      const event = $("emit-event").value, args = parseArgs($("emit-args").value);
      socket.emit(event, ...args);
      log("out", "-> " + event + " " + JSON.stringify(args));
    });
    onSubmit("broadcast", () => {
      const event = $("broadcast-event").value, args = parseArgs($("broadcast-args").value);
      socket.emit("broadcast", event, ...args, (n) => log("sys", "broadcast reached " + n + " other socket(s)"));
      log("out", "-> broadcast " + event + " " + JSON.stringify(args));
    });
    const rooms = (verb) => socket.emit(verb, $("room").value, (rooms) => log("sys", "rooms: " + JSON.stringify(rooms)));
    onSubmit("rooms", () => rooms("join"));
    onClick("leave", () => rooms("leave"));
    onClick("close-room", () => {
      const room = $("room").value;
      socket.emit("close-room", room, (n) => log("sys", "closed " + room + ": " + n + " socket(s) left it"));
    });
    onSubmit("room-send", () => {
      const room = $("room").value, event = $("room-event").value, args = parseArgs($("room-args").value);
      socket.emit("to", room, event, ...args, (n) => log("sys", "sent to " + room + ": reached " + n + " socket(s)"));
      log("out", "-> " + room + ": " + event + " " + JSON.stringify(args));
    });
    connect();
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
