#!/usr/bin/env node
// socket.io-client 4.8 checks against a server in echo mode (default) or broadcast mode (--mode broadcast), and
// engine.io-client 6.6 checks against a server in eio-echo mode (--mode eio-echo; path default /engine.io/).
//
//   node client_suite.js URL [--transport polling|websocket|upgrade] [--path PATH]
//                            [--mode echo|broadcast|eio-echo] [--only NAME[,NAME...]] [--timeout MS] [--list]
//
// Prints `ok NAME` or `FAIL NAME: reason` per check, then `N passed, M failed`; exits 0 iff all passed
// (2 on a usage error). Every wait is bounded by the check's timeout; nothing sleeps to synchronise:
// "X received nothing" is proven by a round trip on X's own connection after the server has answered.
"use strict";

const assert = require("node:assert/strict");
const { Manager } = require("socket.io-client");
const eio = require("engine.io-client");

const USAGE =
  "usage: node client_suite.js URL [--transport polling|websocket|upgrade] [--path PATH]\n" +
  "       [--mode echo|broadcast|eio-echo] [--only NAME[,NAME...]] [--timeout MS] [--list]";

function usage(message) {
  process.stderr.write(`client_suite: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { url: null, transport: "polling", path: null, mode: "echo", only: null, timeout: 5000, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case "--transport":
        opts.transport = value();
        if (!["polling", "websocket", "upgrade"].includes(opts.transport)) usage(`unknown transport '${opts.transport}'`);
        break;
      case "--path": opts.path = value(); break;
      case "--mode":
        opts.mode = value();
        if (!["echo", "broadcast", "eio-echo"].includes(opts.mode)) usage(`unknown mode '${opts.mode}'`);
        break;
      case "--only": opts.only = value().split(",").filter(Boolean); break;
      case "--timeout":
        opts.timeout = Number(value());
        if (!Number.isInteger(opts.timeout) || opts.timeout <= 0) usage("--timeout expects a positive integer (ms)");
        break;
      case "--list": opts.list = true; break;
      case "-h":
      case "--help":
        process.stdout.write(USAGE + "\n");
        process.exit(0);
        break;
      default:
        if (arg.startsWith("-") || opts.url !== null) usage(`unexpected argument '${arg}'`);
        opts.url = arg.replace(/\/+$/, "");
    }
  }
  if (opts.url === null && !opts.list) usage("missing URL");
  if (opts.path === null) opts.path = opts.mode === "eio-echo" ? "/engine.io/" : "/socket.io/";
  return opts;
}

const OPTS = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------------------------------------------
// Plumbing

class Timeout extends Error {}

// Every received event of one socket, in order, so a check can wait for the next one by name.
class Inbox {
  constructor(socket) {
    this.events = []; // [name, args]
    this.waiters = [];
    socket.onAny((name, ...args) => {
      this.events.push([name, args]);
      this.waiters = this.waiters.filter((w) => !w.poll());
    });
  }

  // Resolves with the args of the first not yet taken event called `name`.
  next(name, ctx, what = `event '${name}'`) {
    return new Promise((resolve, reject) => {
      const waiter = {
        poll: () => {
          const i = this.events.findIndex(([n]) => n === name);
          if (i < 0) return false;
          const [, args] = this.events.splice(i, 1)[0];
          clearTimeout(waiter.timer);
          resolve(args);
          return true;
        },
      };
      if (waiter.poll()) return;
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Timeout(`timed out waiting for ${what}`));
      }, ctx.remaining());
      this.waiters.push(waiter);
    });
  }

  count(name) {
    return this.events.filter(([n]) => n === name).length;
  }

  names() {
    return this.events.map(([n]) => n);
  }
}

function transportOptions() {
  switch (OPTS.transport) {
    case "polling": return { transports: ["polling"] };
    case "websocket": return { transports: ["websocket"] };
    default: return { transports: ["polling", "websocket"], upgrade: true };
  }
}

class Context {
  constructor(timeout) {
    this.deadline = Date.now() + timeout;
    this.sockets = [];
    this.managers = [];
  }

  // A namespace of its own for a check that counts sockets or uses rooms: sockets of earlier checks may still
  // be connected on the server side for a moment after the client closed them.
  fresh(base) {
    Context.serial = (Context.serial || 0) + 1;
    return `${base}-${process.pid}-${Context.serial}`;
  }

  remaining() {
    return Math.max(1, this.deadline - Date.now());
  }

  manager() {
    const m = new Manager(OPTS.url, {
      path: OPTS.path,
      reconnection: false,
      autoConnect: false,
      timeout: this.remaining(),
      ...transportOptions(),
    });
    m.on("open", () => {
      if (m.initialTransport === undefined) m.initialTransport = m.engine.transport.name;
    });
    this.managers.push(m);
    return m;
  }

  // A connected socket on `nsp` with its inbox. `manager` multiplexes several namespaces on one connection.
  async connect(nsp = "/", { auth, manager } = {}) {
    const m = manager ?? this.manager();
    const socket = m.socket(nsp, auth === undefined ? {} : { auth });
    const inbox = new Inbox(socket);
    this.sockets.push(socket);
    await this.connected(socket, nsp);
    return { socket, inbox, manager: m };
  }

  connected(socket, what = socket.nsp) {
    return new Promise((resolve, reject) => {
      const done = (fn) => (arg) => {
        clearTimeout(timer);
        socket.off("connect", onConnect);
        socket.off("connect_error", onError);
        fn(arg);
      };
      const onConnect = done(() => resolve());
      const onError = done((err) => reject(new Error(`connect_error on ${what}: ${err && err.message}`)));
      const timer = setTimeout(() => {
        socket.off("connect", onConnect);
        socket.off("connect_error", onError);
        reject(new Timeout(`timed out connecting to ${what}`));
      }, this.remaining());
      socket.on("connect", onConnect);
      socket.on("connect_error", onError);
      socket.connect();
    });
  }

  // Emits with an ack callback and resolves with every ack argument.
  ack(socket, event, ...args) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Timeout(`timed out waiting for the ack of '${event}'`)), this.remaining());
      socket.emit(event, ...args, (...reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  close() {
    for (const s of this.sockets) s.disconnect();
    for (const m of this.managers) if (m.engine) m.engine.close();
    for (const s of this.eioSockets || []) s.close();
  }
}

const isBytes = (x) => Buffer.isBuffer(x) || x instanceof ArrayBuffer || ArrayBuffer.isView(x);
const bytes = (x) => [...new Uint8Array(x instanceof ArrayBuffer ? x : x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength))];

// Binary-aware deep equality: a received Buffer/ArrayBuffer equals a sent Buffer with the same bytes.
function assertSame(actual, expected, what) {
  const norm = (v) => {
    if (isBytes(v)) return { $bytes: bytes(v) };
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
    return v;
  };
  try {
    assert.deepStrictEqual(norm(actual), norm(expected));
  } catch {
    throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function show(v) {
  const s = JSON.stringify(v, (k, x) => (x && x.type === "Buffer" && Array.isArray(x.data) ? `<bytes ${x.data}>` : x));
  return s === undefined ? String(v) : s.length > 200 ? s.slice(0, 200) + "..." : s;
}

function assertBinary(value, what) {
  if (!isBytes(value)) throw new Error(`${what}: expected binary, got ${show(value)}`);
}

// Proves `inbox` got no `name` so far: the server answers a round trip on that connection after anything
// it had already sent on it.
async function assertNothing(ctx, socket, inbox, name, who) {
  if (OPTS.mode === "broadcast") {
    await ctx.ack(socket, "sync-probe"); // acked after the broadcast of sync-probe itself
  } else {
    await ctx.ack(socket, "sync-probe", 0);
  }
  const n = inbox.count(name);
  if (n) throw new Error(`${who} received '${name}' ${n} time(s) but should not have`);
}

// ---------------------------------------------------------------------------------------------------------------
// Echo-mode checks

const echoChecks = [];
const check = (list, name, fn) => list.push({ name, fn });

check(echoChecks, "auth", async (ctx) => {
  const { inbox } = await ctx.connect("/", { auth: { token: "abc" } });
  const args = await inbox.next("auth", ctx);
  assertSame(args, [{ token: "abc" }], "auth event");
});

check(echoChecks, "auth-empty", async (ctx) => {
  const { inbox } = await ctx.connect("/");
  const args = await inbox.next("auth", ctx);
  assertSame(args, [{}], "auth event without auth");
});

check(echoChecks, "message-back", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  socket.emit("message", 1, "2", { 3: [true] });
  assertSame(await inbox.next("message-back", ctx), [1, "2", { 3: [true] }], "message-back");
  if (inbox.count("message")) throw new Error("'message' was echoed under its own name too");
});

check(echoChecks, "message-ack", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  const reply = await ctx.ack(socket, "message", "x", { y: null });
  assertSame(reply, ["x", { y: null }], "ack of message");
  assertSame(await inbox.next("message-back", ctx), ["x", { y: null }], "message-back with ack");
});

check(echoChecks, "ack", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  assertSame(await ctx.ack(socket, "anything", "a", 1), ["a", 1], "ack arguments");
  const first = await socket.timeout(ctx.remaining()).emitWithAck("anything", "a", 1);
  assertSame(first, "a", "emitWithAck result");
  assertSame(await ctx.ack(socket, "anything"), [], "ack of an event without arguments");
  await assertNothing(ctx, socket, inbox, "anything", "sender of an acked event");
});

check(echoChecks, "echo", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  socket.emit("ping-me", "a", 2, [3], { four: 4 }, null, false);
  assertSame(await inbox.next("ping-me", ctx), ["a", 2, [3], { four: 4 }, null, false], "echoed event");
  socket.emit("no-args");
  assertSame(await inbox.next("no-args", ctx), [], "echoed event without arguments");
});

check(echoChecks, "unicode", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  const text = "héllo wörld ✓ \u{1F600} \u2028 \u001e \"quoted\" \\ /";
  socket.emit("message", text, { [text]: text });
  assertSame(await inbox.next("message-back", ctx), [text, { [text]: text }], "unicode round trip");
});

check(echoChecks, "binary", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  socket.emit("bin", Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) });
  const args = await inbox.next("bin", ctx);
  assertSame(args, [Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) }], "binary echo");
  assertBinary(args[0], "first argument");
  assertBinary(args[1].nested, "nested argument");
});

check(echoChecks, "binary-message-back", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  const sent = ["t", Buffer.from([0, 255]), [Buffer.alloc(0), Buffer.from("xyz")]];
  socket.emit("message", ...sent);
  assertSame(await inbox.next("message-back", ctx), sent, "binary message-back");
});

check(echoChecks, "binary-ack", async (ctx) => {
  const { socket } = await ctx.connect("/");
  const reply = await ctx.ack(socket, "binack", Buffer.from([1, 2, 3]), "x", { deep: [Buffer.from([9, 8])] });
  assertSame(reply, [Buffer.from([1, 2, 3]), "x", { deep: [Buffer.from([9, 8])] }], "binary ack");
  assertBinary(reply[0], "first ack argument");
});

check(echoChecks, "large", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  const text = "x".repeat(200 * 1024);
  const blob = Buffer.alloc(256 * 1024, 7);
  socket.emit("message", text, blob);
  const args = await inbox.next("message-back", ctx);
  if (args[0] !== text) throw new Error(`large string came back with length ${args[0] && args[0].length}`);
  assertBinary(args[1], "large binary");
  if (!Buffer.from(args[1]).equals(blob)) throw new Error("large binary came back different");
});

check(echoChecks, "burst", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/");
  const n = 100;
  const acks = [];
  for (let i = 0; i < n; i++) {
    acks.push(ctx.ack(socket, "burst-ack", i, i % 3 ? `s${i}` : Buffer.from([i])));
    socket.emit("burst", i);
  }
  const replies = await Promise.all(acks);
  replies.forEach((r, i) => assertSame(r, [i, i % 3 ? `s${i}` : Buffer.from([i])], `ack ${i}`));
  for (let i = 0; i < n; i++) assertSame(await inbox.next("burst", ctx), [i], `echo ${i} in order`);
});

check(echoChecks, "namespace-custom", async (ctx) => {
  const { socket, inbox } = await ctx.connect("/custom", { auth: { token: "xyz", n: 1 } });
  if (socket.nsp !== "/custom") throw new Error(`socket.nsp is ${socket.nsp}`);
  assertSame(await inbox.next("auth", ctx), [{ token: "xyz", n: 1 }], "auth event on /custom");
  socket.emit("message", "in-custom");
  assertSame(await inbox.next("message-back", ctx), ["in-custom"], "message-back on /custom");
  assertSame(await ctx.ack(socket, "q", Buffer.from([5])), [Buffer.from([5])], "binary ack on /custom");
});

check(echoChecks, "multiplex", async (ctx) => {
  const manager = ctx.manager();
  const names = ["/", "/a", "/b/c"];
  const conns = [];
  for (const nsp of names) conns.push(await ctx.connect(nsp, { manager, auth: { nsp } }));
  const engine = manager.engine;
  for (const c of conns) if (c.socket.io.engine !== engine) throw new Error("sockets do not share one engine");
  const ids = new Set(conns.map((c) => c.socket.id));
  if (ids.size !== names.length) throw new Error(`socket ids are not distinct: ${[...ids]}`);
  for (const [i, c] of conns.entries()) assertSame(await c.inbox.next("auth", ctx), [{ nsp: names[i] }], `auth on ${names[i]}`);
  conns.forEach((c, i) => c.socket.emit("where", names[i]));
  for (const [i, c] of conns.entries()) {
    assertSame(await c.inbox.next("where", ctx), [names[i]], `echo on ${names[i]}`);
    assertSame(await ctx.ack(c.socket, "which", i), [i], `ack on ${names[i]}`);
  }
  for (const [i, c] of conns.entries()) {
    if (c.inbox.count("where")) throw new Error(`${names[i]} received another namespace's echo`);
  }
  // Leaving one namespace keeps the others and the connection.
  conns[1].socket.disconnect();
  assertSame(await ctx.ack(conns[2].socket, "still", "here"), ["here"], "ack after another namespace left");
  if (manager.engine !== engine || engine.readyState !== "open") throw new Error("engine closed when one namespace left");
});

