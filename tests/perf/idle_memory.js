// Memory per idle connection: opens N Engine.IO WebSocket connections (joined to the
// Socket.IO namespace /, answering pings) to a server and prints the server's RSS before
// and after. A benchmark, not a test.
//   node tests/perf/idle_memory.js URL SERVER_PID [N]
const path = require("path");
const fs = require("fs");
const WebSocket = require(path.join(__dirname, "../interop/node_modules/ws"));

const [url, pid, count = "5000"] = process.argv.slice(2);
const n = Number(count);
const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const target = url.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket";

const before = rssKiB();
let open = 0;
const sockets = [];
function connect(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target);
    ws.on("message", (data) => {
      const s = data.toString();
      if (s.startsWith("0")) ws.send("40");
      else if (s.startsWith("40")) resolve();
      else if (s === "2") ws.send("3");
    });
    ws.on("error", reject);
    sockets.push(ws);
  });
}
(async () => {
  for (let i = 0; i < n; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, n - i) }, (_, k) => connect(i + k)));
    open = Math.min(n, i + 200);
  }
  await new Promise((r) => setTimeout(r, 1000));  // let the server settle before reading RSS
  const after = rssKiB();
  console.log(`connections ${open}, server RSS ${before} KiB -> ${after} KiB, ` +
              `${(((after - before) * 1024) / open).toFixed(0)} bytes per idle connection`);
  sockets.forEach((s) => s.terminate());
  process.exit(0);
})().catch((e) => { console.error(e.message); process.exit(1); });
