#!/usr/bin/python3
"""Runs a command against a fresh `sio serve` (or the Node reference server).

    with_server.py --sio BIN [--server-arg ARG ...] -- CMD ARGS...   ({url} in ARGS becomes http://127.0.0.1:PORT)
    with_server.py --node-reference DIR [--server-arg ARG ...] -- CMD ...

Starts the server on 127.0.0.1 port 0, reads the port from its start line on stderr (bounded
wait), runs the command with a deadline, then stops the server with SIGTERM and requires a
clean exit (status 0 within a bounded time). Exits with the command's status, or 1 when the
server misbehaved.
"""
import argparse
import os
import re
import selectors
import signal
import subprocess
import sys
import time

START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def wait_for_port(proc, deadline):
    sel = selectors.DefaultSelector()
    sel.register(proc.stderr, selectors.EVENT_READ)
    seen = b""
    while time.monotonic() < deadline:
        if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
            break
        chunk = os.read(proc.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
        m = re.search(rb"listening on http://[^:\s]+:(\d+)", seen)
        if m:
            return int(m.group(1)), seen
    return None, seen


def main():
    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--sio")
    group.add_argument("--node-reference")
    parser.add_argument("--server-arg", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=240.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")

    if args.sio:
        server = [args.sio, "serve", "--port", "0", "-q"] + args.server_arg
    else:
        server = ["node", os.path.join(args.node_reference, "reference_server.js"), "--port", "0"] + args.server_arg
    proc = subprocess.Popen(server, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    status = 1
    try:
        port, seen = wait_for_port(proc, time.monotonic() + START_TIMEOUT)
        if port is None:
            print("with_server: the server did not start:", seen.decode(errors="replace"), file=sys.stderr)
            return 1
        url = f"http://127.0.0.1:{port}"
        command = [part.replace("{url}", url) for part in command]
        try:
            status = subprocess.run(command, timeout=args.timeout).returncode
        except subprocess.TimeoutExpired:
            print(f"with_server: command timed out after {args.timeout}s", file=sys.stderr)
            status = 1
        if proc.poll() is not None:
            print(f"with_server: the server died during the test (status {proc.returncode})", file=sys.stderr)
            return 1
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            print("with_server: the server did not stop on SIGTERM", file=sys.stderr)
            return 1
        rest = proc.stderr.read().decode(errors="replace")
        if code != 0:
            print(f"with_server: the server exited with {code} on SIGTERM:\n{rest}", file=sys.stderr)
            return 1
        return status
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
