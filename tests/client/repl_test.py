#!/usr/bin/python3
"""The REPL of `sio connect` on a pseudo-terminal of a given size, its output drawn by a minimal VT100 screen
(tests/support/vt_screen.py) so that checks assert on what a terminal shows, not on the byte stream.

    /usr/bin/python3 tests/client/repl_test.py --sio PATH [--only NAME[,NAME...]] [--list] [-v]

Peers, each started here on 127.0.0.1 with a port the OS picks: `sio serve --port 0 --json -q` (echo mode),
tests/client/node_server.js (npm socket.io 4.8.4, which sends nothing on connect), and for the checks named
repl-unreachable-* a port with nothing listening. The pty is the session's controlling terminal, so \\x03 is
Ctrl-C as a user types it, and a resize (TIOCSWINSZ) sends SIGWINCH; the checks also read the terminal's
mode after sio exits, to see that it was restored. Options and output as in client_test.py.
"""
import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "support"))
import checks  # noqa: E402
from checks import CheckFailed, Server, check, expect, free_port, sanitizer_report, short, CSI_RE, PROCESSES  # noqa: E402
from vt_screen import Screen  # noqa: E402

NODE_SERVER = os.path.join(HERE, "node_server.js")
SGR_RE = re.compile(r"\x1b\[[0-9;]*m")
DIGITS = "0123456789" * 9


class Peers:
    def __init__(self):
        self.node = Server("node", ["node", NODE_SERVER, "--id", "node-main"], r"listening on (\d+)")
        self.serve = None

    def init(self):
        self.serve = checks.sio_serve("sio serve")

    def start(self, names):
        for name in names:
            getattr(self, name).start()

    def stop_all(self):
        for server in (self.node, self.serve):
            if server is not None:
                server.stop()


PEERS = Peers()


