"""What the black-box Python suites that drive the sio binary share (tests/client/client_test.py,
tests/bench/bench_test.py): the check registry, failures and their messages, sio runs and background processes
with bounded waits, servers whose port is read from their stderr, and the main loop.

A suite adds tests/support to sys.path, imports this module, registers its checks with @check(name, servers)
and calls main(). While it runs, SIO is the absolute path of the sio binary (--sio) and TMP a temporary
directory of this run. The standard library only; run with /usr/bin/python3.
"""
import argparse
import fnmatch
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SIO = None           # absolute path of the sio binary (--sio)
VERBOSE = False      # -v: print every sio command and its result, and each check's time
TMP = None           # temporary directory for this run
PROCESSES = []       # every process started here, stopped at the end (anything with stop(sig))
SANITIZER_HITS = []  # sanitizer reports seen in sio's output during the current check
CSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LISTENING_RE = r"listening on http://[^\s/]+:(\d+)/"  # the start line of sio serve and of the reference server


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def sanitizer_report(text):
    """A compact form of an AddressSanitizer/UBSan report in text, or None."""
    if "Sanitizer" not in text:
        return None
    text = CSI_RE.sub("", text).replace("\r", "")
    keep = [l.strip() for l in text.splitlines()
            if "ERROR: " in l or "SUMMARY: " in l or "runtime error" in l or
            (re.match(r"\s*#\d+ ", l) and re.search(r" /\S+/(cmd|core)/", l))]
    return " | ".join(keep[:6])


def short(text, limit=400):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return repr(text if len(text) <= limit else text[:limit] + "...")


# --------------------------------------------------------------------------------------------------------------
# Processes


class Result:
    """A finished sio run. A suite may subclass it (more accessors, a longer stdout excerpt)."""
    STDOUT_LIMIT = 400  # characters of stdout that describe() shows

    def __init__(self, argv, rc, out, err, elapsed):
        self.argv, self.rc, self.out, self.err, self.elapsed = argv, rc, out, err, elapsed

    def describe(self):
        rc = "timed out (killed)" if self.rc is None else f"exit {self.rc}"
        san = sanitizer_report(self.err)
        return (f"`sio {' '.join(self.argv)}`: {rc} after {self.elapsed:.2f}s, "
                f"stdout {short(self.out, self.STDOUT_LIMIT)}, "
                + (f"SANITIZER: {san}" if san else f"stderr {short(self.err)}"))

    def lines(self):
        return [line for line in self.out.splitlines() if line]


def run_sio(argv, timeout, stdin=None, env=None, result_type=Result):
    """Runs sio to completion (killed after `timeout` s). stdin: None (empty), bytes, or an open file."""
    argv = [str(a) for a in argv]
    kwargs = {}
    if stdin is None:
        kwargs["stdin"] = subprocess.DEVNULL
    elif isinstance(stdin, bytes):
        kwargs["input"] = stdin
    else:
        kwargs["stdin"] = stdin
    start = time.monotonic()
    try:
        r = subprocess.run([SIO] + argv, capture_output=True, timeout=timeout, env=env, **kwargs)
        rc, out, err = r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = None, e.stdout or b"", e.stderr or b""
    result = result_type(argv, rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                         time.monotonic() - start)
    if sanitizer_report(result.err):
        SANITIZER_HITS.append(result.describe())
    if VERBOSE:
        print("  # " + result.describe(), flush=True)
    return result


