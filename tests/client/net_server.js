#!/usr/bin/env node
// Node socket.io 4.8 peer for tests/client/net_test.py: what a server behind the network flags sees.
//
//   node net_server.js [--allow-origin ORIGIN] [--cert FILE --key FILE [--client-ca FILE]]
//
// Prints `net_server: listening on PORT` on stderr once it listens on 127.0.0.1 (https with --cert/--key).
// --allow-origin: allowRequest refuses every handshake (polling and WebSocket) whose Origin header is not ORIGIN.
// --client-ca: mutual TLS: the server asks for a client certificate and refuses a connection without one
// signed by (or equal to) FILE (requestCert, rejectUnauthorized).
// Every event is acked with {origin, client}: the Origin header the handshake carried and the CN of the client
// certificate (null without one); `watch-upgrade` only once the connection runs on WebSocket.
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const https = require("node:https");
const path = require("node:path");
const { Server } = require(path.join(__dirname, "..", "interop", "node_modules", "socket.io"));

const opts = { allowOrigin: null, cert: null, key: null, clientCa: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const [flag, value] = [argv[i], argv[i + 1]];
  const key = { "--allow-origin": "allowOrigin", "--cert": "cert", "--key": "key", "--client-ca": "clientCa" }[flag];
  if (!key || value === undefined) {
    process.stderr.write(`net_server: bad argument '${flag}'\n`);
    process.exit(2);
  }
  opts[key] = value;
}

const tls = opts.cert && {
  cert: fs.readFileSync(opts.cert),
  key: fs.readFileSync(opts.key),
  ...(opts.clientCa && { ca: fs.readFileSync(opts.clientCa), requestCert: true, rejectUnauthorized: true }),
};
const server = tls ? https.createServer(tls) : http.createServer();
const io = new Server(server, {
  allowRequest: (req, callback) => {
    if (opts.allowOrigin === null || req.headers.origin === opts.allowOrigin) return callback(null, true);
    callback("origin not allowed", false);
  },
});

io.on("connection", (socket) => {
  socket.onAny((event, ...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    const peer = socket.request.socket.getPeerCertificate ? socket.request.socket.getPeerCertificate() : null;
    const answer = { origin: socket.handshake.headers.origin || null, client: (peer && peer.subject && peer.subject.CN) || null };
    if (!ack) return;
    if (event !== "watch-upgrade" || socket.conn.transport.name === "websocket") return ack(answer);
    socket.conn.once("upgrade", () => ack(answer));
  });
});

server.on("error", (err) => {
  process.stderr.write(`net_server: ${err.message}\n`);
  process.exit(1);
});
server.listen(0, "127.0.0.1", () => process.stderr.write(`net_server: listening on ${server.address().port}\n`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