check(echoChecks, "rooms-join-to", async (ctx) => {
  const nsp = ctx.fresh("/rooms");
  const a = await ctx.connect(nsp);
  const b = await ctx.connect(nsp);
  assertSame(await ctx.ack(a.socket, "join", "r1"), [["r1"]], "join ack");
  assertSame(await ctx.ack(a.socket, "join", "r2", "r0"), [["r0", "r1", "r2"]], "join ack with several rooms");
  assertSame(await ctx.ack(b.socket, "to", "r1", "hello", 42), [1], "to ack");
  assertSame(await a.inbox.next("hello", ctx), [42], "room message");
  await assertNothing(ctx, b.socket, b.inbox, "hello", "sender");
  assertSame(await ctx.ack(b.socket, "to", "nobody", "hello", 1), [0], "to an empty room");
  // Binary through a room, and the sender in the room is still excluded.
  assertSame(await ctx.ack(b.socket, "join", "r1"), [["r1"]], "join by B");
  assertSame(await ctx.ack(b.socket, "to", "r1", "bin", Buffer.from([1, 2])), [1], "to ack with binary");
  const got = await a.inbox.next("bin", ctx);
  assertSame(got, [Buffer.from([1, 2])], "binary room message");
  assertBinary(got[0], "binary room message");
  await assertNothing(ctx, b.socket, b.inbox, "bin", "sender inside the room");
  // Without an ack the control event still works and is not echoed.
  a.socket.emit("join", "r3");
  assertSame(await ctx.ack(a.socket, "join"), [["r0", "r1", "r2", "r3"]], "rooms after a join without ack");
  if (a.inbox.count("join")) throw new Error("control event 'join' was echoed");
});