class Background:
    """A process whose stdout and stderr lines are collected by threads; waits are bounded."""

    def __init__(self, argv, stdin=subprocess.DEVNULL):
        self.argv = [str(a) for a in argv]
        self.out, self.err = [], []
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(self.argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        PROCESSES.append(self)
        self.start_time = time.monotonic()
        self.threads = [threading.Thread(target=self._pump, args=(self.proc.stdout, self.out), daemon=True),
                        threading.Thread(target=self._pump, args=(self.proc.stderr, self.err), daemon=True)]
        for t in self.threads:
            t.start()

    def _pump(self, stream, lines):
        for raw in iter(stream.readline, b""):
            with self.cond:
                lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, predicate, timeout):
        """Waits until predicate() (called with the lock held) is true; False on timeout or process exit."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not any(t.is_alive() for t in self.threads)):
                    return predicate()
                self.cond.wait(min(left, 0.1))
            return True

    def wait_stderr(self, needle, timeout, start=0):
        return self.wait_for(lambda: any(needle in line for line in self.err[start:]), timeout)

    def wait_exit(self, timeout):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        for t in self.threads:
            t.join(2)
        return rc

    def stop(self, sig=signal.SIGTERM, timeout=5):
        """Stops the process (sig, then SIGKILL after `timeout`); returns its exit status."""
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(sig)
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            except ProcessLookupError:
                pass
        for t in self.threads:
            t.join(2)
        with self.cond:
            if self.argv[0] == SIO and sanitizer_report("\n".join(self.err)):
                SANITIZER_HITS.append(self.describe())
        return self.proc.returncode

    def describe(self):
        with self.cond:
            err = "\n".join(self.err)
            san = sanitizer_report(err)
            return (f"`{' '.join([os.path.basename(self.argv[0])] + self.argv[1:])}`: exit {self.proc.poll()}, "
                    f"stdout {short(chr(10).join(self.out))}, "
                    + (f"SANITIZER: {san}" if san else f"stderr {short(err, 700)}"))


def records_of(lines, kind):
    """The NDJSON records {"type": kind, ...} among lines (other lines skipped), as dicts."""
    out = []
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("type") == kind:
            out.append(rec)
    return out


def listening_record(line):
    """The record `sio serve --json` prints on stdout once it listens, as a dict, or None."""
    try:
        rec = json.loads(line)
    except ValueError:
        return None
    return rec if isinstance(rec, dict) and rec.get("type") == "listening" else None


class Server:
    """A server started on demand; its port is read from the first stderr line that port_re matches, or with
    port_re=None from the listening record of `sio serve --json` on stdout."""

    def __init__(self, name, argv, port_re=LISTENING_RE):
        self.name, self.argv = name, argv
        self.port_re = re.compile(port_re) if port_re is not None else None
        self.proc = None
        self._port = None

    def start(self):
        if self.proc is None:
            self.proc = Background(self.argv)

    def port(self, timeout=30):
        if self._port is None:
            self.start()
            found = []

            def has_port():
                if self.port_re is None:
                    for line in self.proc.out:
                        rec = listening_record(line)
                        if rec:
                            found.append(int(rec["port"]))
                            return True
                    return False
                for line in self.proc.err:
                    m = self.port_re.search(line)
                    if m:
                        found.append(int(m.group(1)))
                        return True
                return False

            if not self.proc.wait_for(has_port, timeout):
                raise CheckFailed(f"server {self.name} did not start: {self.proc.describe()}")
            self._port = found[0]
        return self._port

    def url(self, nsp="", scheme="http"):
        return f"{scheme}://127.0.0.1:{self.port()}{nsp}"

    def alive(self):
        return self.proc is not None and self.proc.proc.poll() is None

    def stop(self):
        if self.proc is not None:
            self.proc.stop()


def sio_serve(name, *args, log=False):
    """`sio serve` on a free port, ready when its listening record arrives: --json -q, or with log=True --json
    with every connect, event and disconnect on stdout as well."""
    argv = [SIO, "serve", "--port", "0", "--json"] + ([] if log else ["-q"]) + [str(a) for a in args]
    return Server(name, argv, port_re=None)


def free_port():
    """A port with nothing listening on 127.0.0.1 (bound once by the OS's choice, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------------------------
# Checks and the main loop

CHECKS = []  # (name, servers, function)


def check(name, servers=()):
    """Registers a check; servers are the names of the servers it needs, passed to main's start()."""
    def register(fn):
        CHECKS.append((name, tuple(servers), fn))
        return fn
    return register


def selected(name, patterns):
    if not patterns:
        return True
    for p in patterns:
        if any(c in p for c in "*?[") and fnmatch.fnmatchcase(name, p):
            return True
        if name == p or name.startswith(p):
            return True
    return False


def main(prog, description, setup, start, teardown, after_check=None, stop_signal=signal.SIGTERM,
         show_elapsed=False):
    """Parses --sio/--only/--list/-v, runs the chosen checks and prints `ok NAME` or `FAIL NAME: reason` each,
    then `N passed, M failed`; returns the exit status (0 iff every check passed, 2 on a usage error).

    setup(): once TMP exists; start(names): starts the servers the chosen checks need (in the order the
    checks first name them); after_check(servers): more to require after a check's function passed (raises
    CheckFailed); teardown(): stops the servers, returns [(name, why)], each printed and counted as a failure.
    Then every process in PROCESSES gets stop(stop_signal). show_elapsed: with -v, the run's time at the end.
    """
    global SIO, VERBOSE, TMP
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sio", required=True, help="path of the sio binary")
    parser.add_argument("--only", default="", help="check names, prefixes or globs, comma-separated")
    parser.add_argument("--list", action="store_true", help="print the check names and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every sio command and its result")
    opts = parser.parse_args()
    if opts.list:
        for name, _, _ in CHECKS:
            print(name)
        return 0
    SIO = os.path.abspath(opts.sio)
    if not os.access(SIO, os.X_OK):
        print(f"{prog}: {SIO} is not executable", file=sys.stderr)
        return 2
    VERBOSE = opts.verbose
    patterns = [p for p in opts.only.split(",") if p]
    chosen = [c for c in CHECKS if selected(c[0], patterns)]
    if not chosen:
        print(f"{prog}: no check matches {opts.only!r}", file=sys.stderr)
        return 2

    passed = failed = 0
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"sio-{prog.replace('_', '-')}-") as tmp:
        TMP = tmp
        setup()
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            needed = []
            for _, servers, _ in chosen:
                needed += [s for s in servers if s not in needed]
            start(needed)
            for name, servers, fn in chosen:
                began_check = time.monotonic()
                SANITIZER_HITS.clear()
                try:
                    fn()
                    expect(not SANITIZER_HITS, f"sanitizer report: {SANITIZER_HITS[:1]}")
                    if after_check is not None:
                        after_check(servers)
                except CheckFailed as e:
                    failed += 1
                    print(f"FAIL {name}: {e}", flush=True)
                    continue
                except Exception as e:  # a bug in the check or an unexpected peer failure
                    failed += 1
                    print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
                    continue
                passed += 1
                print(f"ok {name}" + (f" ({time.monotonic() - began_check:.2f}s)" if VERBOSE else ""), flush=True)
        finally:
            for name, why in teardown():
                failed += 1
                print(f"FAIL {name}: {why}", flush=True)
            for proc in PROCESSES:
                proc.stop(stop_signal)
    if VERBOSE and show_elapsed:
        print(f"# {time.monotonic() - began:.1f}s", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1
