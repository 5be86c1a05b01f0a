#!/usr/bin/env node
// Node socket.io 4.8 peer for tests/client/client_test.py.
//
//   node node_server.js [--port 0] [--ping-interval MS] [--ping-timeout MS] [--cert FILE --key FILE] [--id TEXT]
//
// Prints `node_server: listening on PORT` on stderr once it listens (https when --cert/--key are given),
// and the Engine.IO life of connections made with a `tag` query parameter (see io.engine below).
// SIGTERM/SIGINT exit at once, dropping every connection (the client sees the server vanish).
//
// Namespaces `/`, `/custom` and `/private` (the last behind an auth middleware: auth {token:"ok"} passes,
// anything else gets an Error "not authorized" with data {reason:"bad token"}). Any other namespace is
// refused by socket.io itself ("Invalid namespace"). In each namespace:
//   never-ack ...        nothing happens (an ack asked for never comes)
//   binary               emits `bin` with a Buffer 00 01 02 fe ff, then acks "sent" if asked
//   shout ARGS...        sends `news` ARGS... to every socket of the namespace (sender included), acks if asked
//   handshake            acks (or emits `handshake`) {headers, query, auth, nsp}
//   whoami               acks (or emits `iam`) with [--id, namespace]
//   later MS ARGS...     acks (or emits `later`) with MS ARGS... after MS milliseconds
//   watch-upgrade        emits `upgraded` with the transport name once the connection runs on WebSocket
//   ask-others MS EVENT ARGS...  socket.broadcast.timeout(MS).emit(EVENT, ARGS..., cb): every other socket of the
//                        namespace is asked for an ack; acks (or emits `asked`) {timedOut, responses}
//   ask-me MS EVENT ARGS...  socket.timeout(MS).emit(EVENT, ARGS..., cb): the sender is asked for an ack;
//                        acks (or emits `asked-me`) {timedOut, answers}, every argument of its answer
//   anything else        acked with its arguments if an ack is asked for, else sent back under its own name
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const https = require("node:https");
const path = require("node:path");
const { Server } = require(path.join(__dirname, "..", "interop", "node_modules", "socket.io"));

const opts = { port: 0, pingInterval: 25000, pingTimeout: 20000, cert: null, key: null, id: String(process.pid) };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const flag = argv[i];
  const value = argv[++i];
  if (value === undefined) {
    process.stderr.write(`node_server: ${flag} needs a value\n`);
    process.exit(2);
  }
  switch (flag) {
    case "--port": opts.port = Number(value); break;
    case "--ping-interval": opts.pingInterval = Number(value); break;
    case "--ping-timeout": opts.pingTimeout = Number(value); break;
    case "--cert": opts.cert = value; break;
    case "--key": opts.key = value; break;
    case "--id": opts.id = value; break;
    default:
      process.stderr.write(`node_server: unknown argument '${flag}'\n`);
      process.exit(2);
  }
}

const server = opts.cert
  ? https.createServer({ cert: fs.readFileSync(opts.cert), key: fs.readFileSync(opts.key) })
  : http.createServer();
const io = new Server(server, { pingInterval: opts.pingInterval, pingTimeout: opts.pingTimeout });

function handle(socket) {
  socket.onAny((event, ...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    const reply = (name, ...values) => (ack ? ack(...values) : socket.emit(name, ...values));
    switch (event) {
      case "never-ack":
        return;
      case "binary":
        socket.emit("bin", Buffer.from([0, 1, 2, 0xfe, 0xff]));
        if (ack) ack("sent");
        return;
      case "shout":
        socket.nsp.emit("news", ...args);
        if (ack) ack("shouted");
        return;
      case "handshake":
        return reply("handshake", {
          headers: socket.handshake.headers,
          query: socket.handshake.query,
          auth: socket.handshake.auth,
          nsp: socket.nsp.name,
        });
      case "whoami":
        return reply("iam", opts.id, socket.nsp.name);
      case "later":
        setTimeout(() => reply("later", ...args), Number(args[0]) || 0);
        return;
      case "ask-others": {
        const [ms, name, ...rest] = args;
        socket.broadcast.timeout(Number(ms) || 0).emit(name, ...rest,
          (err, responses) => reply("asked", { timedOut: !!err, responses }));
        return;
      }
      case "ask-me": {
        const [ms, name, ...rest] = args;
        socket.timeout(Number(ms) || 0).emit(name, ...rest,
          (err, ...answers) => reply("asked-me", { timedOut: !!err, answers }));
        return;
      }
      case "watch-upgrade": {
        const conn = socket.conn;
        if (conn.transport.name === "websocket") socket.emit("upgraded", "websocket");
        else conn.once("upgrade", (transport) => socket.emit("upgraded", transport.name));
        return;
      }
      default:
        return reply(event, ...args);
    }
  });
}

// Engine.IO's view of connections that carry a `tag` query parameter, for checks of the transports a
// client used: `node_server: engine.io TAG upgrading to websocket`, `... TAG closed on polling: REASON after MS ms` (MS: since the handshake).
io.engine.on("connection", (conn) => {
  const tag = conn.request._query && conn.request._query.tag;
  if (!tag) return;
  const say = (text) => process.stderr.write(`node_server: engine.io ${tag} ${text}\n`);
  const opened = process.hrtime.bigint();
  conn.on("upgrading", (transport) => say(`upgrading to ${transport.name}`));
  conn.on("close", (reason) => {
    const ms = Number(process.hrtime.bigint() - opened) / 1e6;
    say(`closed on ${conn.transport.name}: ${reason} after ${ms.toFixed(1)} ms`);
  });
});

io.of("/").on("connection", handle);
io.of("/custom").on("connection", handle);
const priv = io.of("/private");
priv.use((socket, next) => {
  const auth = socket.handshake.auth || {};
  if (auth.token === "ok") return next();
  const err = new Error("not authorized");
  err.data = { reason: "bad token" };
  next(err);
});
priv.on("connection", handle);

server.on("error", (err) => {
  process.stderr.write(`node_server: ${err.message}\n`);
  process.exit(1);
});
server.listen(opts.port, "127.0.0.1", () => {
  process.stderr.write(`node_server: listening on ${server.address().port}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
