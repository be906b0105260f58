#!/usr/bin/env python3
"""Where a docker CLI command spends its time, call by call: a unix-socket proxy between the CLI and an
engine that logs when each HTTP request goes out and when its response (head, then body) comes back.

    apitrace.py proxy LISTEN UPSTREAM LOG    serve until SIGTERM; one line per event in LOG:
                                             "<ns> <conn> req <METHOD> <path>", "<ns> <conn> head <status>",
                                             "<ns> <conn> body", "<ns> <conn> close"
    apitrace.py summary LOG...               one docker command per LOG: the median, over the LOGs, of
                                             each call's latency (see calls())

Used by bench/engine.sh for both engines alike, so the proxy's own cost (well under a millisecond per
call) is in both columns.
"""
import asyncio
import os
import re
import signal
import statistics
import sys
import time

REQUEST = re.compile(rb"^(GET|HEAD|POST|PUT|DELETE) (\S+) HTTP/1\.[01]\r\n")
STATUS = re.compile(rb"^HTTP/1\.[01] (\d{3})")


class Log:
    def __init__(self, path):
        self.out = open(path, "a", buffering=1)

    def event(self, conn, what):
        self.out.write(f"{time.monotonic_ns()} {conn} {what}\n")


async def proxy(listen, upstream, log_path):
    log = Log(log_path)
    counter = [0]

    async def handle(client_r, client_w):
        counter[0] += 1
        conn = counter[0]
        up_r, up_w = await asyncio.open_unix_connection(upstream)
        hijacked = [False]

        async def requests():
            try:
                while data := await client_r.read(65536):
                    m = None if hijacked[0] else REQUEST.match(data)
                    if m:
                        log.event(conn, f"req {m.group(1).decode()} {m.group(2).decode()}")
                    up_w.write(data)
                    await up_w.drain()
                if up_w.can_write_eof():
                    up_w.write_eof()
            except OSError:
                up_w.close()  # the client reset the connection

        async def responses():
            in_body = False
            try:
                while data := await up_r.read(65536):
                    m = None if hijacked[0] else STATUS.match(data)
                    if m:
                        log.event(conn, f"head {m.group(1).decode()}")
                        hijacked[0] = m.group(1) == b"101" or b"application/vnd.docker.raw-stream" in data
                        head_end = data.find(b"\r\n\r\n")
                        in_body = head_end >= 0 and head_end + 4 < len(data)
                        if in_body:
                            log.event(conn, "body")
                    elif not in_body:
                        log.event(conn, "body")
                        in_body = True
                    client_w.write(data)
                    await client_w.drain()
            except OSError:
                pass  # either side reset the connection
            log.event(conn, "close")
            client_w.close()

        try:
            await asyncio.gather(requests(), responses())
        except asyncio.CancelledError:
            pass  # the proxy is stopping
        up_w.close()
        client_w.close()

    server = await asyncio.start_unix_server(handle, path=listen)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()
    os.unlink(listen)


def calls(path):
    """One command's log -> {call: ms}: each request's latency to its response head; for a wait, to its
    body (the exit); for a hijacked stream (attach, exec start), to its end too; for `run`, the time from
    start's response to the wait's body; and the span of all calls."""
    events = [line.split(" ", 3) for line in open(path).read().splitlines()]
    first = int(events[0][0])
    last = max(int(e[0]) for e in events)
    pending, streams, out = {}, {}, {}
    wait_body = start_head = None
    for ns, conn, kind, *rest in events:
        ns = int(ns)
        if kind == "req":
            name = re.sub(r"^/v[0-9.]+", "", rest[0].split(" ", 1)[1].split("?")[0])
            name = re.sub(r"^/(containers|exec)/[0-9a-f]{12,}/", r"/\1/ID/", name)
            pending[conn] = (name, ns)
        elif kind == "head" and conn in pending:
            name, t0 = pending[conn]
            out.setdefault(name, (ns - t0) / 1e6)
            if name.endswith("/start") and name.startswith("/containers/"):
                start_head = ns
            if rest[0] == "101":
                streams[conn] = pending.pop(conn)
            elif not name.endswith("/wait"):
                del pending[conn]
        elif kind == "body" and conn in pending and pending[conn][0].endswith("/wait"):
            wait_body = ns
            out["/containers/ID/wait (to exit)"] = (ns - pending.pop(conn)[1]) / 1e6
        elif kind == "close" and conn in streams:
            name, t0 = streams.pop(conn)
            out[name + " (to end of stream)"] = (ns - t0) / 1e6
    if start_head and wait_body:
        out["start -> exit reported"] = (wait_body - start_head) / 1e6
    out["first request to last reply"] = (last - first) / 1e6
    return out


def summary(paths):
    runs = [calls(p) for p in paths]
    names = []
    for r in runs:
        names += [n for n in r if n not in names]
    for n in names:
        values = [r[n] for r in runs if n in r]
        print(f"{n}\t{statistics.median(values):.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "proxy":
        asyncio.run(proxy(*sys.argv[2:5]))
    elif sys.argv[1] == "summary":
        summary(sys.argv[2:])
    else:
        sys.exit("usage: apitrace.py proxy LISTEN UPSTREAM LOG | summary LOG...")
