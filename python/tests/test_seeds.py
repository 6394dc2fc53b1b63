"""The customer guides, in Python: NovaBilling's samples exactly as written
(only the API key and the placeholder id replaced), BillingOS's flows as
idiomatic code, sync and async."""

from __future__ import annotations

import asyncio
import io
import re
from contextlib import redirect_stdout
from typing import Any

import pytest

import novabilling
from novabilling import AsyncNovaBilling, NovaBilling

from conftest import ROOT, Server

SEED = ROOT / "tests" / "seeds" / "novabilling-customers.md"
PLACEHOLDER_KEY = "sk_live_a1b2c3d4..."
PLACEHOLDER_ID = "cust_x1y2z3"


def python_samples() -> list[str]:
    blocks = re.findall(r"```python \[Python\]\n(.*?)```", SEED.read_text(), flags=re.S)
    assert len(blocks) == 6, "the guide has six Python samples"
    return blocks


def test_novabilling_guide_samples_run_as_written(server: Server, tenant_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVABILLING_BASE_URL", server.url)
    namespace: dict[str, Any] = {}
    out = io.StringIO()
    created_id = None
    for block in python_samples():
        assert block.count(PLACEHOLDER_KEY) <= 1
        code = block.replace(PLACEHOLDER_KEY, tenant_key)
        if created_id is not None:
            code = code.replace(PLACEHOLDER_ID, created_id)
        with redirect_stdout(out):
            exec(compile(code, str(SEED), "exec"), namespace)
        if created_id is None:
            created_id = namespace["customer"].id
    printed = out.getvalue()
    assert f"Customer created: {created_id}" in printed
    assert "Updated: Nakato Sarah Williams" in printed
    assert "Showing 1 of 1 customers" in printed
    assert "Nakato Sarah Williams - sarah@kampaltech.ug" in printed
    assert "Customer deleted" in printed
    client = NovaBilling(token=tenant_key)
    assert created_id is not None
    with pytest.raises(novabilling.NotFoundError):
        client.customers.get(created_id)


USERS = {"alice@example.com": "user_alice", "bob@example.com": "user_bob"}


def test_billingos_flows(client: NovaBilling) -> None:
    customer = client.customers.create(
        external_id="user_123",
        external_organization_id="org_acme",
        email="jane@example.com",
        name="Jane Smith",
        metadata={"company": "Acme Inc"},
    )
    assert client.customers.get(customer.id) == customer
    found = client.customers.get_by_external_id("user_123")
    assert found.id == customer.id and found.external_organization_id == "org_acme"
    updated = client.customers.update(customer.id, name="Jane Doe", metadata={"company": "Acme Inc"})
    assert updated.name == "Jane Doe"

    result = client.customers.import_stripe([
        {"id": "cus_alice", "object": "customer", "email": "alice@example.com", "name": "Alice", "currency": "usd"},
        {"id": "cus_bob", "email": "bob@example.com", "address": {"country": "us", "city": "NYC"}},
        {"id": "cus_carol", "email": "carol@example.com"},
    ])
    assert (result.created, result.skipped) == (3, 0)

    # Binding shifts later pages, so read the list first.
    unresolved = list(client.customers.list_unresolved(limit=2))
    assert {c.stripe_customer_id for c in unresolved} == {"cus_alice", "cus_bob", "cus_carol"}
    for c in unresolved:
        if not c.email:
            continue
        user_id = USERS.get(c.email)
        if user_id:
            client.customers.bind(c.id, user_id)
    left = client.customers.list_unresolved()
    assert [c.email for c in left.data] == ["carol@example.com"]
    assert client.customers.get_by_external_id("user_bob").country == "US"
    with pytest.raises(novabilling.ConflictError) as e:
        client.customers.bind(left.data[0].id, "user_alice")
    assert e.value.code == "external_id_taken"

    client.customers.delete(customer.id)
    with pytest.raises(novabilling.NotFoundError):
        client.customers.get_by_external_id("user_123")


def test_billingos_flows_async(aclient: AsyncNovaBilling) -> None:
    async def flow() -> None:
        async with aclient as client:
            created = await client.customers.create(external_id="user_9", external_organization_id="org_9", email="nine@example.com")
            assert (await client.customers.get_by_external_id("user_9")).id == created.id
            await client.customers.import_stripe([{"id": "cus_a", "email": "alice@example.com"}])
            unresolved = [c async for c in await client.customers.list_unresolved()]
            for c in unresolved:
                if c.email in USERS:
                    await client.customers.bind(c.id, USERS[c.email])
            assert (await client.customers.list_unresolved()).total == 0
            await client.customers.delete(created.id)

    asyncio.run(flow())
