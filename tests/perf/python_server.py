#!/usr/bin/python3
"""The Python comparison server for tests/perf/compare.py: Debian's python-socketio (5.7.2) on
eventlet, with the echo and broadcast semantics of `sio serve` and tests/interop/reference_server.js.
A benchmark peer, not a test.

    /usr/bin/python3 tests/perf/python_server.py [--port 0] [--mode echo|broadcast] [--sync-handlers]

Listens on 127.0.0.1 and prints `listening on http://127.0.0.1:PORT/` on stderr once it does.
SIGTERM and SIGINT exit at once. Any namespace is accepted. Logging is off.

    echo       on connect emit `auth` with the client's auth; `message` -> `message-back`;
               an event that asks for an ack is acked with its arguments; any other event
               is sent back to the sender under its own name
    broadcast  every event goes to every socket of its namespace, sender included, and is
               acked with its arguments when the client asks for an ack

python-socketio does not tell an event handler whether the client asked for an ack, so the
server overrides Server._handle_event_internal (the method that runs a handler and sends the
ACK) and Server._trigger_event (connect/disconnect); both are stable across python-socketio 5.x.
The room control events of `sio serve` (join, leave, to, broadcast) are not implemented; the
benchmark does not use them.

By default each event runs in its own greenlet (python-socketio's default, async_handlers=True);
--sync-handlers runs it on the connection's reader greenlet instead.
"""
import argparse
import logging
import os
import signal
import sys

import eventlet

eventlet.monkey_patch()

import eventlet.wsgi  # noqa: E402
import socketio  # noqa: E402
from socketio import packet  # noqa: E402


def make_server(mode, async_handlers):
    class BenchServer(socketio.Server):
        def _trigger_event(self, event, namespace, *args):
            # Only `connect` (sid, environ[, auth]) and `disconnect` (sid) get here.
            if event == "connect" and mode == "echo":
                auth = args[2] if len(args) > 2 and args[2] is not None else {}
                self.emit("auth", auth, to=args[0], namespace=namespace)
            return None

        def _handle_event_internal(self, server, sid, eio_sid, data, namespace, id):
            event, args = data[0], list(data[1:])
            if mode == "broadcast":
                self.emit(event, tuple(args), namespace=namespace)
            elif event == "message":
                self.emit("message-back", tuple(args), to=sid, namespace=namespace)
            elif id is None:
                self.emit(event, tuple(args), to=sid, namespace=namespace)
            if id is not None:
                self._send_packet(eio_sid, self.packet_class(packet.ACK, namespace=namespace, id=id, data=args))

    # always_connect: CONNECT goes out before the connect handler runs, so the `auth` event
    # follows it (nothing is ever refused here).
    return BenchServer(async_mode="eventlet", namespaces="*", always_connect=True, async_handlers=async_handlers,
                       logger=False, engineio_logger=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", choices=["echo", "broadcast"], default="echo")
    parser.add_argument("--sync-handlers", action="store_true")
    opts = parser.parse_args()

    logging.disable(logging.CRITICAL)
    sio = make_server(opts.mode, not opts.sync_handlers)
    app = socketio.WSGIApp(sio)
    listener = eventlet.listen(("127.0.0.1", opts.port), backlog=4096)
    # os._exit, not sys.exit: SystemExit raised inside a connection's greenthread would only end
    # that greenthread (eventlet's GreenThread catches BaseException).
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: os._exit(0))
    sys.stderr.write(f"listening on http://127.0.0.1:{listener.getsockname()[1]}/\n")
    sys.stderr.flush()

    class Quiet:
        def write(self, _):
            pass

    # Every WebSocket holds a wsgi greenthread for its lifetime: lift eventlet's default cap of
    # 1024 simultaneous requests, or connections beyond it would wait in the accept queue.
    eventlet.wsgi.server(listener, app, log=Quiet(), log_output=False, max_size=1_000_000)


if __name__ == "__main__":
    main()
