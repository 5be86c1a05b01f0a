#!/usr/bin/python3
"""Runs a command against a fresh `sio serve` (or the Node reference server).

    with_server.py --sio BIN [--server-arg ARG ...] -- CMD ARGS...   ({url} in ARGS becomes http://127.0.0.1:PORT)
    with_server.py --node-reference DIR [--server-arg ARG ...] -- CMD ...

Starts the server on 127.0.0.1 port 0, reads the port (bounded wait) from the listening record of
`sio serve --json` on stdout, or from the reference server's start line on stderr, runs the
command with a deadline, then stops the server with SIGTERM and requires a
clean exit (status 0 within a bounded time). Exits with the command's status, or 1 when the
server misbehaved.
"""
import argparse
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import time

START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def port_in_record(seen):
    """The port of sio serve's {"type":"listening",...} record among the complete lines of stdout."""
    for line in seen.split(b"\n")[:-1]:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("type") == "listening":
            return int(rec["port"])
    return None


def port_in_start_line(seen):
    m = re.search(rb"listening on http://[^:\s]+:(\d+)", seen)
    return int(m.group(1)) if m else None


def wait_for_port(stream, find, deadline):
    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    seen = b""
    while time.monotonic() < deadline:
        if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
            break
        chunk = os.read(stream.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
        port = find(seen)
        if port is not None:
            return port, seen
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
        # --json -q: one line on stdout, the listening record, and nothing after it to drain.
        server = [args.sio, "serve", "--port", "0", "--json", "-q"] + args.server_arg
        proc = subprocess.Popen(server, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        stream, find = proc.stdout, port_in_record
    else:
        server = ["node", os.path.join(args.node_reference, "reference_server.js"), "--port", "0"] + args.server_arg
        proc = subprocess.Popen(server, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stream, find = proc.stderr, port_in_start_line
    status = 1
    try:
        port, seen = wait_for_port(stream, find, time.monotonic() + START_TIMEOUT)
        if port is None:
            err = proc.stderr.read().decode(errors="replace") if args.sio and proc.poll() is not None else ""
            print("with_server: the server did not start:", seen.decode(errors="replace"), err, file=sys.stderr)
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
