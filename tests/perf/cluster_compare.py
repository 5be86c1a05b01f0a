#!/usr/bin/python3
"""Cross-node broadcast benchmark: a two-member `sio serve --redis` cluster against a two-member
Node cluster (tests/interop/reference_server.js, npm socket.io 4.8 + @socket.io/redis-adapter 8),
both driven by `sio bench ... --also ...`. A benchmark, not a test. Standard library only.

    /usr/bin/python3 tests/perf/cluster_compare.py [--sio build/release/cmd/sio] [--quick]
        [--clusters sio,node] [--pipeline N] [--rate R] [--save FILE.json]

For each cluster this harness starts a fresh redis-server (`--save '' --appendonly no`, on a free
port of 127.0.0.1) and two members in broadcast mode on it (`--port 0`, the port read from their
`listening on` line), waits until both have subscribed to the namespace's request channel, then runs

    sio bench MEMBER1 --also MEMBER2 --scenario broadcast --clients 100 --senders 10 --json --threads 1

Client g of the bench connects to member g % 2, so the senders and the receivers are split evenly:
half of every event's deliveries cross Redis to the other member, and the latency percentiles mix
local and cross-node deliveries. Closed loop by default (each sender emits again when its own
member acks); --pipeline N keeps N emits in flight per sender, --rate R offers R events/s in all.

Both members run pinned to core 0 (taskset -c 0), so they share one core; the bench, Redis and this
harness run on core 1. Server CPU is the two members' utime+stime from /proc (compare.py's sampler),
summed, over the measured window as compare.py finds it (each member's window starts `--warmup`
seconds after it holds 98 % of its half of the clients). Redis CPU is over the same window as the
first member's. The `sio/node` row divides sio's figures by Node's (above 1 is better for
deliveries/s, below 1 for latency and CPU). deliv/event is deliveries per event sent (about the
number of clients when every event reaches everyone).

Every child runs in its own process group and is stopped (SIGTERM, then SIGKILL) on every exit path;
every wait is bounded. Exit status: 0 every cluster measured, 1 some run failed, 2 setup error.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402  (children, /proc sampling, servers, bench runs and tables are shared)
from compare import HarnessError, fmt, ratio  # noqa: E402

ROOT = compare.ROOT
CLUSTERS = ["sio", "node"]
REDIS_TIMEOUT = 10.0      # seconds for redis-server to answer PING
SUBSCRIBE_TIMEOUT = 10.0  # seconds for both members to subscribe to the namespace's request channel
REQUEST_CHANNEL = "socket.io-request#/#"  # every member of the default key subscribes to it for "/"


def log(opts, message):
    if not opts.quiet:
        print(f"cluster_compare: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- Redis

def free_port():
    """A port with nothing listening on 127.0.0.1 (bound once by the OS's choice, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_command(port, *args, timeout=2.0):
    """One command over RESP; returns the reply (an int, a string, or a list of them)."""
    payload = b"".join([f"*{len(args)}\r\n".encode()] +
                       [f"${len(str(a).encode())}\r\n{a}\r\n".encode() for a in args])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload)
        f = s.makefile("rb")

        def read():
            line = f.readline()
            kind, rest = line[:1], line[1:].rstrip(b"\r\n")
            if kind in (b"+", b"-"):
                return rest.decode()
            if kind == b":":
                return int(rest)
            if kind == b"$":
                n = int(rest)
                return None if n < 0 else f.read(n + 2)[:n].decode(errors="replace")
            if kind == b"*":
                return [read() for _ in range(int(rest))]
            raise OSError(f"unexpected reply {line!r}")

        return read()