check(echoChecks, "broadcast", async (ctx) => {
  const nsp = ctx.fresh("/rooms");
  const a = await ctx.connect(nsp);
  const b = await ctx.connect(nsp);
  const c = await ctx.connect(nsp);
  const other = await ctx.connect(ctx.fresh("/other"));
  assertSame(await ctx.ack(a.socket, "broadcast", "news", "x", { n: 1 }), [2], "broadcast ack");
  assertSame(await b.inbox.next("news", ctx), ["x", { n: 1 }], "broadcast to B");
  assertSame(await c.inbox.next("news", ctx), ["x", { n: 1 }], "broadcast to C");
  await assertNothing(ctx, a.socket, a.inbox, "news", "broadcast sender");
  await assertNothing(ctx, other.socket, other.inbox, "news", "socket of another namespace");
  b.socket.emit("broadcast", "bnews", Buffer.from([7]));
  const got = await a.inbox.next("bnews", ctx);
  assertBinary(got[0], "binary broadcast");
  assertSame(got, [Buffer.from([7])], "binary broadcast without ack");
});

check(echoChecks, "leave", async (ctx) => {
  const nsp = ctx.fresh("/rooms");
  const a = await ctx.connect(nsp);
  const b = await ctx.connect(nsp);
  assertSame(await ctx.ack(a.socket, "join", "r1", "r2"), [["r1", "r2"]], "join ack");
  assertSame(await ctx.ack(a.socket, "leave", "r1"), [["r2"]], "leave ack");
  assertSame(await ctx.ack(b.socket, "to", "r1", "hello", 1), [0], "to a room A left");
  await assertNothing(ctx, a.socket, a.inbox, "hello", "socket that left the room");
  assertSame(await ctx.ack(b.socket, "to", "r2", "hello", 2), [1], "to a room A is still in");
  assertSame(await a.inbox.next("hello", ctx), [2], "message to the remaining room");
  assertSame(await ctx.ack(a.socket, "leave", "r2", "never-joined"), [[]], "leave everything");
});

