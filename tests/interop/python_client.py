#!/usr/bin/python3
"""python-socketio client checks against a server in echo mode (the core of client_suite.js).

    /usr/bin/python3 python_client.py URL [--transport polling|websocket] [--path /socket.io/]
                                          [--only NAME[,NAME...]] [--timeout SECONDS]

Uses Debian 12's python3-socketio 5.7.2 (python3-engineio 4.3.4, python3-websocket, python3-requests); run it
with /usr/bin/python3, the pyenv python3 on PATH lacks these modules. Prints `ok NAME` or `FAIL NAME: reason`
per check and then `N passed, M failed`; exits 0 iff all passed (2 on a usage error).

Waits are bounded; nothing sleeps to synchronise. Note that python-engineio runs every received message's
handler in a thread of its own, so "X received nothing" is proven with two round trips on X's connection.
"""

import argparse
import itertools
import os
import sys
import threading
import time

try:
    import socketio
except ImportError:
    sys.stderr.write("python_client: python3-socketio is missing (apt-get install -y python3-socketio "
                     "python3-websocket python3-requests) or this is not /usr/bin/python3\n")
    sys.exit(2)


class CheckFailed(Exception):
    pass


class Inbox:
    """Every event a client receives on one namespace, in arrival order."""

    def __init__(self):
        self.cond = threading.Condition()
        self.events = []  # (name, args)

    def push(self, name, args):
        with self.cond:
            self.events.append((name, list(args)))
            self.cond.notify_all()

    def next(self, name, ctx):
        with self.cond:
            while True:
                for i, (n, args) in enumerate(self.events):
                    if n == name:
                        del self.events[i]
                        return args
                left = ctx.remaining()
                if left <= 0:
                    raise CheckFailed("timed out waiting for event '%s'" % name)
                self.cond.wait(left)

    def count(self, name):
        with self.cond:
            return sum(1 for n, _ in self.events if n == name)


class Context:
    serial = itertools.count(1)

    def __init__(self, opts):
        self.opts = opts
        self.deadline = time.monotonic() + opts.timeout
        self.clients = []

    def remaining(self):
        return self.deadline - time.monotonic()

    def fresh(self, base):
        return "%s-py%d-%d" % (base, os.getpid(), next(Context.serial))

    def connect(self, namespaces=("/",), auth=None):
        """A connected client with one Inbox per namespace."""
        client = socketio.Client(reconnection=False)
        inboxes = {}
        for nsp in namespaces:
            inbox = Inbox()
            inboxes[nsp] = inbox
            client.on("*", (lambda box: lambda event, *args: box.push(event, args))(inbox), namespace=nsp)
        self.clients.append(client)
        try:
            client.connect(self.opts.url, auth=auth, transports=[self.opts.transport], namespaces=list(namespaces),
                           socketio_path=self.opts.path, wait_timeout=max(0.1, self.remaining()))
        except socketio.exceptions.ConnectionError as exc:
            raise CheckFailed("connect failed: %s" % exc)
        return client, inboxes

    def ack(self, client, event, *args, namespace="/"):
        """Emits with an ack callback; returns every ack argument as a list."""
        done = threading.Event()
        reply = []

        def callback(*a):
            reply.extend(a)
            done.set()

        client.emit(event, tuple(args), namespace=namespace, callback=callback)
        if not done.wait(max(0.0, self.remaining())):
            raise CheckFailed("timed out waiting for the ack of '%s'" % event)
        return reply

    def close(self):
        for client in self.clients:
            try:
                client.disconnect()
            except Exception:
                pass


def same(actual, expected, what):
    if actual != expected or not same_types(actual, expected):
        raise CheckFailed("%s: expected %r, got %r" % (what, expected, actual))


def same_types(a, b):
    """bytes must come back as bytes (binary), not as a list or a string."""
    if isinstance(b, (bytes, bytearray)):
        return isinstance(a, (bytes, bytearray))
    if isinstance(b, list):
        return isinstance(a, list) and all(same_types(x, y) for x, y in zip(a, b))
    if isinstance(b, dict):
        return isinstance(a, dict) and all(same_types(a.get(k), v) for k, v in b.items())
    return type(a) is type(b)


def assert_nothing(ctx, client, inbox, name, who, namespace="/"):
    for _ in range(2):
        ctx.ack(client, "sync-probe", 0, namespace=namespace)
    n = inbox.count(name)
    if n:
        raise CheckFailed("%s received '%s' %d time(s) but should not have" % (who, name, n))


CHECKS = []


def check(fn):
    CHECKS.append((fn.__name__.replace("_", "-"), fn))
    return fn


@check
def auth(ctx):
    _, boxes = ctx.connect(auth={"token": "abc"})
    same(boxes["/"].next("auth", ctx), [{"token": "abc"}], "auth event")


@check
def auth_empty(ctx):
    _, boxes = ctx.connect()
    same(boxes["/"].next("auth", ctx), [{}], "auth event without auth")


