#!/usr/bin/python3
"""Side-by-side benchmark: `sio serve` against the Node reference server (npm socket.io 4.8) and
python-socketio on eventlet, all driven by `sio bench`; then `sio bench` against the Node
generator tests/perf/node_bench.js. A benchmark, not a test. Standard library only.

    /usr/bin/python3 tests/perf/compare.py [--sio build/release/cmd/sio] [--quick]
        [--servers sio,node,python] [--scenarios echo,broadcast,idle,generators] [--pipeline 16,1]
        [--save FILE.json]

Every server runs pinned to core 0 (taskset -c 0), every generator to core 1 (taskset -c 1), and
this harness moves itself to core 1 too, so that its /proc sampling never competes with a server.
Each (scenario, server) pair gets a fresh server, so baselines are clean:

    echo        --clients 100, closed loop, every event acked, once per --pipeline value (N in flight
                per client; default 16 and 1: the most each server does, then one at a time)
    broadcast   --clients 100 --senders 2, closed loop (each sender emits again when its ack is back),
                each event delivered to all 100 sockets; --rate R offers R events/s in all instead
    idle        --clients 15000 --ramp-up 10 (python: 5000 over 20 s) held open for 10 s with
                --source-addresses 127.0.0.1-127.0.0.4; memory per connection
    generators  one `sio serve` (echo), driven in turn by node_bench.js and by `sio bench --scenario
                echo` with the same clients, duration and payload: messages per CPU-second of
                generator (each generator's own figure: node_bench's per_core, sio bench's
                throughput_per_core)

Server CPU comes from /proc/PID/stat (utime+stime, all threads) sampled every 0.2 s. CPU % is
taken over the measured window only: the window starts `--warmup` seconds after the server holds
(nearly) all the connections the bench reports as connected (counted from /proc/PID/fd) and lasts
the bench's duration_s; the middle 80 % of it is used. When that window cannot be found the whole
run is used and the row says so. CPU us/msg is that CPU time divided by the messages the bench
counted (acks for echo, deliveries for broadcast). RSS is VmRSS from /proc/PID/status: the
baseline is read before the bench connects, the idle figure is the largest sample while the
connections are held, and KiB/conn = (held - baseline) / connected.

The soft RLIMIT_NOFILE of this process is raised to the hard limit at start, so every child
(servers and generators) inherits it (rather than a preexec_fn, which is not safe with the
sampling and stderr-draining threads running). All children run in their own process group and are
stopped (SIGTERM, then SIGKILL) on every exit path.
"""
import argparse
import json
import os
import re
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLK_TCK = os.sysconf("SC_CLK_TCK")

SERVERS = ["sio", "node", "python"]
SCENARIOS = ["echo", "broadcast", "idle", "generators"]
START_TIMEOUT = 30.0   # seconds for a server to print its listening line
STOP_TIMEOUT = 5.0     # seconds between SIGTERM and SIGKILL
SAMPLE_INTERVAL = 0.2  # seconds between /proc samples


class HarnessError(Exception):
    pass


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP: unwinds to main, which stops every child and prints what it has."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


# ----------------------------------------------------------------------------------------- children

CHILDREN = []  # every Popen this harness started


def spawn(cmd, **kwargs):
    """Starts cmd in its own process group (so it and anything it forks can be stopped together)."""
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    try:
        proc = subprocess.Popen(cmd, start_new_session=True, **kwargs)
    except OSError as e:
        raise HarnessError(f"cannot run {cmd[0]}: {e}") from None
    CHILDREN.append(proc)
    return proc


def stop(proc, timeout=STOP_TIMEOUT):
    """SIGTERM to the child's process group, SIGKILL after `timeout`; returns the exit status."""
    if proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
    else:
        # The leader is gone; make sure nothing it left in its group survives.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if proc in CHILDREN:
        CHILDREN.remove(proc)
    return proc.returncode


def stop_all():
    for proc in list(CHILDREN):
        stop(proc, timeout=2.0)


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --------------------------------------------------------------------------------------------- /proc