check(echoChecks, "reconnect", async (ctx) => {
  const { socket, inbox, manager } = await ctx.connect("/", { auth: { token: "again" } });
  assertSame(await inbox.next("auth", ctx), [{ token: "again" }], "first auth");
  const firstId = socket.id;
  const reason = await new Promise((resolve) => {
    socket.once("disconnect", resolve);
    socket.disconnect();
  });
  if (reason !== "io client disconnect") throw new Error(`disconnect reason ${reason}`);
  if (manager.engine && manager.engine.readyState === "open") throw new Error("engine still open after the last socket left");
  await ctx.connected(socket, "/ (again)");
  if (!socket.id || socket.id === firstId) throw new Error(`reconnected socket id ${socket.id} (was ${firstId})`);
  assertSame(await inbox.next("auth", ctx), [{ token: "again" }], "auth after reconnect");
  socket.emit("message", "after");
  assertSame(await inbox.next("message-back", ctx), ["after"], "message-back after reconnect");
});

check(echoChecks, "transport", async (ctx) => {
  const { socket, inbox, manager } = await ctx.connect("/");
  const engine = manager.engine;
  if (OPTS.transport !== "upgrade") {
    if (engine.transport.name !== OPTS.transport) throw new Error(`engine transport is ${engine.transport.name}`);
    socket.emit("message", "t");
    await inbox.next("message-back", ctx);
    if (engine.transport.name !== OPTS.transport) throw new Error(`engine transport became ${engine.transport.name}`);
    return;
  }
  // upgrade: starts on polling, probes, and switches to websocket.
  if (manager.initialTransport !== "polling") throw new Error(`engine opened on ${manager.initialTransport}, not polling`);
  if (engine.transport.name !== "websocket") {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Timeout(`no upgrade (transport ${engine.transport.name})`)), ctx.remaining());
      engine.once("upgrade", () => {
        clearTimeout(timer);
        resolve();
      });
      engine.once("upgradeError", (err) => {
        clearTimeout(timer);
        reject(new Error(`upgradeError: ${err && err.message}`));
      });
    });
  }
  if (engine.transport.name !== "websocket") throw new Error(`engine transport is ${engine.transport.name} after upgrade`);
  socket.emit("message", "after-upgrade", Buffer.from([1, 2, 3]));
  assertSame(await inbox.next("message-back", ctx), ["after-upgrade", Buffer.from([1, 2, 3])], "echo after upgrade");
  assertSame(await ctx.ack(socket, "a", { k: Buffer.from([4]) }), [{ k: Buffer.from([4]) }], "binary ack after upgrade");
});

