"""Client settings and per-call options (tests/vectors/config.json and
options.json), and what comes with one surface: pages that continue on
their own route, async listings without the extra await, models that
pickle, and configured copies of a client."""

from __future__ import annotations

import asyncio
import copy
import pickle
from typing import Any

import pytest

import novabilling
from novabilling import AsyncNovaBilling, NovaBilling

from conftest import Server, load_vectors

ENV = ("NOVABILLING_API_KEY", "NOVABILLING_BASE_URL")
PY_NAME = {"headers": "extra_headers", "defaultHeaders": "default_headers"}


def snake(name: str) -> str:
    return PY_NAME.get(name) or "".join("_" + c.lower() if c.isupper() else c for c in name)


def codes(e: novabilling.ValidationError) -> list[dict[str, Any]]:
    return [{"field": f.field, "code": f.code} for f in e.errors]


@pytest.mark.parametrize("case", load_vectors("config.json"), ids=lambda c: c["name"])
def test_config_vectors(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in case["env"].items():
        monkeypatch.setenv(name, value)
    kwargs = {snake(k): v for k, v in case["config"].items()}
    if "error" in case:
        with pytest.raises(novabilling.ValidationError) as e:
            NovaBilling(**kwargs)
        assert codes(e.value) == case["error"]
    else:
        c = NovaBilling(**kwargs)
        assert {"baseUrl": c.base_url, "maxRetries": c.max_retries} == case["ok"]


@pytest.mark.parametrize("case", load_vectors("options.json"), ids=lambda c: c["name"])
def test_option_vectors(case: dict[str, Any]) -> None:
    client = NovaBilling(token="sk_test_vectors", base_url="http://127.0.0.1:9", max_retries=0, connect_timeout=0.2)
    kwargs = {snake(k): v for k, v in case["options"].items()}
    with pytest.raises(novabilling.ValidationError) as e:
        client.customers.delete("cust_1", **kwargs)
    assert codes(e.value) == case["error"]


def test_every_resource_takes_per_call_options(client: NovaBilling) -> None:
    c = client.customers.create(external_id="opt_1", email="opt_1@example.com", currency="UGX")
    sub = client.subscriptions.create(customer_id=c.id, plan_id="plan_a", timeout=5, max_retries=1, idempotency_key="sub-opt-1")
    assert client.subscriptions.create(customer_id=c.id, plan_id="plan_a", idempotency_key="sub-opt-1").id == sub.id
    assert client.subscriptions.get(sub.id, timeout=5, extra_headers={"x-trace": "1"}).id == sub.id
    inv = client.invoices.create(customer_id=c.id, amount="1500", timeout=5, max_retries=0)
    assert client.invoices.pay(inv.id, idempotency_key="pay-opt-1").status == "paid"
    with pytest.raises(novabilling.ValidationError):
        client.invoices.get(inv.id, timeout=0)


def test_a_page_of_unresolved_customers_continues_on_its_route(client: NovaBilling) -> None:
    stripe = [{"id": f"cus_cursor_{i}", "email": f"cursor_{i}@example.com"} for i in range(5)]
    client.customers.import_stripe(stripe)
    for i in range(3):
        client.customers.create(external_id=f"bound_{i}", email=f"bound_{i}@example.com")
    first = client.customers.list_unresolved(limit=2)
    assert first.total == 5 and first.has_more and first.next_cursor
    seen = [c.id for c in first.data]
    page = first.next_page()
    while page is not None:
        assert all(c.external_id is None for c in page.data), "the next page stayed on /unresolved"
        seen += [c.id for c in page.data]
        page = page.next_page()
    assert len(set(seen)) == 5
    again = client.customers.page(first.next_cursor)
    assert [c.id for c in again.data] == seen[2:4]
    with pytest.raises(novabilling.ValidationError) as e:
        client.customers.page("not a cursor")
    assert e.value.field == "cursor"


def test_async_for_over_a_listing_needs_no_await(server: Server, tenant_key: str) -> None:
    async def run() -> tuple[int, int, int]:
        async with AsyncNovaBilling(token=tenant_key, base_url=server.url) as client:
            for i in range(3):
                await client.customers.create(external_id=f"afor_{i}", email=f"afor_{i}@example.com")
            walked = [c.id async for c in client.customers.list(search="afor_", limit=2)]
            page = await client.customers.list(search="afor_", limit=2)
            following = await client.customers.page(page.next_cursor or "")
            return len(walked), page.total, len(following.data)

    assert asyncio.run(run()) == (3, 3, 1)


def test_models_pickle_and_copy(client: NovaBilling) -> None:
    c = client.customers.create(external_id="pickle_1", email="pickle_1@example.com", metadata={"a": [1, 2]})
    for twin in (pickle.loads(pickle.dumps(c)), copy.copy(c), copy.deepcopy(c)):
        assert twin == c and twin.metadata == {"a": [1, 2]}
        assert (twin.request_id, twin.etag) == (c.request_id, c.etag)
    deleted = client.customers.delete(c.id)
    assert pickle.loads(pickle.dumps(deleted)) == deleted


def test_with_options_returns_a_configured_copy(client: NovaBilling) -> None:
    quick = client.with_options(timeout=3, max_retries=0)
    assert (quick.timeout, quick.max_retries, quick.base_url) == (3.0, 0, client.base_url)
    assert (client.timeout, client.max_retries) == (60.0, 2), "the original is unchanged"
    assert quick.customers.list(limit=1).total >= 0, "the copy keeps the key"
    with pytest.raises(novabilling.ValidationError) as e:
        client.with_options(max_retries=-1)
    assert e.value.code == "out_of_range"


def test_errors_expose_what_core_gives_every_error() -> None:
    client = NovaBilling(token="sk_test_vectors", base_url="http://127.0.0.1:9", max_retries=0, connect_timeout=0.2)
    with pytest.raises(novabilling.ConnectionError) as e:
        client.customers.get("cust_1")
    err = e.value
    assert (err.status, err.code, err.request_id, err.retry_after, err.errors) == (None, None, None, None, [])
    assert err.message == str(err)


def test_ca_certificates_takes_a_path_object_or_pem_text() -> None:
    from pathlib import Path

    from conftest import ROOT

    ca = ROOT / "tests" / "tls" / "ca.pem"
    NovaBilling(token="sk_test_vectors", ca_certificates=ca)
    NovaBilling(token="sk_test_vectors", ca_certificates=ca.read_text())
    with pytest.raises(novabilling.ValidationError) as e:
        NovaBilling(token="sk_test_vectors", ca_certificates=Path("/nonexistent/ca.pem"))
    assert codes(e.value) == [{"field": "ca_certificates", "code": "invalid"}]
    assert "/nonexistent/ca.pem" in str(e.value)