def proc_cpu_seconds(pid):
    """utime + stime of the whole process (every thread), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of stat(5)


def proc_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def proc_nfds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class Sampler:
    """Samples (time, CPU seconds, RSS KiB, open fds) of a process in a background thread."""

    def __init__(self, pid, interval=SAMPLE_INTERVAL):
        self.pid = pid
        self.interval = interval
        self.samples = []
        self._nfds = 0
        self._fd_skip = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self):
        try:
            t = time.monotonic()
            cpu, rss = proc_cpu_seconds(self.pid), proc_rss_kib(self.pid)
            # Listing /proc/PID/fd costs ~20 ms at 15,000 fds: then count them once a second only.
            if self._fd_skip > 0:
                self._fd_skip -= 1
            else:
                self._nfds = proc_nfds(self.pid)
                self._fd_skip = 4 if time.monotonic() - t > 0.005 else 0
            self.samples.append((t, cpu, rss, self._nfds))
        except (OSError, ValueError, IndexError):
            pass  # the process is gone or exiting

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()


def interpolate(samples, t, index):
    """Linear interpolation of samples[*][index] at time t (clamped to the sampled range)."""
    if t <= samples[0][0]:
        return samples[0][index]
    for a, b in zip(samples, samples[1:]):
        if a[0] <= t <= b[0]:
            if b[0] == a[0]:
                return b[index]
            return a[index] + (b[index] - a[index]) * (t - a[0]) / (b[0] - a[0])
    return samples[-1][index]


def steady_window(samples, base_fds, connected, warmup, duration):
    """The (start, end) of the bench's measured window as seen from the server: `warmup` seconds
    after the server first holds 98 % of the connected clients, for `duration` seconds, trimmed to
    its middle 80 %. None when it cannot be located."""
    if len(samples) < 3 or not duration or duration <= 0:
        return None
    target = base_fds + max(1, int(connected * 0.98)) if connected else None
    t_conn = None
    if target is not None:
        t_conn = next((s[0] for s in samples if s[3] >= target), None)
    if t_conn is None:
        return None
    start = t_conn + (warmup or 0.0)
    end = min(start + duration, samples[-1][0])
    if end - start < max(0.5, 0.5 * duration):
        return None
    trim = 0.1 * (end - start)
    return start + trim, end - trim


# ------------------------------------------------------------------------------------------- servers

def pin(opts, core):
    return ["taskset", "-c", str(core)] if opts.pin else []


class Server:
    def __init__(self, opts, kind, mode):
        self.opts, self.kind, self.mode = opts, kind, mode
        if kind == "sio":
            cmd = [opts.sio, "serve", "--host", "127.0.0.1", "--port", "0", "--mode", mode, "-q"]
        elif kind == "node":
            cmd = ["node", os.path.join(ROOT, "tests/interop/reference_server.js"), "--port", "0", "--mode", mode]
        elif kind == "python":
            cmd = [opts.python, os.path.join(HERE, "python_server.py"), "--port", "0", "--mode", mode]
        else:
            raise ValueError(kind)
        self.cmd = pin(opts, 0) + cmd
        self.proc = None
        self.url = None
        self._stderr = b""
        self._drain = None

    @property
    def pid(self):
        return self.proc.pid  # taskset execs the server, so this is the server's own pid

    def start(self):
        self.proc = spawn(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while time.monotonic() < deadline:
                if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                    break
                chunk = os.read(self.proc.stderr.fileno(), 4096)
                if not chunk:
                    break
                self._stderr += chunk
                m = re.search(rb"listening on http://([^\s/]+):(\d+)", self._stderr)
                if m:
                    self.url = f"http://{m.group(1).decode()}:{int(m.group(2))}"
                    break
        finally:
            sel.close()
        if self.url is None:
            status = self.proc.poll()
            stop(self.proc)
            said = self._stderr.decode(errors="replace").strip() or "(nothing on stderr)"
            how = f"exited with status {status}" if status is not None else f"printed no listening line in {START_TIMEOUT:.0f}s"
            raise HarnessError(f"{self.kind} server failed to start ({how}): {' '.join(self.cmd)}\n{said}")
        # Keep reading stderr so that a chatty server never blocks on a full pipe; keep the tail.
        self._drain = threading.Thread(target=self._drain_stderr, daemon=True)
        self._drain.start()
        return self

    def _drain_stderr(self):
        try:
            while True:
                chunk = os.read(self.proc.stderr.fileno(), 65536)
                if not chunk:
                    return
                self._stderr = (self._stderr + chunk)[-8192:]
        except (OSError, ValueError):
            return

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def check_alive(self):
        if not self.alive():
            tail = self._stderr.decode(errors="replace").strip()[-2000:]
            raise HarnessError(f"{self.kind} server died (status {self.proc.returncode}):\n{tail}")

    def stop(self):
        if self.proc is not None:
            stop(self.proc)
            if self._drain is not None:
                self._drain.join(timeout=2)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# ---------------------------------------------------------------------------------------- generators

def children_cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_generator(cmd, timeout, what):
    """Runs a generator to completion (bounded), returns (the JSON object of its last stdout line,
    wall seconds, CPU seconds of the whole run as the kernel accounted it when it was reaped)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        cpu0 = children_cpu_seconds()
        t0 = time.monotonic()
        proc = spawn(cmd, stdout=out, stderr=err)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop(proc)
            err.seek(0)
            raise HarnessError(f"{what} did not finish in {timeout:.0f}s: {' '.join(cmd)}\n"
                               + tail_text(err.read()))
        finally:
            stop(proc)
        wall = time.monotonic() - t0
        cpu = children_cpu_seconds() - cpu0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    lines = [line for line in stdout.decode(errors="replace").splitlines() if line.strip()]
    result = None
    if lines:
        try:
            result = json.loads(lines[-1])
        except json.JSONDecodeError:
            result = None
    if not isinstance(result, dict):
        raise HarnessError(f"{what} failed (status {proc.returncode}, no JSON summary): {' '.join(cmd)}\n"
                           + tail_text(stderr + b"\n" + stdout))
    if proc.returncode != 0:  # a summary was printed: keep it, but say so
        result["_exit_status"] = proc.returncode
        print(f"compare: {what} exited with status {proc.returncode}:\n{tail_text(stderr, 600)}", file=sys.stderr)
    return result, wall, cpu


