"""Python's side of the client benchmarks (protocol: bench/src/bin/bench-client.rs).

    python python_bench.py CLIENT calls|rss|soak

CLIENT is novabilling-sync, novabilling-async, httpx-sync, httpx-async or
requests. Every client does the same work per call: send, check the status,
decode the customer from JSON. Sync clients reach concurrency with threads,
one per in-flight call; async clients with tasks on one event loop.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import threading
import time
from typing import Any, Awaitable, Callable

URL = os.environ.get("BENCH_URL", "http://127.0.0.1:3000")
ID = os.environ.get("BENCH_ID", "cust_bench000000000000000000001")
KEY = "sk_test_bench"


def number(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def levels() -> list[int]:
    return [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "50,200").split(",")]


def body(i: int) -> dict[str, Any]:
    return {"externalId": f"usr_{i}", "email": f"user{i}@example.com", "name": "Bench User"}


def status_field(name: str) -> int:
    """A number of /proc/self/status: VmRSS (kB), Threads."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def rss_kb() -> int:
    gc.collect()  # what is kept, not garbage not yet collected
    return status_field("VmRSS")


def soak_sample(calls: int, seconds: float) -> dict[str, Any]:
    """The soak's view of this process after a collection: RSS, open descriptors, threads (all from /proc/self)."""
    return {
        "calls": calls,
        "seconds": seconds,
        "rss_kb": rss_kb(),
        "fds": len(os.listdir("/proc/self/fd")),
        "threads": status_field("Threads"),
    }


def emit(client: str, op: str, concurrency: int, calls: int, wall: float, cpu: float) -> None:
    print(json.dumps({"client": client, "op": op, "concurrency": concurrency, "calls": calls, "wall": wall, "cpu": cpu}), flush=True)


def shares(calls: int, concurrency: int) -> list[int]:
    return [calls // concurrency + (1 if w < calls % concurrency else 0) for w in range(concurrency)]


# ---------------------------------------------------------------- sync clients

SyncCall = Callable[[str, int], None]


def sync_novabilling(concurrency: int) -> SyncCall:
    from novabilling import NovaBilling

    customers = NovaBilling(token=KEY, base_url=URL, max_retries=0).customers

    def call(op: str, i: int) -> None:
        if op == "get":
            customers.get(ID)
        else:
            customers.create(external_id=f"usr_{i}", email=f"user{i}@example.com", name="Bench User")

    return call


def sync_httpx(concurrency: int) -> SyncCall:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    http = httpx.Client(base_url=URL, headers={"Authorization": f"Bearer {KEY}"}, limits=limits)

    def call(op: str, i: int) -> None:
        if op == "get":
            r = http.get(f"/api/customers/{ID}")
        else:
            r = http.post("/api/customers", json=body(i))
        r.raise_for_status()
        r.json()

    return call


def sync_requests(concurrency: int) -> SyncCall:
    import requests
    from requests.adapters import HTTPAdapter

    # A session per thread: requests does not promise that one is thread-safe.
    local = threading.local()

    def session() -> requests.Session:
        s = getattr(local, "s", None)
        if s is None:
            s = local.s = requests.Session()
            s.headers["Authorization"] = f"Bearer {KEY}"
            s.mount("http://", HTTPAdapter(pool_maxsize=1))
        return s

    def call(op: str, i: int) -> None:
        if op == "get":
            r = session().get(f"{URL}/api/customers/{ID}")
        else:
            r = session().post(f"{URL}/api/customers", json=body(i))
        r.raise_for_status()
        r.json()

    return call


def run_sync(call: SyncCall, op: str, concurrency: int, calls: int) -> None:
    if concurrency == 1:
        for i in range(calls):
            call(op, i)
        return

    def worker(w: int, n: int) -> None:
        for i in range(n):
            call(op, w * calls + i)

    threads = [threading.Thread(target=worker, args=(w, n)) for w, n in enumerate(shares(calls, concurrency))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# ---------------------------------------------------------------- async clients

AsyncCall = Callable[[str, int], Awaitable[None]]


def async_novabilling(concurrency: int) -> AsyncCall:
    from novabilling import AsyncNovaBilling

    customers = AsyncNovaBilling(token=KEY, base_url=URL, max_retries=0).customers

    async def call(op: str, i: int) -> None:
        if op == "get":
            await customers.get(ID)
        else:
            await customers.create(external_id=f"usr_{i}", email=f"user{i}@example.com", name="Bench User")

    return call


def async_httpx(concurrency: int) -> AsyncCall:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    http = httpx.AsyncClient(base_url=URL, headers={"Authorization": f"Bearer {KEY}"}, limits=limits)

    async def call(op: str, i: int) -> None:
        if op == "get":
            r = await http.get(f"/api/customers/{ID}")
        else:
            r = await http.post("/api/customers", json=body(i))
        r.raise_for_status()
        r.json()

    return call


async def run_async(call: AsyncCall, op: str, concurrency: int, calls: int) -> None:
    async def worker(w: int, n: int) -> None:
        for i in range(n):
            await call(op, w * calls + i)

    await asyncio.gather(*(worker(w, n) for w, n in enumerate(shares(calls, concurrency))))


# ---------------------------------------------------------------- the protocol

SYNC = {"novabilling-sync": sync_novabilling, "httpx-sync": sync_httpx, "requests": sync_requests}
ASYNC = {"novabilling-async": async_novabilling, "httpx-async": async_httpx}


async def main(client: str, mode: str) -> None:
    top = max([1, *levels()])
    if client in SYNC:
        sync_call = SYNC[client](top)

        async def run(op: str, c: int, n: int) -> None:
            run_sync(sync_call, op, c, n)
    elif client in ASYNC:
        async_call = ASYNC[client](top)

        async def run(op: str, c: int, n: int) -> None:
            await run_async(async_call, op, c, n)
    else:
        sys.exit(f"unknown client {client!r}: one of {', '.join([*SYNC, *ASYNC])}")

    await run("get", 1, number("BENCH_WARMUP", 500))
    if mode == "calls":
        calls, conc_calls = number("BENCH_CALLS", 2000), number("BENCH_CONC_CALLS", 4000)
        for _ in range(number("BENCH_REPS", 5)):
            for op in ("get", "create"):
                for c, n in [(1, calls), *((c, conc_calls) for c in levels())]:
                    cpu, wall = time.process_time(), time.perf_counter()
                    await run(op, c, n)
                    emit(client, op, c, n, time.perf_counter() - wall, time.process_time() - cpu)
    elif mode == "rss":
        total = number("BENCH_RSS_CALLS", 100_000)
        samples = [(0, rss_kb())]
        for step in range(1, 11):
            await run("get", 1, total // 10)
            samples.append((step * total // 10, rss_kb()))
        print(json.dumps({"client": client, "rss": samples}), flush=True)
    elif mode == "soak":
        # One line a sample, as it is taken: the harness shows the progress of a long run.
        total, every = number("BENCH_SOAK_CALLS", 1_000_000), number("BENCH_SOAK_EVERY", 100_000)
        seconds = 0.0
        print(json.dumps({"client": client, "soak": soak_sample(0, seconds)}), flush=True)
        for step in range(1, total // every + 1):
            wall = time.perf_counter()
            await run("get", 1, every)
            seconds += time.perf_counter() - wall
            print(json.dumps({"client": client, "soak": soak_sample(step * every, seconds)}), flush=True)
    else:
        sys.exit(f"unknown mode {mode!r}: calls, rss or soak")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "calls"))