// ---------------------------------------------------------------------------------------------------------------
// Broadcast-mode checks

const broadcastChecks = [];

async function three(ctx, nsp = ctx.fresh("/bc")) {
  return [await ctx.connect(nsp), await ctx.connect(nsp), await ctx.connect(nsp)];
}

check(broadcastChecks, "broadcast-all", async (ctx) => {
  const clients = await three(ctx);
  clients[0].socket.emit("chat", "hi", 1, { x: [true] });
  for (const [i, c] of clients.entries()) assertSame(await c.inbox.next("chat", ctx), ["hi", 1, { x: [true] }], `client ${i}`);
});

check(broadcastChecks, "broadcast-ack", async (ctx) => {
  const clients = await three(ctx);
  assertSame(await ctx.ack(clients[1].socket, "chat", "with-ack", 2), ["with-ack", 2], "ack");
  for (const [i, c] of clients.entries()) assertSame(await c.inbox.next("chat", ctx), ["with-ack", 2], `client ${i}`);
});

check(broadcastChecks, "broadcast-message", async (ctx) => {
  // `message` has no special meaning in broadcast mode: re-emitted under its own name, no message-back.
  const clients = await three(ctx);
  clients[2].socket.emit("message", "m");
  for (const [i, c] of clients.entries()) assertSame(await c.inbox.next("message", ctx), ["m"], `client ${i}`);
  await assertNothing(ctx, clients[2].socket, clients[2].inbox, "message-back", "sender");
});

