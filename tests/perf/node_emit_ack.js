// The Node equivalent of `sio emit URL EVENT ARG --ack`: connect, emit with an ack, print the
// ack's arguments, disconnect. Used by tests/perf/emit_latency.py as the reference.
const path = require("path");
const { io } = require(path.join(__dirname, "../interop/node_modules/socket.io-client"));

const [url, event, ...args] = process.argv.slice(2);
const socket = io(url, { reconnection: false });
socket.on("connect_error", (err) => {
  console.error(err.message);
  process.exit(1);
});
socket.on("connect", () => {
  socket.emit(event, ...args.map((a) => { try { return JSON.parse(a); } catch { return a; } }), (...reply) => {
    console.log(JSON.stringify(reply));
    socket.disconnect();
    process.exit(0);
  });
});
