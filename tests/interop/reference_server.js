#!/usr/bin/env node
// Reference server for the interop harness: npm socket.io 4.8 (and its engine.io) running the same modes
// and flags as `sio serve`, so the suites can be validated against it and benchmarks can run side by side.
//
//   node reference_server.js [--host 127.0.0.1] [--port 0] [--path /socket.io/] [--mode echo|broadcast|eio-echo]
//                            [--namespace NSP]... [--ping-interval MS] [--ping-timeout MS]
//                            [--max-payload BYTES] [--cors ORIGIN] [--redis URL] [--redis-adapter classic|sharded]
// --redis joins a cluster through @socket.io/redis-adapter 8 (classic pub/sub, or with --redis-adapter sharded
// createShardedAdapter over Redis 7 sharded pub/sub, subscriptionMode "dynamic"); the server also answers
// the server-side event "hello-servers" with "ack-from-PORT", for cluster tests.
//
// On start it prints exactly one line on stderr, `listening on http://HOST:PORT/`, with the real port.
// SIGTERM/SIGINT close every session and exit 0. Usage errors exit 2, a failure to listen exits 1.
"use strict";

const http = require("node:http");
const { createRequire } = require("node:module");
const { Server } = require("socket.io");

const USAGE =
  "usage: node reference_server.js [--host HOST] [--port PORT] [--path PATH] [--mode echo|broadcast|eio-echo]\n" +
  "       [--namespace NSP]... [--ping-interval MS] [--ping-timeout MS] [--max-payload BYTES] [--cors ORIGIN]\n" +
  "       [--redis URL] [--redis-adapter classic|sharded]";