def tail_text(data, limit=2000):
    text = data.decode(errors="replace").strip()
    return text[-limit:] if text else "(no output)"


def bench_cmd(opts, url, scenario, args):
    return (pin(opts, 1) + [opts.sio, "bench", url, "--scenario", scenario, "--json", "--threads", "1"]
            + [str(a) for a in args] + opts.bench_arg)


def check_bench(opts):
    """Fails early, with a clear message, when the sio binary has no `bench` subcommand."""
    try:
        done = subprocess.run([opts.sio, "bench", "--help"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=15)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise HarnessError(f"cannot run {opts.sio} bench --help: {e}") from None
    # An sio without `bench` answers `sio bench --help` with its main help and status 0.
    if done.returncode != 0 or b"--scenario" not in done.stdout:
        raise HarnessError(f"{opts.sio} has no `bench` subcommand (`sio bench --help` exited {done.returncode} "
                           "without mentioning --scenario): rebuild it, or pass --sio PATH")


# ----------------------------------------------------------------------------------------- scenarios

def scenario_plan(opts, scenario, kind, pipeline=1):
    """(server mode, sio bench args, warmup, duration) of a scenario for a server kind."""
    common = ["--duration", opts.duration, "--warmup", opts.warmup]
    payload = ["--payload-size", opts.payload_size]
    if scenario == "echo":
        args = ["--clients", opts.echo_clients, "--pipeline", pipeline] + common + payload
        return "echo", args, opts.warmup, opts.duration
    if scenario == "broadcast":
        return "broadcast", (["--clients", opts.broadcast_clients, "--senders", opts.senders, "--rate", opts.rate,
                              "--pipeline", pipeline]
                             + common + payload), opts.warmup, opts.duration
    if scenario == "idle":
        python = kind == "python"
        clients = opts.python_idle_clients if python else opts.idle_clients
        ramp = opts.python_idle_ramp_up if python else opts.idle_ramp_up
        args = ["--clients", clients, "--ramp-up", ramp, "--duration", opts.idle_hold, "--warmup", opts.idle_settle,
                "--source-addresses", opts.source_addresses]
        return "echo", args, opts.idle_settle, opts.idle_hold
    raise ValueError(scenario)


def bench_timeout(args_list, warmup, duration):
    args = [str(a) for a in args_list]
    clients = int(args[args.index("--clients") + 1]) if "--clients" in args else 100
    ramp = float(args[args.index("--ramp-up") + 1]) if "--ramp-up" in args else 0.0
    # Connecting is the slow part for big runs (python-socketio accepts a few hundred a second).
    return ramp + warmup + duration + clients / 150.0 + 60.0


def scenario_label(scenario, pipeline):
    """The table's name for a run: `echo x16` has 16 emits in flight per client."""
    return scenario if scenario == "idle" else f"{scenario} x{pipeline}"


def run_scenario(opts, scenario, kind, pipeline=1):
    mode, args, warmup, duration = scenario_plan(opts, scenario, kind, pipeline)
    row = {"scenario": scenario_label(scenario, pipeline), "kind": scenario, "pipeline": pipeline, "server": kind,
           "notes": []}
    with Server(opts, kind, mode) as server:
        time.sleep(1.0)  # let the runtime settle (JIT, lazy allocations) before the baseline
        server.check_alive()
        base_rss, base_fds = proc_rss_kib(server.pid), proc_nfds(server.pid)
        cmd = bench_cmd(opts, server.url, scenario, args)
        log(opts, f"{scenario} / {kind}: {server.url}  ({' '.join(cmd[cmd.index('bench'):])})")
        with Sampler(server.pid) as sampler:
            result, wall, gen_cpu = run_generator(cmd, bench_timeout(args + opts.bench_arg, warmup, duration),
                                                  "sio bench")
        server.check_alive()
    samples = sampler.samples
    connected = int(result.get("connected") or 0)
    row.update(bench=result, clients=result.get("clients"), connected=connected, wall_s=wall,
               generator_cpu_whole_run_s=gen_cpu, base_rss_kib=base_rss, base_fds=base_fds,
               peak_rss_kib=max(s[2] for s in samples),
               server_cpu_whole_run_s=samples[-1][1] - samples[0][1])
    window = steady_window(samples, base_fds, connected, warmup, float(result.get("duration_s") or duration))
    if window is None:
        start, end = samples[0][0], samples[-1][0]
        row["notes"].append("cpu/rss over whole run")
    else:
        start, end = window
    cpu = interpolate(samples, end, 1) - interpolate(samples, start, 1)
    row["server_cpu_window_s"] = cpu
    row["server_cpu_pct"] = 100.0 * cpu / (end - start) if end > start else None
    idle = scenario == "idle"  # no messages: msg/s, latency and CPU per message do not apply
    throughput = None if idle else result.get("throughput")
    row["throughput"] = throughput
    row["server_cpu_us_per_msg"] = (1e6 * cpu / (end - start) / throughput
                                    if throughput and end > start else None)
    held = [s[2] for s in samples if start <= s[0] <= end] or [s[2] for s in samples]
    row["held_rss_kib"] = max(held)
    row["rss_kib_per_conn"] = (max(held) - base_rss) / connected if scenario == "idle" and connected else None
    lat = {} if idle else (result.get("latency_us") or {})
    row["p50_ms"] = lat.get("p50") / 1000.0 if lat.get("p50") is not None else None
    row["p99_ms"] = lat.get("p99") / 1000.0 if lat.get("p99") is not None else None
    if result.get("clients") is not None and connected < int(result["clients"]):
        row["notes"].append(f"connected {connected}/{result['clients']}")
    for key in ("errors", "drops", "connect_failures"):
        if result.get(key):
            row["notes"].append(f"{key.replace('_', ' ')} {result[key]}")
    if result.get("interrupted"):
        row["notes"].append("bench interrupted")
    if "_exit_status" in result:
        row["notes"].append(f"bench exit {result['_exit_status']}")
    return row


def run_generators(opts, rows, pipeline):
    """One sio serve (echo); node_bench.js, then sio bench --scenario echo, with the same load.
    Appends a row per generator to `rows` as it goes."""
    clients, seconds = opts.gen_clients, opts.gen_duration
    with Server(opts, "sio", "echo") as server:
        time.sleep(1.0)
        runs = [
            ("node socket.io-client", pin(opts, 1) + ["node", os.path.join(HERE, "node_bench.js"), server.url,
                                                       str(clients), str(seconds), str(opts.payload_size),
                                                       str(pipeline)]),
            ("sio bench", bench_cmd(opts, server.url, "echo", ["--clients", clients, "--duration", seconds,
                                                               "--warmup", 1, "--payload-size", opts.payload_size,
                                                               "--pipeline", pipeline])),
        ]
        for name, cmd in runs:
            log(opts, f"generators / {name}: {server.url}")
            row = {"generator": name, "clients": clients, "pipeline": pipeline, "notes": []}
            try:
                with Sampler(server.pid) as sampler:
                    result, wall, gen_cpu = run_generator(cmd, seconds + 1 + clients / 150.0 + 60.0, name)
                server.check_alive()
            except HarnessError as e:
                row["error"] = str(e)
                rows.append(row)
                print(f"compare: {e}", file=sys.stderr)
                continue
            if name == "sio bench":
                throughput = result.get("throughput")
                per_core = result.get("throughput_per_core")
                self_cpu = result.get("generator_cpu_s")
                for key in ("errors", "drops", "connect_failures"):
                    if result.get(key):
                        row["notes"].append(f"{key.replace('_', ' ')} {result[key]}")
            else:
                throughput, per_core, self_cpu = result.get("throughput"), result.get("per_core"), result.get("cpu_s")
            samples = sampler.samples
            row.update(result=result, throughput=throughput, per_core=per_core, generator_cpu_s=self_cpu,
                       generator_cpu_whole_run_s=gen_cpu, wall_s=wall,
                       server_cpu_pct=busiest_cpu_pct(samples, seconds))
            rows.append(row)


def busiest_cpu_pct(samples, seconds):
    """Server CPU % over the busiest `seconds`-long stretch of the run (the generators' measured
    second-long windows are not visible from outside; a closed loop is steady while it runs)."""
    if len(samples) < 2:
        return None
    best = None
    for a in samples:
        t_end = a[0] + seconds
        if t_end > samples[-1][0]:
            break
        cpu = interpolate(samples, t_end, 1) - a[1]
        best = cpu if best is None else max(best, cpu)
    if best is None:
        return 100.0 * (samples[-1][1] - samples[0][1]) / max(1e-9, samples[-1][0] - samples[0][0])
    return 100.0 * best / seconds


# -------------------------------------------------------------------------------------------- output

def fmt(value, spec, missing="-"):
    return missing if value is None else format(value, spec)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def print_table(headers, rows, aligns):
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.ljust(w) if a == "<" else c.rjust(w) for c, w, a in zip(cells, widths, aligns)).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))