check(broadcastChecks, "broadcast-binary", async (ctx) => {
  const clients = await three(ctx);
  const reply = await ctx.ack(clients[0].socket, "blob", Buffer.from([1, 2, 3]), { n: Buffer.from([4]) });
  assertSame(reply, [Buffer.from([1, 2, 3]), { n: Buffer.from([4]) }], "binary ack");
  for (const [i, c] of clients.entries()) {
    const got = await c.inbox.next("blob", ctx);
    assertSame(got, [Buffer.from([1, 2, 3]), { n: Buffer.from([4]) }], `client ${i}`);
    assertBinary(got[0], `client ${i}`);
  }
});

check(broadcastChecks, "broadcast-no-auth", async (ctx) => {
  // broadcast mode does not send the echo mode's `auth` event.
  const c = await ctx.connect("/", { auth: { token: "abc" } });
  await assertNothing(ctx, c.socket, c.inbox, "auth", "client");
});

check(broadcastChecks, "broadcast-namespace", async (ctx) => {
  const custom = await three(ctx, ctx.fresh("/custom"));
  const root = await ctx.connect("/");
  custom[0].socket.emit("chat", "only-custom");
  for (const [i, c] of custom.entries()) assertSame(await c.inbox.next("chat", ctx), ["only-custom"], `/custom client ${i}`);
  await assertNothing(ctx, root.socket, root.inbox, "chat", "client on /");
});