function usage(message) {
  process.stderr.write(`reference_server: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    host: "127.0.0.1",
    port: 0,
    path: "/socket.io/",
    mode: "echo",
    namespaces: [],
    pingInterval: 25000,
    pingTimeout: 20000,
    maxPayload: 1e6,
    cors: null,
    redis: null,
    redisAdapter: "classic",
  };
  const integer = (flag, value, min) => {
    if (!/^\d+$/.test(value)) usage(`${flag} expects a non-negative integer, got '${value}'`);
    const n = Number(value);
    if (n < min) usage(`${flag} must be at least ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value;
    const eq = flag.indexOf("=");
    if (flag.startsWith("--") && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (flag === "-h" || flag === "--help") {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    }
    const known = ["--host", "--port", "--path", "--mode", "--namespace", "--ping-interval", "--ping-timeout",
      "--max-payload", "--cors", "--redis", "--redis-adapter"];
    if (!known.includes(flag)) usage(`unknown argument '${argv[i]}'`);
    if (value === undefined) {
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      value = argv[++i];
    }
    switch (flag) {
      case "--host": opts.host = value; break;
      case "--port": opts.port = integer(flag, value, 0); if (opts.port > 65535) usage("--port must be at most 65535"); break;
      case "--path":
        if (!value.startsWith("/")) usage("--path must start with '/'");
        opts.path = value;
        break;
      case "--mode":
        if (!["echo", "broadcast", "eio-echo"].includes(value)) usage(`unknown mode '${value}'`);
        opts.mode = value;
        break;
      case "--namespace":
        if (!value.startsWith("/")) usage("--namespace must start with '/'");
        if (!opts.namespaces.includes(value)) opts.namespaces.push(value);
        break;
      case "--ping-interval": opts.pingInterval = integer(flag, value, 1); break;
      case "--ping-timeout": opts.pingTimeout = integer(flag, value, 1); break;
      case "--max-payload": opts.maxPayload = integer(flag, value, 1); break;
      case "--cors": opts.cors = value; break;
      case "--redis": opts.redis = value; break;
      case "--redis-adapter":
        if (!["classic", "sharded"].includes(value)) usage(`unknown redis adapter '${value}'`);
        opts.redisAdapter = value;
        break;
    }
  }
  return opts;
}

const CONTROL = new Set(["join", "leave", "to", "broadcast"]);

// Rooms the socket is in, without its own id room, sorted.
function roomsOf(socket) {
  return [...socket.rooms].filter((r) => r !== socket.id).sort();
}

// Room names are the string arguments; anything else is ignored.
function roomArgs(args) {
  return args.filter((a) => typeof a === "string");
}

// Handles join/leave/to/broadcast. `args` excludes the event name and the ack callback.
function control(socket, event, args, ack) {
  switch (event) {
    case "join": {
      const rooms = roomArgs(args);
      if (rooms.length) socket.join(rooms);
      if (ack) ack(roomsOf(socket));
      return;
    }
    case "leave": {
      for (const room of roomArgs(args)) socket.leave(room);
      if (ack) ack(roomsOf(socket));
      return;
    }
    case "to": {
      const [room, name, ...rest] = args;
      let count = 0;
      if (typeof room === "string" && typeof name === "string") {
        const members = socket.nsp.adapter.rooms.get(room);
        if (members) count = members.size - (members.has(socket.id) ? 1 : 0);
        try {
          socket.to(room).emit(name, ...rest);
        } catch (err) {
          count = 0; // reserved event name: nothing sent
        }
      }
      if (ack) ack(count);
      return;
    }
    case "broadcast": {
      const [name, ...rest] = args;
      let count = 0;
      if (typeof name === "string") {
        count = socket.nsp.adapter.sids.size - (socket.nsp.adapter.sids.has(socket.id) ? 1 : 0);
        try {
          socket.broadcast.emit(name, ...rest);
        } catch (err) {
          count = 0;
        }
      }
      if (ack) ack(count);
      return;
    }
  }
}

function splitAck(all) {
  const args = all.slice();
  const ack = args.length && typeof args[args.length - 1] === "function" ? args.pop() : null;
  return { args, ack };
}

// Cluster operations for the Redis tests (--redis): they act on the whole cluster through the adapter.
const CLUSTER = {
  "cluster-fetch": async (io) => (await io.fetchSockets()).map((s) => s.id).sort(),
  "cluster-rooms": async (io) => [...(await io.of("/").adapter.allRooms())].sort(),
  "cluster-join": async (io, room) => { io.socketsJoin(room); return true; },
  "cluster-to": async (io, room, event, ...args) => { io.to(room).emit(event, ...args); return true; },
  "cluster-emit": async (io, event, ...args) => io.serverSideEmitWithAck(event, ...args),
  "cluster-disconnect": async (io) => { io.disconnectSockets(true); return true; },
  // A broadcast with acks across the cluster (the asking socket left out): every client's answer,
  // or what came before the timeout.
  "cluster-ack": function (io, ms, exceptRoom, event, ...args) {
    const except = exceptRoom ? [this.id, exceptRoom] : [this.id];
    return new Promise((resolve) => {
      io.except(except).timeout(ms).emit(event, ...args, (err, responses) => resolve({ timedOut: !!err, responses }));
    });
  },
};

function onSocket(mode, socket) {
  if (mode === "echo") socket.emit("auth", socket.handshake.auth ?? {});
  socket.onAny((event, ...all) => {
    const { args, ack } = splitAck(all);
    if (CONTROL.has(event)) return control(socket, event, args, ack);
    if (CLUSTER[event]) {
      CLUSTER[event].call(socket, socket.server, ...args).then(
        (result) => ack && ack(result),
        (err) => ack && ack({ error: err.message }));
      return;
    }
    if (mode === "broadcast") {
      socket.nsp.emit(event, ...args);
      if (ack) ack(...args);
      return;
    }
    if (event === "message") {
      socket.emit("message-back", ...args);
      if (ack) ack(...args);
    } else if (ack) {
      ack(...args);
    } else {
      socket.emit(event, ...args);
    }
  });
}

function startSocketIo(opts, httpServer) {
  const io = new Server(httpServer, {
    path: opts.path,
    pingInterval: opts.pingInterval,
    pingTimeout: opts.pingTimeout,
    maxHttpBufferSize: opts.maxPayload,
    ...(opts.cors !== null ? { cors: { origin: opts.cors } } : {}),
  });
  if (opts.redis) {
    const { createClient } = require("redis");
    const { createAdapter, createShardedAdapter } = require("@socket.io/redis-adapter");
    const pub = createClient({ url: opts.redis });
    const sub = pub.duplicate();
    pub.on("error", () => {});  // reconnects by itself; the tests restart Redis on purpose
    sub.on("error", () => {});
    const adapter = opts.redisAdapter === "sharded" ? () => createShardedAdapter(pub, sub) : () => createAdapter(pub, sub);
    opts.ready = Promise.all([pub.connect(), sub.connect()]).then(() => io.adapter(adapter()));
    io.on("hello-servers", (arg, cb) => cb && cb(`ack-from-${opts.boundPort}`));
  }
  const handler = (socket) => onSocket(opts.mode, socket);
  if (opts.namespaces.length) {
    for (const nsp of opts.namespaces) io.of(nsp).on("connection", handler);
    if (!opts.namespaces.includes("/")) {
      // "/" always exists in socket.io; refuse it the way an undeclared namespace is refused.
      io.of("/").use((socket, next) => next(new Error("Invalid namespace")));
    }
  } else {
    io.of("/").on("connection", handler);
    io.of(/^\/.*$/).on("connection", handler); // any other namespace (dynamic, created on first connect)
  }
  return () => new Promise((resolve) => io.close(() => resolve()));
}

function startEngineIo(opts, httpServer) {
  // The engine.io that socket.io itself depends on.
  const engineIo = createRequire(require.resolve("socket.io"))("engine.io");
  const engine = engineIo.attach(httpServer, {
    path: opts.path,
    pingInterval: opts.pingInterval,
    pingTimeout: opts.pingTimeout,
    maxHttpBufferSize: opts.maxPayload,
    ...(opts.cors !== null ? { cors: { origin: opts.cors } } : {}),
  });
  engine.on("connection", (socket) => {
    socket.on("message", (data) => socket.send(data));
  });
  return () =>
    new Promise((resolve) => {
      engine.close();
      httpServer.close(() => resolve());
    });
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const httpServer = http.createServer();
  const close = opts.mode === "eio-echo" ? startEngineIo(opts, httpServer) : startSocketIo(opts, httpServer);

  httpServer.on("error", (err) => {
    process.stderr.write(`reference_server: ${err.message}\n`);
    process.exit(1);
  });
  (opts.ready ?? Promise.resolve()).then(() => httpServer.listen(opts.port, opts.host, () => {
    const { port } = httpServer.address();
    opts.boundPort = port;
    const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
    process.stderr.write(`listening on http://${host}:${port}/\n`);
  }), (err) => {
    process.stderr.write(`reference_server: redis: ${err.message}\n`);
    process.exit(1);
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2000).unref();
    if (typeof httpServer.closeAllConnections === "function") {
      // Let close() send its close packets first, then drop idle keep-alive connections.
      setImmediate(() => httpServer.closeAllConnections());
    }
    close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main();