METRICS = [  # (key, header, format)
    ("throughput", "msg/s", ",.0f"),
    ("p50_ms", "p50 ms", ".2f"),
    ("p99_ms", "p99 ms", ".2f"),
    ("server_cpu_pct", "srv CPU %", ".0f"),
    ("server_cpu_us_per_msg", "CPU us/msg", ".2f"),
    ("held_rss_kib", "RSS MiB", None),
    ("rss_kib_per_conn", "KiB/conn", ".1f"),
]


def print_servers(rows, servers):
    headers = ["scenario", "server", "clients"] + [h for _, h, _ in METRICS] + ["notes"]
    aligns = ["<", "<", ">"] + [">"] * len(METRICS) + ["<"]
    out = []
    by_scenario = {}
    for r in rows:
        by_scenario.setdefault(r["scenario"], {})[r["server"]] = r
    for scenario, group in by_scenario.items():
        for kind in servers:
            r = group.get(kind)
            if r is None:
                continue
            if "error" in r:
                out.append([scenario, kind, "", *["" for _ in METRICS], "FAILED (see above)"])
                continue
            cells = []
            for key, _, spec in METRICS:
                if key == "held_rss_kib":
                    cells.append(fmt(r.get(key) / 1024.0 if r.get(key) is not None else None, ".1f"))
                else:
                    cells.append(fmt(r.get(key), spec))
            clients = f"{r['connected']}" if r.get("connected") is not None else ""
            out.append([scenario, kind, clients, *cells, "; ".join(r.get("notes", []))])
        sio = group.get("sio")
        for other in ("node", "python"):
            peer = group.get(other)
            if not sio or not peer or "error" in sio or "error" in peer:
                continue
            cells = []
            for key, _, _ in METRICS:
                r = ratio(sio.get(key), peer.get(key))
                cells.append("" if r is None else f"{r:.2f}x")
            out.append([scenario, f"sio/{other}", "", *cells, ""])
    print_table(headers, out, aligns)
    print("(sio/X rows: sio's figure divided by X's. Above 1 is better for msg/s, below 1 for latency, CPU and memory."
          " KiB/conn = (RSS while held - RSS before) / connected; CPU over the measured window.)")