check(broadcastChecks, "broadcast-rooms", async (ctx) => {
  const [a, b, c] = await three(ctx);
  assertSame(await ctx.ack(a.socket, "join", "r"), [["r"]], "join ack");
  assertSame(await ctx.ack(b.socket, "to", "r", "room-msg", 5), [1], "to ack");
  assertSame(await a.inbox.next("room-msg", ctx), [5], "room message");
  await assertNothing(ctx, c.socket, c.inbox, "room-msg", "client outside the room");
  assertSame(await ctx.ack(c.socket, "broadcast", "others", 6), [2], "broadcast ack");
  assertSame(await a.inbox.next("others", ctx), [6], "broadcast to A");
  assertSame(await b.inbox.next("others", ctx), [6], "broadcast to B");
  await assertNothing(ctx, c.socket, c.inbox, "others", "broadcast sender");
  if (a.inbox.count("join") || b.inbox.count("to")) throw new Error("a control event was re-broadcast");
});

// ---------------------------------------------------------------------------------------------------------------
// eio-echo checks: plain Engine.IO, every message comes back unchanged.

const eioChecks = [];

// An open engine.io-client socket and the messages it received, in order.
function eioOpen(ctx) {
  const socket = new eio.Socket(OPTS.url, { path: OPTS.path, ...transportOptions() });
  const queue = { items: [], waiters: [] };
  socket.on("message", (data) => {
    queue.items.push(data);
    const w = queue.waiters.shift();
    if (w) w();
  });
  ctx.eioSockets = (ctx.eioSockets || []).concat(socket);
  const next = () =>
    new Promise((resolve, reject) => {
      const take = () => {
        clearTimeout(timer);
        resolve(queue.items.shift());
      };
      if (queue.items.length) return resolve(queue.items.shift());
      const timer = setTimeout(() => {
        queue.waiters = queue.waiters.filter((w) => w !== take);
        reject(new Timeout("timed out waiting for an Engine.IO message"));
      }, ctx.remaining());
      queue.waiters.push(take);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Timeout("timed out opening the Engine.IO connection")), ctx.remaining());
    socket.once("open", () => {
      clearTimeout(timer);
      resolve({ socket, next, initialTransport: socket.transport.name });
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`Engine.IO error: ${err && err.message}${err && err.description ? ` (${err.description})` : ""}`));
    });
  });
}

check(eioChecks, "eio-text", async (ctx) => {
  const { socket, next } = await eioOpen(ctx);
  const texts = ["hello", "", "4not-a-packet-type", "{\"json\":[1]}", "héllo ✓ \u{1F600}"];
  // Polling (v4) separates packets with \x1e and has no escape for it: a message containing it cannot survive.
  if (OPTS.transport === "websocket") texts.push("a\u001eb");
  for (const text of texts) {
    socket.send(text);
    const got = await next();
    // engine.io-parser decodes the bare packet `4` (empty message) as data undefined, on both sides.
    if (got !== text && !(text === "" && got === undefined)) throw new Error(`sent ${show(text)}, got ${show(got)}`);
  }
});

check(eioChecks, "eio-binary", async (ctx) => {
  const { socket, next } = await eioOpen(ctx);
  for (const blob of [Buffer.from([1, 2, 3]), Buffer.from([0x34, 0x62]), Buffer.alloc(0), Buffer.from([0, 255, 0x1e])]) {
    socket.send(blob);
    const got = await next();
    assertBinary(got, "echoed binary");
    if (!Buffer.from(got).equals(blob)) throw new Error(`sent ${show(blob)}, got ${show(got)}`);
  }
});

