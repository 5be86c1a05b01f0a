// The Node comparison load generator: N socket.io-client sockets, each emitting an event with
// an ack in a closed loop over WebSocket for D seconds, against any echo server. Prints one
// JSON line: messages acknowledged, messages per second, CPU seconds the generator used and
// messages per second per core of generator CPU. A benchmark, not a test.
//   node tests/perf/node_bench.js URL [CLIENTS] [SECONDS] [PAYLOAD_BYTES] [PIPELINE]
// PIPELINE: emits in flight per socket (default 1), as `sio bench --pipeline`.
"use strict";
const path = require("path");
const { io } = require(path.join(__dirname, "../interop/node_modules/socket.io-client"));

const [url, clients = "50", seconds = "5", payloadBytes = "32", pipeline = "1"] = process.argv.slice(2);
const n = Number(clients);
const payload = "x".repeat(Number(payloadBytes));
let acked = 0;
let measuring = false;
let stopping = false;

function loop(socket) {
  if (stopping) return;
  socket.emit("echo", payload, () => {
    if (measuring) acked++;
    loop(socket);
  });
}

const sockets = [];
let connected = 0;
for (let i = 0; i < n; i++) {
  const s = io(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  s.on("connect_error", (e) => {
    console.error(`connect_error: ${e.message}`);
    process.exit(1);
  });
  s.once("connect", () => {
    if (++connected === n) start();
  });
  sockets.push(s);
}

function start() {
  for (let i = 0; i < Number(pipeline); i++) sockets.forEach(loop);
  setTimeout(() => {  // one second of warm-up before measuring
    measuring = true;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    setTimeout(() => {
      measuring = false;
      stopping = true;
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      console.log(JSON.stringify({
        generator: "node socket.io-client",
        clients: n,
        received: acked,
        throughput: acked / wall,
        cpu_s: cpuSeconds,
        per_core: acked / cpuSeconds,
      }));
      sockets.forEach((s) => s.close());
      process.exit(0);
    }, Number(seconds) * 1000);
  }, 1000);
}