def print_generators(rows):
    headers = ["generator", "in flight", "clients", "msg/s", "gen CPU s", "msg/s per gen core",
               "gen CPU s (whole run)", "srv CPU %", "notes"]
    aligns = ["<", ">", ">", ">", ">", ">", ">", ">", "<"]
    out = []
    for r in rows:
        if "error" in r:
            out.append([r["generator"], str(r.get("pipeline", "")), str(r["clients"]), "", "", "", "", "",
                        "FAILED (see above)"])
            continue
        out.append([r["generator"], str(r["pipeline"]), str(r["clients"]), fmt(r.get("throughput"), ",.0f"),
                    fmt(r.get("generator_cpu_s"), ".2f"), fmt(r.get("per_core"), ",.0f"),
                    fmt(r.get("generator_cpu_whole_run_s"), ".2f"), fmt(r.get("server_cpu_pct"), ".0f"),
                    "; ".join(r.get("notes", []))])
    print_table(headers, out, aligns)
    for pipeline in sorted({r["pipeline"] for r in rows if "error" not in r}):
        r = generator_ratio(rows, pipeline)
        print(f"messages per generator core, sio bench / node socket.io-client, {pipeline} in flight: {fmt(r, '.2f')}x")


def generator_ratio(rows, pipeline):
    by = {r["generator"]: r for r in rows if "error" not in r and r.get("pipeline") == pipeline}
    node, sio = by.get("node socket.io-client"), by.get("sio bench")
    return ratio(sio.get("per_core"), node.get("per_core")) if node and sio else None