check(eioChecks, "eio-order", async (ctx) => {
  const { socket, next } = await eioOpen(ctx);
  const sent = [];
  for (let i = 0; i < 200; i++) sent.push(i % 4 === 0 ? Buffer.from([i & 255, 7]) : `m${i}`);
  for (const m of sent) socket.send(m);
  for (const [i, m] of sent.entries()) {
    const got = await next();
    if (typeof m === "string" ? got !== m : !isBytes(got) || !Buffer.from(got).equals(m)) {
      throw new Error(`message ${i}: sent ${show(m)}, got ${show(got)}`);
    }
  }
});

check(eioChecks, "eio-large", async (ctx) => {
  const { socket, next } = await eioOpen(ctx);
  const text = "y".repeat(300 * 1024);
  const blob = Buffer.alloc(300 * 1024, 0xab);
  socket.send(text);
  socket.send(blob);
  const t = await next();
  if (t !== text) throw new Error(`large text came back with length ${t && t.length}`);
  const b = await next();
  assertBinary(b, "large binary");
  if (!Buffer.from(b).equals(blob)) throw new Error("large binary came back different");
});

check(eioChecks, "eio-transport", async (ctx) => {
  const { socket, next, initialTransport } = await eioOpen(ctx);
  if (OPTS.transport !== "upgrade") {
    if (initialTransport !== OPTS.transport) throw new Error(`opened on ${initialTransport}`);
  } else {
    if (initialTransport !== "polling") throw new Error(`opened on ${initialTransport}, not polling`);
    if (socket.transport.name !== "websocket") {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Timeout(`no upgrade (transport ${socket.transport.name})`)), ctx.remaining());
        socket.once("upgrade", () => {
          clearTimeout(timer);
          resolve();
        });
        socket.once("upgradeError", (err) => {
          clearTimeout(timer);
          reject(new Error(`upgradeError: ${err && err.message}`));
        });
      });
    }
  }
  const expected = OPTS.transport === "upgrade" ? "websocket" : OPTS.transport;
  socket.send("after");
  socket.send(Buffer.from([9]));
  if ((await next()) !== "after") throw new Error("text echo failed");
  assertSame(await next(), Buffer.from([9]), "binary echo");
  if (socket.transport.name !== expected) throw new Error(`transport is ${socket.transport.name}, expected ${expected}`);
});

// ---------------------------------------------------------------------------------------------------------------

async function runCheck({ name, fn }) {
  const ctx = new Context(OPTS.timeout);
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`check timed out after ${OPTS.timeout} ms`)), OPTS.timeout + 100);
  });
  try {
    await Promise.race([fn(ctx), deadline]);
    return null;
  } catch (err) {
    return (err && err.message ? err.message : String(err)).replace(/\s+/g, " ");
  } finally {
    clearTimeout(timer);
    ctx.close();
  }
}

async function main() {
  const all = { echo: echoChecks, broadcast: broadcastChecks, "eio-echo": eioChecks }[OPTS.mode];
  if (OPTS.list) {
    for (const c of all) process.stdout.write(c.name + "\n");
    return 0;
  }
  let checks = all;
  if (OPTS.only) {
    const unknown = OPTS.only.filter((n) => !all.some((c) => c.name === n));
    if (unknown.length) usage(`unknown check(s) for mode ${OPTS.mode}: ${unknown.join(", ")}`);
    checks = all.filter((c) => OPTS.only.includes(c.name));
  }
  let passed = 0;
  let failed = 0;
  for (const c of checks) {
    const error = await runCheck(c);
    if (error === null) {
      passed++;
      process.stdout.write(`ok ${c.name}\n`);
    } else {
      failed++;
      process.stdout.write(`FAIL ${c.name}: ${error}\n`);
    }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`client_suite: ${err && err.stack}\n`);
    process.exit(1);
  },
);