class Redis:
    """A redis-server of its own on a free port, pinned with the bench (core 1)."""

    def __init__(self, opts, workdir):
        self.opts, self.workdir = opts, workdir
        self.port = None
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.proc.pid  # taskset execs redis-server

    def start(self):
        self.port = free_port()
        self.log_path = os.path.join(self.workdir, f"redis-{self.port}.log")
        cmd = compare.pin(self.opts, 1) + [self.opts.redis_server, "--port", str(self.port), "--bind", "127.0.0.1",
                                           "--save", "", "--appendonly", "no", "--dir", self.workdir]
        with open(self.log_path, "wb") as out:
            self.proc = compare.spawn(cmd, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + REDIS_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if redis_command(self.port, "PING") == "PONG":
                    return self
            except OSError:
                pass
            time.sleep(0.05)  # a bounded poll, not a synchronisation
        status = self.proc.poll()
        self.stop()
        with open(self.log_path, "rb") as f:
            said = compare.tail_text(f.read(), 1000)
        how = f"exited with status {status}" if status is not None else f"no answer within {REDIS_TIMEOUT:.0f}s"
        raise HarnessError(f"redis-server did not answer PING on port {self.port} ({how}):\n{said}")

    def wait_subscribers(self, n):
        """True once n connections subscribe to the request channel of "/" (each member does)."""
        deadline = time.monotonic() + SUBSCRIBE_TIMEOUT
        while time.monotonic() < deadline:
            try:
                reply = redis_command(self.port, "PUBSUB", "NUMSUB", REQUEST_CHANNEL)
                if int(reply[1]) >= n:
                    return True
            except (OSError, ValueError, IndexError, TypeError):
                pass
            time.sleep(0.1)
        return False

    def stop(self):
        if self.proc is not None:
            compare.stop(self.proc)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# ------------------------------------------------------------------------------------------ the runs

def member(opts, kind, redis):
    """compare.Server (the same command line, pinned to core 0) joined to the cluster on `redis`."""
    server = compare.Server(opts, kind, "broadcast")
    server.cmd = server.cmd + ["--redis", redis.url]
    return server


def window_cpu(samples, base_fds, share, warmup, duration):
    """(CPU seconds, start, end) of a member over its measured window; None when it cannot be found."""
    window = compare.steady_window(samples, base_fds, share, warmup, duration)
    if window is None:
        return None
    start, end = window
    return compare.interpolate(samples, end, 1) - compare.interpolate(samples, start, 1), start, end


def run_cluster(opts, kind, workdir):
    row = {"cluster": kind, "notes": []}
    args = ["--clients", opts.clients, "--senders", opts.senders, "--pipeline", opts.pipeline,
            "--duration", opts.duration, "--warmup", opts.warmup, "--payload-size", opts.payload_size]
    if opts.rate > 0:
        args += ["--rate", opts.rate]
    with Redis(opts, workdir) as redis:
        members = [member(opts, kind, redis) for _ in range(2)]
        try:
            for m in members:
                m.start()
            if not redis.wait_subscribers(2):
                row["notes"].append("members not subscribed before the bench")
            time.sleep(1.0)  # let the runtimes settle (JIT, lazy allocations) before the baseline
            for m in members:
                m.check_alive()
            base_fds = [compare.proc_nfds(m.pid) for m in members]
            cmd = compare.bench_cmd(opts, members[0].url, "broadcast", args + ["--also", members[1].url])
            log(opts, f"{kind}: {members[0].url} + {members[1].url} on {redis.url}  "
                      f"({' '.join(cmd[cmd.index('bench'):])})")
            timeout = compare.bench_timeout(args + opts.bench_arg, opts.warmup, opts.duration)
            with compare.Sampler(members[0].pid) as s0, compare.Sampler(members[1].pid) as s1, \
                    compare.Sampler(redis.pid) as sr:
                result, wall, gen_cpu = compare.run_generator(cmd, timeout, "sio bench")
            for m in members:
                m.check_alive()
        finally:
            for m in members:
                m.stop()

    connected = int(result.get("connected") or 0)
    duration = float(result.get("duration_s") or opts.duration)
    samplers = [s0, s1]
    row.update(bench=result, urls=result.get("urls"), clients=result.get("clients"), connected=connected,
               wall_s=wall, generator_cpu_whole_run_s=gen_cpu, base_fds=base_fds)
    # Each member holds about half of the clients (client g on member g % 2).
    windows = [window_cpu(s.samples, base_fds[i], connected // 2, opts.warmup, duration)
               for i, s in enumerate(samplers)]
    per_node = []
    for i, (s, w) in enumerate(zip(samplers, windows)):
        if w is None:
            start, end = s.samples[0][0], s.samples[-1][0]
            cpu = compare.interpolate(s.samples, end, 1) - compare.interpolate(s.samples, start, 1)
            row["notes"].append(f"node {i + 1} cpu over whole run")
        else:
            cpu, start, end = w
        per_node.append({"cpu_s": cpu, "window_s": end - start,
                         "cpu_pct": 100.0 * cpu / (end - start) if end > start else None,
                         "peak_rss_kib": max(x[2] for x in s.samples)})
    row["nodes"] = per_node
    pcts = [n["cpu_pct"] for n in per_node]
    row["server_cpu_pct"] = sum(pcts) if all(p is not None for p in pcts) else None
    # Redis over the first member's window (the load is the same on both).
    start, end = (windows[0][1], windows[0][2]) if windows[0] else (sr.samples[0][0], sr.samples[-1][0])
    redis_cpu = compare.interpolate(sr.samples, end, 1) - compare.interpolate(sr.samples, start, 1)
    row["redis_cpu_pct"] = 100.0 * redis_cpu / (end - start) if end > start else None

    throughput = result.get("throughput")
    sent = result.get("sent") or 0
    row["throughput"] = throughput
    row["events_per_s"] = sent / duration if duration > 0 else None
    row["deliveries_per_event"] = result.get("received", 0) / sent if sent else None
    row["server_cpu_us_per_delivery"] = (1e4 * row["server_cpu_pct"] / throughput
                                         if throughput and row["server_cpu_pct"] is not None else None)
    gen = result.get("generator_cpu_s")
    row["generator_cpu_pct"] = 100.0 * gen / duration if gen is not None and duration > 0 else None
    lat = result.get("latency_us") or {}
    row["p50_ms"] = lat.get("p50") / 1000.0 if lat.get("p50") is not None else None
    row["p99_ms"] = lat.get("p99") / 1000.0 if lat.get("p99") is not None else None
    if result.get("clients") is not None and connected < int(result["clients"]):
        row["notes"].append(f"connected {connected}/{result['clients']}")
    if row["deliveries_per_event"] is not None and connected and row["deliveries_per_event"] < 0.9 * connected:
        row["notes"].append(f"deliveries lost? {row['deliveries_per_event']:.1f} per event for {connected} clients")
    for key in ("errors", "drops", "connect_failures"):
        if result.get(key):
            row["notes"].append(f"{key.replace('_', ' ')} {result[key]}")
    if (row["generator_cpu_pct"] or 0) > 90:
        row["notes"].append("bench near 100 % CPU: it may bound deliveries/s")
    if result.get("interrupted"):
        row["notes"].append("bench interrupted")
    if "_exit_status" in result:
        row["notes"].append(f"bench exit {result['_exit_status']}")
    return row


# -------------------------------------------------------------------------------------------- output

METRICS = [  # (key, header, format)
    ("throughput", "deliv/s", ",.0f"),
    ("events_per_s", "events/s", ",.0f"),
    ("deliveries_per_event", "deliv/event", ".1f"),
    ("p50_ms", "p50 ms", ".2f"),
    ("p99_ms", "p99 ms", ".2f"),
    ("server_cpu_pct", "srv CPU % (2 nodes)", ".0f"),
    ("server_cpu_us_per_delivery", "CPU us/deliv", ".2f"),
    ("redis_cpu_pct", "redis CPU %", ".0f"),
    ("generator_cpu_pct", "bench CPU %", ".0f"),
]
# Sanity figures, not a comparison (Redis's load follows the events/s each cluster reached).
NO_RATIO = {"deliveries_per_event", "redis_cpu_pct", "generator_cpu_pct"}


def print_rows(rows):
    headers = ["cluster", "clients"] + [h for _, h, _ in METRICS] + ["notes"]
    aligns = ["<", ">"] + [">"] * len(METRICS) + ["<"]
    out = []
    for r in rows:
        if "error" in r:
            out.append([r["cluster"], "", *["" for _ in METRICS], "FAILED (see above)"])
            continue
        out.append([r["cluster"], str(r.get("connected", "")), *[fmt(r.get(k), spec) for k, _, spec in METRICS],
                    "; ".join(r.get("notes", []))])
    by = {r["cluster"]: r for r in rows if "error" not in r}
    if "sio" in by and "node" in by:
        cells = ["" if k in NO_RATIO or ratio(by["sio"].get(k), by["node"].get(k)) is None
                 else f"{ratio(by['sio'].get(k), by['node'].get(k)):.2f}x" for k, _, _ in METRICS]
        out.append(["sio/node", "", *cells, ""])
    compare.print_table(headers, out, aligns)
    print("(sio/node: sio's figure divided by Node's. Above 1 is better for deliv/s, below 1 for latency and CPU."
          " srv CPU % sums both members, which share core 0: at most 100.)")


# ---------------------------------------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sio", default=os.path.join(ROOT, "build/release/cmd/sio"), help="the sio binary (serve and bench)")
    p.add_argument("--redis-server", default="redis-server", help="the redis-server binary")
    p.add_argument("--clusters", default=",".join(CLUSTERS), help="comma-separated subset of sio,node")
    p.add_argument("--quick", action="store_true", help="short runs (a smoke run)")
    p.add_argument("--duration", type=float, help="measured seconds (default 10; quick 3)")
    p.add_argument("--warmup", type=float, help="warm-up seconds (default 2; quick 1)")
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--senders", type=int, default=10)
    p.add_argument("--pipeline", type=int, default=1, help="closed loop: emits in flight per sender (default 1)")
    p.add_argument("--rate", type=float, default=0,
                   help="events per second, all senders together (default 0: closed loop)")
    p.add_argument("--payload-size", type=int, default=32, help="bytes per event (default 32)")
    p.add_argument("--bench-arg", action="append", default=[], help="extra argument for every sio bench call (repeatable)")
    p.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin with taskset")
    p.add_argument("--save", metavar="FILE", help="write every raw result as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    opts = p.parse_args(argv)
    chosen = [v.strip() for v in opts.clusters.split(",") if v.strip()]
    if not chosen or any(v not in CLUSTERS for v in chosen):
        p.error(f"--clusters: expected a comma-separated subset of {','.join(CLUSTERS)}, got {opts.clusters!r}")
    opts.clusters = [c for c in CLUSTERS if c in chosen]
    opts.duration = opts.duration if opts.duration is not None else (3.0 if opts.quick else 10.0)
    opts.warmup = opts.warmup if opts.warmup is not None else (1.0 if opts.quick else 2.0)
    opts.sio = os.path.abspath(opts.sio)
    opts.python = None  # compare.Server's python server is not used here
    return opts


def preflight(opts):
    if not (os.path.isfile(opts.sio) and os.access(opts.sio, os.X_OK)):
        raise HarnessError(f"no sio binary at {opts.sio} (build it, or pass --sio PATH)")
    compare.check_bench(opts)
    help_text = subprocess.run([opts.sio, "bench", "--help"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=15).stdout
    if b"--also" not in help_text:
        raise HarnessError(f"{opts.sio} bench has no --also: rebuild it, or pass --sio PATH")
    if not shutil.which(opts.redis_server):
        raise HarnessError(f"{opts.redis_server} not found (apt-get install redis-server, or --redis-server PATH)")
    if "node" in opts.clusters:
        if not shutil.which("node"):
            raise HarnessError("node is not on PATH")
        modules = os.path.join(ROOT, "tests/interop/node_modules")
        for package in ("socket.io", "@socket.io/redis-adapter", "redis"):
            if not os.path.isdir(os.path.join(modules, package)):
                raise HarnessError(f"tests/interop/node_modules has no {package}: run npm ci in tests/interop")
    compare.pin_harness(opts, "cluster_compare")
    compare.raise_nofile()


def main(argv=None):
    opts = parse_args(argv)
    rows = []

    def body():
        preflight(opts)
        with tempfile.TemporaryDirectory(prefix="sio-cluster-compare-") as workdir:
            for kind in opts.clusters:
                try:
                    rows.append(run_cluster(opts, kind, workdir))
                except HarnessError as e:
                    print(f"cluster_compare: {kind}: {e}", file=sys.stderr)
                    rows.append({"cluster": kind, "error": str(e)})
                time.sleep(1.0)  # let sockets of the previous run leave TIME_WAIT pressure behind

    def save():
        if opts.save and rows:
            with open(opts.save, "w") as f:
                json.dump({"options": vars(opts), "clusters": rows}, f, indent=2)

    status = compare.guarded_run("cluster_compare", body, save)
    if status == 2:
        return 2
    if rows:
        pinned = "members on core 0, bench and Redis on core 1" if opts.pin else "unpinned"
        rate = f"{opts.rate:g} events/s in all" if opts.rate > 0 else f"closed loop, pipeline {opts.pipeline}"
        print(f"\nBroadcast across two members ({pinned}): {opts.clients} clients spread over both, "
              f"{opts.senders} senders, {rate}, {opts.duration:g} s measured:")
        print_rows(rows)
    if status is not None:
        return status
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