# The targets of the issue, judged on this run's figures: throughput at the deepest pipeline run
# (the most each side can do), memory at the idle scenario's connection count.
TARGETS = [  # (what, needs, how it is computed)
    ("echo msg/s, sio / node", ">= 10x", "echo"),
    ("broadcast deliveries/s, sio / node", ">= 10x", "broadcast"),
    ("idle RSS per WebSocket, sio", "<= 4 KiB", "idle"),
    ("generator msg/s per core, sio bench / node", ">= 20x", "generators"),
]


def target_figure(key, server_rows, generator_rows):
    """(figure text, met or None when it cannot be judged, where it comes from)."""
    if key in ("echo", "broadcast"):
        runs = {}
        for r in server_rows:
            if r.get("kind") == key and "error" not in r:
                runs.setdefault(r["pipeline"], {})[r["server"]] = r
        complete = [p for p, g in runs.items() if "sio" in g and "node" in g]
        if not complete:
            return "-", None, "needs sio and node runs"
        deepest = max(complete)
        r = ratio(runs[deepest]["sio"].get("throughput"), runs[deepest]["node"].get("throughput"))
        return (f"{fmt(r, '.1f')}x", r is not None and r >= 10, f"{key} x{deepest}")
    if key == "idle":
        rows = [r for r in server_rows if r.get("kind") == "idle" and r.get("server") == "sio" and "error" not in r]
        if not rows or rows[0].get("rss_kib_per_conn") is None:
            return "-", None, "needs an sio idle run"
        r = rows[0]
        return (f"{r['rss_kib_per_conn']:.1f} KiB", r["rss_kib_per_conn"] <= 4.0, f"at {r['connected']} connections")
    pipelines = [r["pipeline"] for r in generator_rows if "error" not in r]
    if not pipelines:
        return "-", None, "needs the generators scenario"
    deepest = max(pipelines)
    r = generator_ratio(generator_rows, deepest)
    return (f"{fmt(r, '.1f')}x", r is not None and r >= 20, f"{deepest} in flight")


def print_targets(server_rows, generator_rows):
    out = []
    for what, needs, key in TARGETS:
        figure, met, source = target_figure(key, server_rows, generator_rows)
        verdict = "not judged" if met is None else ("met" if met else "NOT MET")
        out.append([what, needs, figure, verdict, source])
    print_table(["target", "needs", "this run", "verdict", "from"], out, ["<", "<", ">", "<", "<"])