class Pty:
    """sio on a new pseudo-terminal (cols x rows) that is its controlling terminal."""

    def __init__(self, argv, env, cols=100, rows=24):
        self.master, self.slave = os.openpty()  # the slave stays open here to read its mode at the end
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen = Screen(cols, rows)
        self.buf = b""
        self.status = None
        pid = os.fork()
        if pid == 0:  # child: new session with the pty as controlling terminal
            try:
                os.setsid()
                fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(self.slave, fd)
                os.close(self.master)
                os.close(self.slave)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid = pid
        PROCESSES.append(self)

    def _take(self, data):
        self.buf += data
        self.screen.feed(data)

    def text(self):
        """The byte stream without escape sequences and CRs (for substrings; rows: self.rows())."""
        return CSI_RE.sub("", self.buf.decode("utf-8", "replace")).replace("\r", "")

    def rows(self):
        return self.screen.display()

    def cursor_row(self):
        return self.rows()[self.screen.y]

    def read_until(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        while not predicate(self):
            left = deadline - time.monotonic()
            if left <= 0 or self.master < 0:
                return predicate(self)
            r, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if r:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    return predicate(self)
                if not data:
                    return predicate(self)
                self._take(data)
        return True

    def send(self, data):
        os.write(self.master, data)

    def type(self, text):
        """One write per character, as typed."""
        for ch in text:
            os.write(self.master, ch.encode())

    def resize(self, cols, rows=24):
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen.resize(cols, rows)

    def wait_exit(self, timeout):
        """Exit code (negative: killed by that signal) or None; keeps draining the pty meanwhile."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() >= deadline:
                return None
            if self.master < 0:
                time.sleep(0.05)  # closed by stop(): nothing to drain while polling waitpid
                continue
            r, _, _ = select.select([self.master], [], [], 0.05)
            if r:
                try:
                    self._take(os.read(self.master, 65536))
                except OSError:
                    pass
        self.read_until(lambda _: False, 0.1)  # the last bytes written before the exit
        return self.status

    def cooked(self):
        """Whether the terminal is back in the mode it had before sio (echo, lines, signals)."""
        lflag = termios.tcgetattr(self.slave)[3]
        want = termios.ECHO | termios.ICANON | termios.ISIG
        return lflag & want == want

    def stop(self, *_args, **_kw):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.wait_exit(3)
        if self.master >= 0 and sanitizer_report(self.buf.decode("utf-8", "replace")):
            checks.SANITIZER_HITS.append(self.describe())  # fails the check that ran it
        for fd in (self.master, self.slave):
            if fd >= 0:
                os.close(fd)
        self.master = self.slave = -1

    def describe(self):
        self.wait_exit(1)
        san = sanitizer_report(self.buf.decode("utf-8", "replace"))
        if san:
            return f"exit {self.status}, SANITIZER: {san}"
        shown = "\n".join(r for r in self.rows() if r)
        return f"exit {self.status}, cursor {self.screen.cursor()}, screen {short(shown, 1500)}"


def start(url, *args, cols=100, no_color=False):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    if no_color:
        env["NO_COLOR"] = "1"
    return Pty([checks.SIO, "connect", url, *args], env, cols=cols)


def repl(url, cols=100, no_color=False, args=()):
    """sio connect on a terminal, once connected with the prompt showing."""
    term = start(url, *args, cols=cols, no_color=no_color)
    ok = term.read_until(lambda t: any("connected to /" in r for r in t.rows()) and t.cursor_row() == "/>", 10)
    if not ok:
        term.stop()
        raise CheckFailed(f"no prompt and 'connected' line: {term.describe()}")
    return term


def unreachable(cols=100):
    """sio connect to a port with nothing listening, once it says it is reconnecting."""
    term = start(f"http://127.0.0.1:{free_port()}", "--reconnect-delay", "50ms", "--reconnect-delay-max", "200ms",
                 cols=cols)
    ok = term.read_until(lambda t: "reconnecting in" in t.text(), 10)
    if not ok:
        term.stop()
        raise CheckFailed(f"no 'reconnecting' line: {term.describe()}")
    return term


def at(row, x):
    """A predicate: the cursor's row shows `row` and the cursor is in column x (0-based). Both, since the
    program's output may arrive in pieces: a row redrawn but the cursor not yet moved back into it."""
    return lambda t: t.cursor_row() == row and t.screen.x == x


def expect_exit(term, want, what):
    status = term.wait_exit(5)
    expect(status == want, f"expected exit {want} on {what}: {term.describe()}")
    expect(term.cooked(), f"terminal left in raw mode after {what}: {term.describe()}")


# ---- Messages and keys against live servers

@check("repl-message", ["serve"])
def _():
    term = repl(PEERS.serve.url())
    try:
        term.send(b"message hi\r")
        expect(term.read_until(lambda t: any(r.endswith(' message-back "hi"') for r in t.rows()), 5),
               f"no `message-back \"hi\"`: {term.describe()}")
    finally:
        term.stop()


@check("repl-color", ["serve"])
def _():
    # auto colours the terminal unless NO_COLOR is set; --color=never and --color=always win over it
    for no_color, args, coloured in ((False, (), True), (True, (), False), (False, ("--color=never",), False),
                                     (True, ("--color", "always"), True), (False, ("--color=auto",), True)):
        term = repl(PEERS.serve.url(), no_color=no_color, args=args)
        try:
            term.send(b"message hi\r")
            expect(term.read_until(lambda t: 'message-back "hi"' in t.text(), 5),
                   f"no `message-back \"hi\"`: {term.describe()}")
            raw = term.buf.decode("utf-8", "replace").split("\n")
            lines = [l for l in raw if "message-back" in l or "auth" in l or "connected" in l]
            expect(len(lines) >= 3 and all(bool(SGR_RE.search(l)) == coloured for l in lines),
                   f"NO_COLOR {no_color}, {args}: expected colour {coloured} in {lines!r}")
        finally:
            term.stop()


# Key handling runs against the Node server, which sends nothing on connect, so that these checks do not
# depend on how the REPL shows incoming events (repl-message covers that).

@check("repl-history-up", ["node"])
def _():
    term = repl(PEERS.node.url())
    try:
        term.send(b"/ack echo 1\r")
        expect(term.read_until(lambda t: t.rows().count("ack echo [1]") == 1, 5), f"first ack: {term.describe()}")
        term.send(b"\x1b[A")
        expect(term.read_until(lambda t: t.cursor_row() == "/> /ack echo 1", 5),
               f"Up did not recall the line: {term.describe()}")
        term.send(b"\r")
        expect(term.read_until(lambda t: t.rows().count("ack echo [1]") == 2, 5),
               f"recalled line not sent again: {term.describe()}")
    finally:
        term.stop()


@check("repl-ctrl-d", ["node"])
def _():
    term = repl(PEERS.node.url())
    try:
        term.send(b"\x04")
        expect_exit(term, 0, "Ctrl-D")
    finally:
        term.stop()


@check("repl-ctrl-c", ["node"])
def _():
    term = repl(PEERS.node.url())
    try:
        term.send(b"partial line")
        expect(term.read_until(at("/> partial line", 15), 5), f"typing: {term.describe()}")
        term.send(b"\x03")
        expect_exit(term, 130, "Ctrl-C")
    finally:
        term.stop()


@check("repl-ctrl-d-serve", ["serve"])
def _():
    # the same as repl-ctrl-d against sio serve, whose `auth` event arrives right after connecting
    term = repl(PEERS.serve.url())
    try:
        term.read_until(lambda t: "auth {}" in t.text(), 3)
        term.send(b"\x04")
        expect_exit(term, 0, "Ctrl-D")
    finally:
        term.stop()


# ---- Nothing listening: the session reconnects, and every way out works at once

def keys(data):
    return lambda term: term.send(data)


def kill(sig):
    return lambda term: os.kill(term.pid, sig)


def way_out(name, act, want, what):
    @check(f"repl-unreachable-{name}")
    def _():
        term = unreachable()
        try:
            act(term)
            expect_exit(term, want, what)
        finally:
            term.stop()


way_out("ctrl-d", keys(b"\x04"), 0, "Ctrl-D while reconnecting")
way_out("ctrl-c", keys(b"\x03"), 130, "Ctrl-C while reconnecting")
way_out("sigterm", kill(signal.SIGTERM), 0, "SIGTERM")
way_out("sighup", kill(signal.SIGHUP), -signal.SIGHUP, "SIGHUP")  # it kills: the terminal's mode restored first


@check("repl-unreachable-quit")
def _():
    term = unreachable()
    try:
        term.type("/quit")
        expect(term.read_until(lambda t: t.cursor_row() == "/> /quit", 5), f"/quit not echoed: {term.describe()}")
        term.send(b"\r")
        expect_exit(term, 0, "/quit while reconnecting")
        expect("/> /quit" in term.rows(), f"the /quit line did not stay on screen: {term.describe()}")
    finally:
        term.stop()


@check("repl-unreachable-status-rows")
def _():
    # Status lines arrive while a line is half typed: each on a row of its own, the partial line redrawn below.
    term = unreachable()
    try:
        term.type("chat partial")
        expect(term.read_until(lambda t: t.cursor_row() == "/> chat partial", 5), f"typing: {term.describe()}")
        before = sum("reconnecting in" in r for r in term.rows())
        # (a message is three writes: the prompt row cleared, the message on stderr, the row redrawn)
        redrawn = at("/> chat partial", 15)
        expect(term.read_until(lambda t: sum("reconnecting in" in r for r in t.rows()) >= before + 2 and redrawn(t),
                               10),
               f"no further status lines, or the partial line not redrawn after them: {term.describe()}")
        # Status lines keep coming (every 200 ms): wait for a moment between two, with the line redrawn last.
        def settled(t):
            shown = [r for r in t.rows() if r]
            return bool(shown) and shown[-1] == "/> chat partial" and redrawn(t)
        expect(term.read_until(settled, 5), f"the partial line is not redrawn on the last row: {term.describe()}")
        rows = [r for r in term.rows() if r]
        status = [r for r in rows[:-1] if "sio connect:" in r]
        expect(status and all(r.startswith("sio connect: ") for r in status),
               f"a status line is not on a row of its own: {term.describe()}")
        expect(rows[-2].startswith("sio connect: "), f"the last status line is not above the prompt: {term.describe()}")
        expect(not any(r.startswith("/>") for r in rows[:-1]), f"a prompt left above: {term.describe()}")
    finally:
        term.stop()


# ---- Long lines, resizes, UTF-8 and events while typing, on an 80-column terminal

def input_rows(term):
    """Rows showing some of DIGITS (a run of ten digits or more)."""
    return [r for r in term.rows() if re.search(r"\d{10}", r)]


@check("repl-long-line", ["serve"])
def _():
    line = "message " + DIGITS[:82]  # 90 characters
    term = repl(PEERS.serve.url(), cols=80)
    try:
        term.type(line)
        # 76 cells after "/> " with the last column free: the line's last 75 characters and the cursor
        expect(term.read_until(at("/> " + line[-75:], 78), 5),
               f"not the line's end with the cursor after it: {term.describe()}")
        expect(len(input_rows(term)) == 1, f"the line is drawn on more than one row: {term.describe()}")
        term.send(b"\x1b[H")  # Home
        expect(term.read_until(at("/> " + line[:76], 3), 5), f"Home: {term.describe()}")
        expect(len(input_rows(term)) == 1, f"Home: {term.describe()}")
        term.send(b"\x1b[F\r")  # End, Enter
        expect(term.read_until(lambda t: any(r.endswith(DIGITS[72:82] + '"') for r in t.rows()), 5),
               f"no message-back: {term.describe()}")
        # the line as sent, wrapped once (80 + 13 characters), then the event (110 characters: two rows),
        # then the empty prompt; no copy of the line anywhere above
        rows = [r for r in term.rows() if r]
        expect("/> " + line[:77] in rows, f"the sent line is not shown whole: {term.describe()}")
        sent = rows.index("/> " + line[:77])
        expect(rows[sent + 1] == line[77:], f"the sent line is not shown whole: {term.describe()}")
        expect("".join(rows[sent + 2:sent + 4]).endswith(f' message-back "{DIGITS[:82]}"'),
               f"the event does not follow the line: {term.describe()}")
        expect(rows[sent + 4:] == ["/>"], f"no empty prompt at the end: {term.describe()}")
        expect(not any(re.search(r"\d{10}", r) for r in rows[:sent]), f"copies of the line above: {term.describe()}")
    finally:
        term.stop()


@check("repl-resize", ["serve"])
def _():
    line = "message " + DIGITS[:82]
    term = repl(PEERS.serve.url(), cols=80)
    try:
        term.type(line)
        expect(term.read_until(at("/> " + line[-75:], 78), 5), f"typing: {term.describe()}")
        term.resize(120)
        expect(term.read_until(at("/> " + line, 93), 5), f"wider: {term.describe()}")
        term.resize(40)
        expect(term.read_until(at("/> " + line[-35:], 38), 5), f"narrower: {term.describe()}")
        expect(len(input_rows(term)) == 1, f"narrower: {term.describe()}")
        term.send(b"\r")
        expect(term.read_until(lambda t: f'message-back "{DIGITS[:82]}"' in t.text(), 5),
               f"the line was not sent whole: {term.describe()}")
    finally:
        term.stop()


@check("repl-event-while-typing", ["serve"])
def _():
    term = repl(PEERS.serve.url(), cols=80)
    try:
        term.type("message partial")
        expect(term.read_until(lambda t: t.cursor_row() == "/> message partial", 5), f"typing: {term.describe()}")
        # another client makes the server send `news "hello"` to this one
        r = checks.run_sio(["emit", PEERS.serve.url(), "broadcast", "news", "hello"], 15)
        expect(r.rc == 0, f"sio emit: {r.describe()}")
        expect(term.read_until(lambda t: any(r.endswith(' news "hello"') for r in t.rows()), 5),
               f"no news event: {term.describe()}")
        expect(term.read_until(at("/> message partial", 18), 5),
               f"the partial line is not redrawn after the event: {term.describe()}")
        rows = [r for r in term.rows() if r]
        expect(rows[-1] == "/> message partial", f"the partial line is not redrawn below the event: {term.describe()}")
        expect(rows[-2].endswith(' news "hello"') and not rows[-2].startswith("/>"),
               f"the event is not on a row of its own: {term.describe()}")
        term.send(b"\r")
        expect(term.read_until(lambda t: any(r.endswith(' message-back "partial"') for r in t.rows()), 5),
               f"the partial line was not kept: {term.describe()}")
    finally:
        term.stop()


@check("repl-utf8", ["serve"])
def _():
    term = repl(PEERS.serve.url(), cols=80)
    try:
        term.type("message 日本語é")
        # the cursor's column counts 日本語 as two cells each
        expect(term.read_until(at("/> message 日本語é", 3 + 8 + 6 + 1), 5), f"typing: {term.describe()}")
        term.send(b"\x1b[D\x1b[D")  # Left twice: before 語
        expect(term.read_until(at("/> message 日本語é", 3 + 8 + 4), 5), f"Left: {term.describe()}")
        term.send(b"x\x7f\x7f")  # insert, then delete it and 本 before it
        expect(term.read_until(at("/> message 日語é", 3 + 8 + 2), 5), f"Backspace: {term.describe()}")
        term.send(b"\r")
        expect(term.read_until(lambda t: any(r.endswith(' message-back "日語é"') for r in t.rows()), 5),
               f"no message-back: {term.describe()}")
    finally:
        term.stop()


def teardown():
    PEERS.stop_all()
    return []


def main():
    return checks.main("repl_test", "sio connect's REPL on a pseudo-terminal", setup=PEERS.init,
                       start=PEERS.start, teardown=teardown)


if __name__ == "__main__":
    sys.exit(main())