@check
def message_back(ctx):
    client, boxes = ctx.connect()
    client.emit("message", (1, "2", {"3": [True]}))
    same(boxes["/"].next("message-back", ctx), [1, "2", {"3": [True]}], "message-back")


@check
def ack(ctx):
    client, _ = ctx.connect()
    same(ctx.ack(client, "anything", "a", 1), ["a", 1], "ack arguments")
    same(client.call("anything", ("a", 1), timeout=max(0.1, ctx.remaining())), ("a", 1), "call() result")
    same(ctx.ack(client, "message", {"x": None}), [{"x": None}], "ack of message")


@check
def binary(ctx):
    client, boxes = ctx.connect()
    client.emit("bin", (b"\x01\x02\x03", {"nested": b"\x04"}))
    same(boxes["/"].next("bin", ctx), [b"\x01\x02\x03", {"nested": b"\x04"}], "binary echo")


@check
def binary_ack(ctx):
    client, _ = ctx.connect()
    same(ctx.ack(client, "binack", b"\x01\x02\x03", "x", {"deep": [b"\x09\x08"]}),
         [b"\x01\x02\x03", "x", {"deep": [b"\x09\x08"]}], "binary ack")


@check
def namespace_custom(ctx):
    client, boxes = ctx.connect(namespaces=("/", "/custom"), auth={"token": "xyz"})
    same(boxes["/custom"].next("auth", ctx), [{"token": "xyz"}], "auth event on /custom")
    same(boxes["/"].next("auth", ctx), [{"token": "xyz"}], "auth event on /")
    client.emit("message", "in-custom", namespace="/custom")
    same(boxes["/custom"].next("message-back", ctx), ["in-custom"], "message-back on /custom")
    same(ctx.ack(client, "q", b"\x05", namespace="/custom"), [b"\x05"], "binary ack on /custom")
    if client.get_sid("/") == client.get_sid("/custom"):
        raise CheckFailed("both namespaces got the same socket id")
    assert_nothing(ctx, client, boxes["/"], "message-back", "namespace /")


@check
def rooms_join_to(ctx):
    nsp = ctx.fresh("/rooms")
    a, a_boxes = ctx.connect(namespaces=(nsp,))
    b, b_boxes = ctx.connect(namespaces=(nsp,))
    same(ctx.ack(a, "join", "r1", namespace=nsp), [["r1"]], "join ack")
    same(ctx.ack(b, "to", "r1", "hello", 42, namespace=nsp), [1], "to ack")
    same(a_boxes[nsp].next("hello", ctx), [42], "room message")
    assert_nothing(ctx, b, b_boxes[nsp], "hello", "sender", namespace=nsp)
    same(ctx.ack(a, "leave", "r1", namespace=nsp), [[]], "leave ack")
    same(ctx.ack(b, "to", "r1", "hello", 43, namespace=nsp), [0], "to ack after leave")
    same(ctx.ack(b, "broadcast", "news", b"\x07", namespace=nsp), [1], "broadcast ack")
    same(a_boxes[nsp].next("news", ctx), [b"\x07"], "binary broadcast")


@check
def transport(ctx):
    client, boxes = ctx.connect()
    client.emit("message", "t")
    boxes["/"].next("message-back", ctx)
    if client.transport() != ctx.opts.transport:
        raise CheckFailed("client transport is %s" % client.transport())


def parse_args(argv):
    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            sys.stderr.write("python_client: %s\n" % message)
            sys.exit(2)

    p = Parser(description="python-socketio checks against an echo-mode server")
    p.add_argument("url")
    p.add_argument("--transport", choices=["polling", "websocket"], default="polling")
    p.add_argument("--path", default="/socket.io/")
    p.add_argument("--only", default=None, help="comma-separated check names")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds per check")
    opts = p.parse_args(argv)
    opts.url = opts.url.rstrip("/")
    names = [n for n, _ in CHECKS]
    if opts.only:
        opts.only = [n for n in opts.only.split(",") if n]
        unknown = [n for n in opts.only if n not in names]
        if unknown:
            p.error("unknown check(s): %s (known: %s)" % (", ".join(unknown), ", ".join(names)))
    return opts


def run(opts, fn):
    ctx = Context(opts)
    try:
        fn(ctx)
        return None
    except CheckFailed as exc:
        return str(exc)
    except Exception as exc:  # a library error is a failure of the check, not of the harness
        return "%s: %s" % (type(exc).__name__, exc)
    finally:
        ctx.close()


def main():
    opts = parse_args(sys.argv[1:])
    passed = failed = 0
    for name, fn in CHECKS:
        if opts.only and name not in opts.only:
            continue
        error = run(opts, fn)
        if error is None:
            passed += 1
            print("ok %s" % name, flush=True)
        else:
            failed += 1
            print("FAIL %s: %s" % (name, " ".join(error.split())), flush=True)
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # do not wait for python-engineio's background threads
