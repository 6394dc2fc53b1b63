"""The test server as users use it: through the pytest plugin's fixtures and
``local_server()``, with the SDK's own clients. The suite runs under
pytest-xdist too (scripts/test.sh: ``-n 2``), each worker on its own server."""

from __future__ import annotations

import asyncio
import io
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

import novabilling as nb
from novabilling import NovaBilling
from novabilling.testing import LocalServer, local_server

SEED = Path(__file__).resolve().parents[2] / "tests" / "seeds" / "novabilling-customers.md"


def test_the_novabilling_guide_runs_as_written(
    novabilling: NovaBilling, novabilling_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOVABILLING_BASE_URL", novabilling_server.base_url)
    blocks = re.findall(r"```python \[Python\]\n(.*?)```", SEED.read_text(), flags=re.S)
    namespace: dict[str, Any] = {}
    out = io.StringIO()
    created = None
    for block in blocks:
        code = block.replace("sk_live_a1b2c3d4...", novabilling_server.api_key)
        if created is not None:
            code = code.replace("cust_x1y2z3", created)
        with redirect_stdout(out):
            exec(compile(code, str(SEED), "exec"), namespace)
        created = created or namespace["customer"].id
    assert f"Customer created: {created}" in out.getvalue()
    assert "Customer deleted" in out.getvalue()
    assert novabilling.customers.list().total == 0


def test_each_test_starts_empty(novabilling: NovaBilling) -> None:
    # Runs after the guide's test in the same session: reset() emptied the server.
    assert novabilling.customers.list().total == 0
    novabilling.customers.create(external_id="user_1", email="one@example.com")


def test_stripe_import_and_bind(novabilling: NovaBilling) -> None:
    stripe = [{"id": "cus_A1", "email": "a@example.com", "name": "A"}, {"id": "cus_B2", "email": "b@example.com"}]
    result = novabilling.customers.import_stripe(stripe)
    assert (result.created, result.skipped) == (2, 0)
    pending = list(novabilling.customers.list_unresolved())
    assert len(pending) == 2
    bound = novabilling.customers.bind(pending[0].id, external_id="user_a")
    assert novabilling.customers.get_by_external_id("user_a").id == bound.id


def test_retries_through_fail_next(novabilling: NovaBilling, novabilling_server: LocalServer) -> None:
    novabilling_server.fail_next("POST", "/api/customers", 503, times=2, retry_after=0)
    made = novabilling.customers.create(external_id="user_r", email="r@example.com")
    assert novabilling.customers.get(made.id).email == "r@example.com"

    novabilling_server.fail_next("GET", "/api/customers/{id}", 500, times=3)
    with pytest.raises(nb.InternalServerError) as err:
        novabilling.customers.get(made.id)
    assert err.value.status == 500
    assert "fail_next" in str(err.value)
    assert novabilling.customers.get(made.id).id == made.id, "the rule was used up"

    novabilling_server.fail_next("*", "/api/**", 429, retry_after=0)
    assert novabilling.customers.list().total == 1, "a 429 is retried"


def test_delay_next_meets_the_client_timeout(novabilling_server: LocalServer) -> None:
    novabilling_server.delay_next("GET", "/api/customers", 1.0)
    with novabilling_server.client(timeout=0.2, max_retries=0) as client:
        with pytest.raises(nb.TimeoutError):
            client.customers.list()


def test_bad_rules_say_what_to_fix(novabilling_server: LocalServer) -> None:
    with pytest.raises(ValueError, match="must start with /"):
        novabilling_server.fail_next("GET", "api/customers", 500)
    with pytest.raises(ValueError, match="400 to 599"):
        novabilling_server.fail_next("GET", "/api/customers", 200)
    with pytest.raises(ValueError, match="not an HTTP method"):
        novabilling_server.fail_next("GE T", "/api/customers", 500)
    with pytest.raises(ValueError, match="seconds"):
        novabilling_server.delay_next("GET", "/api/customers", -1)


def test_webhooks_are_captured(novabilling: NovaBilling, novabilling_server: LocalServer) -> None:
    made = novabilling.customers.create(external_id="user_w", email="w@example.com")
    novabilling.customers.update(made.id, name="W")
    created = novabilling_server.webhooks.wait_for("customer.created", timeout=10)
    assert created.verified
    assert created.event_id.startswith("evt_")
    assert json.loads(created.body)["data"]["customer"]["id"] == made.id
    assert novabilling_server.webhooks.wait_for("customer.updated", timeout=10).type == "customer.updated"
    with pytest.raises(TimeoutError, match="customer.deleted"):
        novabilling_server.webhooks.wait_for("customer.deleted", timeout=0.2)
    assert [d.type for d in novabilling_server.webhooks.all()] == ["customer.created", "customer.updated"]


def test_keys_of_every_kind(novabilling: NovaBilling, novabilling_server: LocalServer) -> None:
    made = novabilling.customers.create(external_id="user_k", email="k@example.com")
    read_only = novabilling_server.restricted_key(["customers:read"])
    with novabilling_server.client(api_key=read_only) as ro:
        assert ro.customers.get(made.id).id == made.id
        with pytest.raises(nb.PermissionDeniedError):
            ro.customers.create(external_id="user_x", email="x@example.com")
    assert novabilling_server.ephemeral_key(made.id, ttl=60).startswith("ek_test_")
    with pytest.raises(ValueError, match="no customer"):
        novabilling_server.ephemeral_key("cust_missing")


def test_a_seed_gives_stable_snapshots() -> None:
    def run() -> list[tuple[str, str]]:
        with local_server(seed=42) as srv, srv.client() as c:
            made = [c.customers.create(external_id=f"user_{i}", email=f"{i}@example.com") for i in range(3)]
            return [(m.id, m.created_at.isoformat()) for m in made]

    first = run()
    assert first == run()
    assert [t for _, t in first] == ["2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00", "2026-01-01T00:00:02+00:00"]


def test_async_client() -> None:
    async def flow(srv: LocalServer) -> int:
        async with srv.async_client() as c:
            await asyncio.gather(*(c.customers.create(external_id=f"u{i}", email=f"{i}@example.com") for i in range(20)))
            return (await c.customers.list()).total

    with local_server() as srv:
        assert asyncio.run(flow(srv)) == 20


def test_servers_in_threads_are_isolated() -> None:
    def one(i: int) -> tuple[str, int]:
        with local_server(capture_webhooks=False) as srv, srv.client() as c:
            for n in range(i + 1):
                c.customers.create(external_id=f"user_{n}", email=f"{n}@example.com")
            return srv.base_url, c.customers.list().total

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(one, range(8)))
    assert [total for _, total in got] == [i + 1 for i in range(8)]
    assert len({url for url, _ in got}) == 8


def os_threads() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^Threads:\s+(\d+)", status, flags=re.M).group(1))  # type: ignore[union-attr]


def test_starts_and_stops_in_milliseconds() -> None:
    LocalServer().close()  # the first start loads what every later one shares
    before = os_threads()
    times = []
    for _ in range(9):
        t = time.perf_counter()
        srv = LocalServer()
        srv.close()
        del srv
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"start+close median {times[4] * 1000:.1f} ms")
    time.sleep(0.5)
    assert os_threads() <= before + 4, "a closed and dropped server leaves no threads behind"


def test_closed_server_says_so() -> None:
    srv = LocalServer()
    srv.close()
    srv.close()
    with pytest.raises(RuntimeError, match="closed"):
        srv.reset()
