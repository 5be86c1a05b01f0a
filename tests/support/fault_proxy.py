"""A fault-injecting TCP proxy on loopback (the toxiproxy model), for tests that drive sio through a bad network.

Runs an asyncio loop on a thread of its own; the test changes the faults ("toxics") from its thread at any time:

    with FaultProxy(upstream_port) as proxy:      # listens on 127.0.0.1:proxy.port
        proxy.set(latency=0.05, jitter=0.02)      # every chunk, each direction: 50 ms +/- 20 ms
        proxy.set(rate=20_000)                    # bandwidth cap, bytes per second, each direction, all connections
        proxy.set(stall_after=4096)               # stop forwarding after N bytes per connection (server to client)
        proxy.set(reset_after=4096)               # RST (SO_LINGER 0) after N bytes per connection (server to client)
        proxy.reset_all()                         # RST every open connection now
        proxy.blackout(5)                         # drop every connection and refuse new ones for 5 s, then heal
        proxy.clear()                             # no faults

Chunks keep their order within a direction: the delay of a chunk counts from its arrival, and a chunk never
overtakes the one before it (as on a real link, jitter shifts a whole stream rather than reordering it).
"""

import asyncio
import random
import socket
import struct
import threading
import time


class Toxics:
    def __init__(self):
        self.latency = 0.0      # seconds added to every chunk
        self.jitter = 0.0       # +/- seconds, uniform
        self.rate = 0           # bytes per second, 0: no cap
        self.stall_after = None  # bytes from the server after which nothing more is forwarded (either way)
        self.reset_after = None  # bytes from the server after which the connection is reset


class FaultProxy:
    def __init__(self, upstream_port, upstream_host="127.0.0.1", seed=1):
        self.upstream = (upstream_host, upstream_port)
        self.toxics = Toxics()
        self.random = random.Random(seed)
        self.accepted = 0       # connections accepted
        self.refused = 0        # connections refused during a blackout
        self.resets = 0         # connections reset by a toxic or a command
        self.stalls = 0         # connections that hit stall_after
        self._conns = set()
        self.wire_free = {True: 0.0, False: 0.0}  # per direction: when the capped link is free again
        self._blackout_until = 0.0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = None

    # -- control, from any thread

    def start(self):
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("fault proxy did not start")
        return self

    def stop(self):
        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}{path}"

    def set(self, **toxics):
        """Changes the toxics named; applies to new chunks of every connection, open or new."""
        for k, v in toxics.items():
            if not hasattr(self.toxics, k):
                raise ValueError(f"unknown toxic {k}")
            setattr(self.toxics, k, v)

    def clear(self):
        self.toxics = Toxics()

    def open_connections(self):
        return len(self._conns)

    def reset_all(self):
        """Resets (RST) every open connection now; returns how many."""
        return self._call(self._reset_all)

    def blackout(self, seconds):
        """Resets every open connection and refuses new ones (RST on accept) for `seconds`, then heals."""
        self._blackout_until = time.monotonic() + seconds
        return self.reset_all()

    def _call(self, fn):
        async def run():
            return fn()
        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(5)

    # -- the loop

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._accept, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _shutdown(self):
        self._server.close()
        self._reset_all()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _reset_all(self):
        conns = list(self._conns)
        for c in conns:
            c.reset()
        return len(conns)

    async def _accept(self, reader, writer):
        if time.monotonic() < self._blackout_until:
            self.refused += 1
            _abort(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            _abort(writer)
            return
        self.accepted += 1
        conn = _Connection(self, writer, up_writer)
        self._conns.add(conn)
        try:
            await asyncio.gather(conn.pump(reader, up_writer, from_server=False),
                                 conn.pump(up_reader, writer, from_server=True))
        finally:
            self._conns.discard(conn)
            conn.close()


_RESET = object()  # queued after the last bytes before reset_after: the sender resets the connection there


def _abort(writer):
    """Closes with RST rather than FIN: SO_LINGER on, timeout 0."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


class _Connection:
    def __init__(self, proxy, client_writer, upstream_writer):
        self.proxy = proxy
        self.writers = (client_writer, upstream_writer)
        self.from_server = 0   # bytes forwarded from the server
        self.stalled = False
        self.reset_due = False  # reset_after reached: reset once what came before it has been sent
        self.dead = False
        self.next_free = {True: 0.0, False: 0.0}  # per direction: when the previous chunk has gone out

    def reset(self):
        if self.dead:
            return
        self.dead = True
        self.proxy.resets += 1
        for w in self.writers:
            _abort(w)

    def close(self):
        if self.dead:
            return
        self.dead = True
        for w in self.writers:
            w.close()

    async def pump(self, reader, writer, from_server):
        """Reads one direction; each chunk is stamped with its due time at arrival and queued for the sender, so
        that latency delays a stream without serialising its chunks."""
        queue = asyncio.Queue()
        sender = asyncio.ensure_future(self._send(queue, writer))
        try:
            while not self.dead:
                try:
                    data = await reader.read(16384)
                except (ConnectionError, OSError):
                    data = b""
                if self.dead:
                    return
                if not data:
                    if not self.stalled:  # a stalled link says nothing, not even FIN
                        await queue.put((0.0, None))
                        await sender
                    return
                if self.stalled:
                    continue  # swallowed: the peers see a connection that is open and silent
                t = self.proxy.toxics
                if from_server:
                    data = self._apply_limits(data, t)
                    if data is None:
                        continue
                # Under a cap, pieces of 20 ms each: a big read is not held back whole (store and forward).
                step = max(1, t.rate // 50) if t.rate else max(1, len(data))
                for i in range(0, len(data), step):
                    piece = data[i:i + step]
                    await queue.put((self._due(len(piece), t, from_server), piece))
                if self.reset_due and from_server:
                    await queue.put((0.0, _RESET))
                    return
        finally:
            if self.dead:
                sender.cancel()

    def _apply_limits(self, data, t):
        """Cuts the server's stream at reset_after / stall_after; None when nothing more goes through."""
        for limit, act in ((t.reset_after, "reset"), (t.stall_after, "stall")):
            if limit is not None and self.from_server + len(data) > limit:
                data = data[:max(0, limit - self.from_server)]
                self.from_server = limit
                if act == "reset":
                    self.reset_due = True
                else:
                    self.stalled = True
                    self.proxy.stalls += 1
                return data
        self.from_server += len(data)
        return data

    def _due(self, size, t, direction):
        """Latency keeps a connection's chunks in order; the cap is one link that every connection shares."""
        now = time.monotonic()
        delay = max(0.0, t.latency + (self.proxy.random.uniform(-t.jitter, t.jitter) if t.jitter else 0.0))
        due = max(now + delay, self.next_free[direction])
        if t.rate:
            due = max(due, self.proxy.wire_free[direction]) + size / t.rate
            self.proxy.wire_free[direction] = due
        self.next_free[direction] = due
        return due

    async def _send(self, queue, writer):
        while True:
            due, data = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if self.dead:
                return
            try:
                if data is None:
                    writer.write_eof()
                    return
                if data is _RESET:
                    self.reset()
                    return
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError, RuntimeError):
                self.reset()
                return