def log(opts, message):
    if not opts.quiet:
        print(f"compare: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sio", default=os.path.join(ROOT, "build/release/cmd/sio"), help="the sio binary (serve and bench)")
    p.add_argument("--python", default="/usr/bin/python3", help="interpreter with python-socketio and eventlet")
    p.add_argument("--servers", default=",".join(SERVERS), help="comma-separated subset of sio,node,python")
    p.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated subset of " + ",".join(SCENARIOS))
    p.add_argument("--quick", action="store_true", help="short runs and fewer idle connections (a smoke run)")
    p.add_argument("--duration", type=float, help="measured seconds of echo and broadcast (default 10; quick 3)")
    p.add_argument("--warmup", type=float, help="warm-up seconds of echo and broadcast (default 2; quick 1)")
    p.add_argument("--payload-size", type=int, default=32, help="bytes per message (default 32)")
    p.add_argument("--echo-clients", type=int, default=100)
    p.add_argument("--pipeline", default="16,1",
                   help="echo, broadcast senders (closed loop) and generators: emits in flight per client; a "
                        "comma-separated list runs each of them once per value (default 16,1)")
    p.add_argument("--broadcast-clients", type=int, default=100)
    p.add_argument("--senders", type=int, default=2)
    p.add_argument("--rate", type=float, default=0,
                   help="broadcast events per second, all senders together (default 0: closed loop, the most the "
                        "server delivers)")
    p.add_argument("--idle-clients", type=int, help="idle connections for sio and node (default 15000; quick 2000)")
    p.add_argument("--python-idle-clients", type=int, help="idle connections for python (default 5000; quick 1000)")
    p.add_argument("--idle-hold", type=float, help="seconds the idle connections are held (default 10; quick 3)")
    p.add_argument("--idle-settle", type=float, default=2.0, help="bench --warmup of the idle scenario (default 2)")
    p.add_argument("--idle-ramp-up", type=float,
                   help="seconds over which the sio and node idle clients connect (default 10; quick 2)")
    p.add_argument("--python-idle-ramp-up", type=float,
                   help="seconds over which the python idle clients connect (default 20; quick 4)")
    p.add_argument("--source-addresses", default="127.0.0.1-127.0.0.4")
    p.add_argument("--gen-clients", type=int, default=100, help="clients of the generator comparison (default 100)")
    p.add_argument("--gen-duration", type=float, help="seconds of each generator run (default 10; quick 3)")
    p.add_argument("--bench-arg", action="append", default=[], help="extra argument for every sio bench call (repeatable)")
    p.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin with taskset")
    p.add_argument("--save", metavar="FILE", help="write every raw result as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    opts = p.parse_args(argv)

    def subset(value, allowed, flag):
        chosen = [v.strip() for v in value.split(",") if v.strip()]
        bad = [v for v in chosen if v not in allowed]
        if bad or not chosen:
            p.error(f"{flag}: expected a comma-separated subset of {','.join(allowed)}, got {value!r}")
        return [v for v in allowed if v in chosen]

    try:
        opts.pipelines = [int(v) for v in opts.pipeline.split(",") if v.strip()]
    except ValueError:
        opts.pipelines = []
    if not opts.pipelines or min(opts.pipelines) < 1:
        p.error(f"--pipeline: expected positive integers separated by commas, got {opts.pipeline!r}")
    opts.servers = subset(opts.servers, SERVERS, "--servers")
    opts.scenarios = subset(opts.scenarios, SCENARIOS, "--scenarios")
    q = opts.quick
    opts.duration = opts.duration if opts.duration is not None else (3.0 if q else 10.0)
    opts.warmup = opts.warmup if opts.warmup is not None else (1.0 if q else 2.0)
    opts.idle_clients = opts.idle_clients or (2000 if q else 15000)
    opts.python_idle_clients = opts.python_idle_clients or (1000 if q else 5000)
    opts.idle_ramp_up = opts.idle_ramp_up if opts.idle_ramp_up is not None else (2.0 if q else 10.0)
    opts.python_idle_ramp_up = opts.python_idle_ramp_up if opts.python_idle_ramp_up is not None else (4.0 if q else 20.0)
    opts.idle_hold = opts.idle_hold if opts.idle_hold is not None else (3.0 if q else 10.0)
    opts.gen_duration = opts.gen_duration if opts.gen_duration is not None else (3.0 if q else 10.0)
    opts.sio = os.path.abspath(opts.sio)
    return opts


def pin_harness(opts, prog):
    """Checks that pinning is possible (else turns it off, saying so) and moves this harness to core 1,
    so that its /proc sampling never competes with a server on core 0."""
    if opts.pin:
        if not shutil.which("taskset"):
            print(f"{prog}: taskset not found; running unpinned", file=sys.stderr)
            opts.pin = False
        elif not {0, 1} <= os.sched_getaffinity(0):
            print(f"{prog}: cores 0 and 1 are not both available; running unpinned", file=sys.stderr)
            opts.pin = False
    if opts.pin:
        os.sched_setaffinity(0, {1})


def guarded_run(prog, body, finish):
    """Runs body() with SIGINT, SIGTERM and SIGHUP raising Interrupted; on every path every child is
    stopped and then finish() runs (it saves the results). Returns None when body() completed, 2 after
    a HarnessError (said on stderr), or the exit status of the signal."""
    def on_signal(signum, _frame):
        raise Interrupted(128 + signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        body()
    except HarnessError as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return 2
    except Interrupted as e:
        print(f"{prog}: interrupted; stopping every child", file=sys.stderr)
        return e.status
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second ^C must not cut the cleanup short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_all()
        finish()
    return None


def preflight(opts):
    if not (os.path.isfile(opts.sio) and os.access(opts.sio, os.X_OK)):
        raise HarnessError(f"no sio binary at {opts.sio} (build it, or pass --sio PATH)")
    check_bench(opts)
    if "node" in opts.servers or "generators" in opts.scenarios:
        if not shutil.which("node"):
            raise HarnessError("node is not on PATH")
        if not os.path.isdir(os.path.join(ROOT, "tests/interop/node_modules/socket.io")):
            raise HarnessError("tests/interop/node_modules has no socket.io: run npm ci in tests/interop")
    if "python" in opts.servers:
        done = subprocess.run([opts.python, "-c", "import eventlet, socketio"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
        if done.returncode != 0:
            raise HarnessError(f"{opts.python} cannot import eventlet and socketio:\n{tail_text(done.stderr, 600)}")
    pin_harness(opts, "compare")
    nofile = raise_nofile()
    biggest = max([opts.idle_clients if "idle" in opts.scenarios else 0, opts.echo_clients, opts.broadcast_clients])
    if nofile != resource.RLIM_INFINITY and biggest + 200 > nofile:
        print(f"compare: warning: RLIMIT_NOFILE is {nofile}, too low for {biggest} connections", file=sys.stderr)


def main(argv=None):
    opts = parse_args(argv)
    server_rows, generator_rows = [], []

    def body():
        preflight(opts)
        for scenario in opts.scenarios:
            for pipeline in ([1] if scenario == "idle" else opts.pipelines):
                if scenario == "generators":
                    try:
                        run_generators(opts, generator_rows, pipeline)
                    except HarnessError as e:  # the server did not start or died
                        print(f"compare: generators: {e}", file=sys.stderr)
                        generator_rows.append({"generator": "(sio serve)", "clients": opts.gen_clients,
                                               "pipeline": pipeline, "error": str(e)})
                    continue
                for kind in opts.servers:
                    try:
                        server_rows.append(run_scenario(opts, scenario, kind, pipeline))
                    except HarnessError as e:
                        print(f"compare: {scenario} / {kind}: {e}", file=sys.stderr)
                        server_rows.append({"scenario": scenario_label(scenario, pipeline), "kind": scenario,
                                            "pipeline": pipeline, "server": kind, "error": str(e)})
                    time.sleep(1.0)  # let sockets of the previous run leave TIME_WAIT pressure behind

    def save():
        if opts.save and (server_rows or generator_rows):
            with open(opts.save, "w") as f:
                json.dump({"options": vars(opts), "servers": server_rows, "generators": generator_rows}, f,
                          indent=2)

    status = guarded_run("compare", body, save)
    if status == 2:
        return 2
    pinned = "server on core 0, generator on core 1" if opts.pin else "unpinned"
    if server_rows:
        print(f"\nServers driven by sio bench ({pinned}):")
        print_servers(server_rows, opts.servers)
    if generator_rows:
        print(f"\nGenerators against one sio serve ({pinned}), {opts.gen_clients} clients, closed-loop echo with acks:")
        print_generators(generator_rows)
    if server_rows or generator_rows:
        print("\nTargets (issue 5), judged on this run:")
        print_targets(server_rows, generator_rows)
    failures = sum(1 for r in server_rows + generator_rows if "error" in r)
    if status is not None:
        return status
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
