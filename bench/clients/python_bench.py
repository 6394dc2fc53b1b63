"""Python's side of the client benchmarks (protocol: bench/src/bin/bench-client.rs).

    python python_bench.py CLIENT calls|rss|soak

CLIENT is novabilling-sync, novabilling-async, or a baseline: pyreqwest-sync,
pyreqwest-async, httpx-sync, httpx-async, aiohttp, requests, stripe (the Stripe
SDK, calling the fixture's Stripe-shaped routes). Every client does the same
work per call: send, check the status, decode the customer from JSON (the SDKs
into their typed objects). Sync clients reach concurrency with threads,
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


def sync_pyreqwest(concurrency: int) -> SyncCall:
    from pyreqwest.client import SyncClientBuilder

    http = (SyncClientBuilder().default_headers({"Authorization": f"Bearer {KEY}"})
            .pool_max_idle_per_host(concurrency).error_for_status(True).build())
    one, many = f"{URL}/api/customers/{ID}", f"{URL}/api/customers"

    def call(op: str, i: int) -> None:
        if op == "get":
            r = http.get(one).build().send()
        else:
            r = http.post(many).body_json(body(i)).build().send()
        r.json()

    return call


def sync_stripe(concurrency: int) -> SyncCall:
    import stripe

    # Stripe's own defaults (its requests-based HTTP client, a session per
    # thread), retries off like every other client here.
    customers = stripe.StripeClient("sk_test_bench", base_addresses={"api": URL}, max_network_retries=0).v1.customers

    def call(op: str, i: int) -> None:
        if op == "get":
            customers.retrieve("cus_bench")
        else:
            customers.create({"email": f"user{i}@example.com", "name": "Bench User", "metadata": {"userId": f"usr_{i}"}})

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

# What closes the async clients before the loop ends (aiohttp warns otherwise).
CLOSE: list[Callable[[], Awaitable[None]]] = []


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


def async_pyreqwest(concurrency: int) -> AsyncCall:
    from pyreqwest.client import ClientBuilder

    http = (ClientBuilder().default_headers({"Authorization": f"Bearer {KEY}"})
            .pool_max_idle_per_host(concurrency).error_for_status(True).build())
    CLOSE.append(http.close)
    one, many = f"{URL}/api/customers/{ID}", f"{URL}/api/customers"

    async def call(op: str, i: int) -> None:
        if op == "get":
            r = await http.get(one).build().send()
        else:
            r = await http.post(many).body_json(body(i)).build().send()
        await r.json()

    return call


def async_aiohttp(concurrency: int) -> AsyncCall:
    import aiohttp

    session = aiohttp.ClientSession(URL, headers={"Authorization": f"Bearer {KEY}"},
                                    connector=aiohttp.TCPConnector(limit=concurrency), raise_for_status=True)
    CLOSE.append(session.close)

    async def call(op: str, i: int) -> None:
        if op == "get":
            async with session.get(f"/api/customers/{ID}") as r:
                await r.json()
        else:
            async with session.post("/api/customers", json=body(i)) as r:
                await r.json()

    return call


async def run_async(call: AsyncCall, op: str, concurrency: int, calls: int) -> None:
    async def worker(w: int, n: int) -> None:
        for i in range(n):
            await call(op, w * calls + i)

    await asyncio.gather(*(worker(w, n) for w, n in enumerate(shares(calls, concurrency))))


# ---------------------------------------------------------------- the protocol

SYNC = {"novabilling-sync": sync_novabilling, "pyreqwest-sync": sync_pyreqwest, "httpx-sync": sync_httpx,
        "requests": sync_requests, "stripe": sync_stripe}
ASYNC = {"novabilling-async": async_novabilling, "pyreqwest-async": async_pyreqwest, "httpx-async": async_httpx,
         "aiohttp": async_aiohttp}


async def main(client: str, mode: str) -> None:
    # A client per concurrency level, its pool sized to that level and warmed,
    # as a user would size one: sequential calls on the pool a 200-way run
    # left behind cost httpx more CPU per call (httpcore walks its idle
    # connections on every request), which is not what a user sees.
    if client in SYNC:
        sync_calls = {c: SYNC[client](c) for c in [1, *levels()]}

        async def run(op: str, c: int, n: int) -> None:
            run_sync(sync_calls[c], op, c, n)
    elif client in ASYNC:
        async_calls = {c: ASYNC[client](c) for c in [1, *levels()]}

        async def run(op: str, c: int, n: int) -> None:
            await run_async(async_calls[c], op, c, n)
    else:
        sys.exit(f"unknown client {client!r}: one of {', '.join([*SYNC, *ASYNC])}")

    warmup = number("BENCH_WARMUP", 500)
    for c in [1, *levels()]:
        await run("get", c, max(warmup, c))
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
    for close in CLOSE:
        await close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "calls"))
    # Out without the interpreter's finalization: pyreqwest 0.15 sometimes
    # aborts in it (PyGILState_Release from its runtime's threads), closed or not.
    sys.stdout.flush()
    os._exit(0)
