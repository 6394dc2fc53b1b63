"""Threads share a client with the GIL released; async calls run together on
the core's runtime; a forked child keeps working; cancellation aborts."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import novabilling
from novabilling import AsyncNovaBilling, NovaBilling

from conftest import Reply, Server


def test_threads_share_one_client(client: NovaBilling) -> None:
    created = client.customers.create(external_id="t0", email="t0@example.com")

    def work(i: int) -> str:
        c = client.customers.create(external_id=f"thread_{i}", email=f"thread_{i}@example.com")
        return client.customers.get(c.id).external_id or ""

    with ThreadPoolExecutor(16) as pool:
        got = sorted(pool.map(work, range(64)))
    assert got == sorted(f"thread_{i}" for i in range(64))
    assert client.customers.get(created.id).id == created.id


def test_blocking_calls_release_the_gil(canned: object) -> None:
    slow = canned(Reply(200, b"{}", delay=0.5))  # type: ignore[operator]
    client = NovaBilling(token="sk_test_x", base_url=slow.url, max_retries=0)
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    with pytest.raises(novabilling.DecodeError):
        client.customers.get("cust_1")
    done.set()
    t.join()
    assert ticks > 50, "another Python thread ran while the call waited"


def test_a_connection_the_server_closed_while_idle_is_not_reused(canned: object) -> None:
    # Sync calls drive their runtime only while one runs; a close that came
    # between calls must still be seen before the next call picks a connection.
    server = canned(Reply.json(200, {"id": "cust_1"}), idle_timeout=0.1)  # type: ignore[operator]
    client = NovaBilling(token="sk_test_x", base_url=server.url, max_retries=0)
    for _ in range(3):
        with pytest.raises(novabilling.DecodeError):  # the reply is not a whole customer; the call went through
            client.customers.get("cust_1")
        time.sleep(0.3)


def test_two_hundred_concurrent_async_calls(aclient: AsyncNovaBilling) -> None:
    async def run() -> None:
        created = await asyncio.gather(*(
            aclient.customers.create(external_id=f"async_{i}", email=f"async_{i}@example.com") for i in range(200)))
        assert len({c.id for c in created}) == 200
        threads_before = threading.active_count()
        got = await asyncio.gather(*(aclient.customers.get(c.id) for c in created))
        assert [g.id for g in got] == [c.id for c in created]
        assert threading.active_count() <= threads_before + 1, "no thread per call"
        page = await aclient.customers.list(limit=50)
        assert len([c async for c in page]) == 200

    asyncio.run(run())


def test_cancelling_a_task_cancels_the_request(canned: object) -> None:
    slow = canned(Reply(200, b"{}", delay=3))  # type: ignore[operator]

    async def run() -> None:
        client = AsyncNovaBilling(token="sk_test_x", base_url=slow.url, max_retries=0)
        task = asyncio.ensure_future(client.customers.get("cust_1"))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The loop stays healthy and the client usable.
        with pytest.raises(novabilling.TimeoutError):
            await client.customers.get("cust_1", timeout=0.1)

    start = time.monotonic()
    asyncio.run(run())
    assert time.monotonic() - start < 2.5


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_keeps_working(client: NovaBilling) -> None:
    parent = client.customers.create(external_id="before_fork", email="before@example.com")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            c = client.customers.create(external_id="in_child", email="child@example.com")
            ok = client.customers.get(parent.id).id == parent.id
            os.write(write, f"{c.external_id} {ok}".encode())
        except BaseException as e:  # noqa: BLE001 - report anything to the parent
            os.write(write, f"error {e!r}".encode())
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    answer = os.read(read, 1000).decode()
    os.close(read)
    assert status == 0
    assert answer == "in_child True"
    assert client.customers.get_by_external_id("in_child").email == "child@example.com"
    assert client.customers.get(parent.id).id == parent.id, "the parent still works too"


def test_async_client_from_many_loops(server: Server, tenant_key: str) -> None:
    client = AsyncNovaBilling(token=tenant_key, base_url=server.url)

    async def first_page() -> int:
        return (await client.customers.list()).total

    for _ in range(3):
        assert asyncio.run(first_page()) >= 0


def test_event_loops_come_and_go_without_leaking_descriptors(server: Server, tenant_key: str) -> None:
    client = AsyncNovaBilling(token=tenant_key, base_url=server.url)

    async def one() -> None:
        await client.customers.list(limit=1)

    async def abandon() -> None:
        # The loop ends with calls in flight: their results arrive for nobody.
        for _ in range(20):
            asyncio.ensure_future(client.customers.list(limit=1))
        await asyncio.sleep(0)

    def open_fds(loops: int) -> int:
        for _ in range(loops):
            asyncio.run(one())
            asyncio.run(abandon())
        time.sleep(0.2)
        gc.collect()
        return len(os.listdir("/proc/self/fd"))

    # The client's connection pool holds up to 20 sockets of its own; a loop's
    # inbox holds two. 200 more loops that leaked would leave 400 more.
    warm = open_fds(10)
    assert open_fds(100) - warm < 24


def test_results_reach_a_loop_in_another_thread(server: Server, tenant_key: str) -> None:
    client = AsyncNovaBilling(token=tenant_key, base_url=server.url)

    async def many() -> int:
        pages = await asyncio.gather(*(client.customers.list(limit=1) for _ in range(20)))
        return len(pages)

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda _: asyncio.run(many()), range(8))) == [20] * 8


class _NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop that cannot watch a descriptor, as Windows' proactor loop cannot."""

    def add_reader(self, *args: object) -> None:
        raise NotImplementedError


def test_a_loop_without_add_reader_gets_results_and_errors(server: Server, tenant_key: str) -> None:
    client = AsyncNovaBilling(token=tenant_key, base_url=server.url)

    async def run() -> None:
        created = await client.customers.create(external_id="noreader", email="noreader@example.com")
        got = await asyncio.gather(*(client.customers.get(created.id) for _ in range(20)))
        assert {c.id for c in got} == {created.id}
        with pytest.raises(novabilling.NotFoundError):
            await client.customers.get("cust_missing")

    loop = _NoReaderLoop()
    try:
        loop.run_until_complete(run())
    finally:
        loop.close()


def test_ctrl_c_interrupts_a_blocking_call(canned: object) -> None:
    import subprocess
    import sys

    slow = canned(Reply(200, b"{}", delay=5))  # type: ignore[operator]
    code = f"""
import os, signal, threading, time
import novabilling
# A shell that starts jobs in the background hands them SIGINT ignored, and
# Python then keeps it ignored: install Python's own handler, as a terminal gives it.
signal.signal(signal.SIGINT, signal.default_int_handler)
client = novabilling.NovaBilling(token="sk_test_x", base_url={slow.url!r}, max_retries=0)
threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
start = time.monotonic()
try:
    client.customers.get("cust_1")
except KeyboardInterrupt:
    print("interrupted after", round(time.monotonic() - start, 2))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.startswith("interrupted after"), out.stderr
    assert float(out.stdout.split()[-1]) < 1.5
