"""Every method of the sync client against the real server."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import novabilling
from novabilling import NovaBilling

from conftest import Server


def make(client: NovaBilling, tag: str, **extra: object) -> novabilling.Customer:
    return client.customers.create(external_id=tag, email=f"{tag}@example.com", **extra)  # type: ignore[arg-type]


def test_create_get_and_results(client: NovaBilling) -> None:
    c = make(client, "u1", name="Nakato", country="ug", currency="ugx", metadata={"a": 1, "b": [True, None], "c": {"d": 1.5}})
    assert c.id.startswith("cust_")
    assert (c.country, c.currency, c.status) == ("UG", "UGX", "active")
    assert c.metadata == {"a": 1, "b": [True, None], "c": {"d": 1.5}}
    assert c.total_spent == Decimal(0) and c.active_subscriptions == 0
    assert c.created_at.tzinfo is not None and c.created_at <= dt.datetime.now(dt.timezone.utc)
    assert c.request_id and c.request_id.startswith("req_")
    assert c.etag
    d = c.to_dict()
    assert d["external_id"] == "u1" and d["metadata"]["a"] == 1
    assert json.loads(c.to_json())["externalId"] == "u1"
    assert repr(c).startswith("Customer(id='cust_")
    got = client.customers.get(c.id)
    assert got == c and got.name == "Nakato"
    assert client.customers.get_by_external_id("u1").id == c.id
    c.metadata["a"] = 2
    assert c.metadata["a"] == 1, "metadata is a copy"


def test_update_omitted_untouched_none_clears(client: NovaBilling) -> None:
    c = make(client, "u2", name="A", country="UG", metadata={"k": "v"})
    u = client.customers.update(c.id, name="B")
    assert (u.name, u.country, u.metadata) == ("B", "UG", {"k": "v"})
    u = client.customers.update(c.id, country=None, metadata=None)
    assert (u.name, u.country, u.metadata) == ("B", None, {})
    u = client.customers.update(c.id, metadata={"x": 1}, status="inactive", external_organization_id="org")
    assert (u.metadata, u.status, u.external_organization_id) == ({"x": 1}, "inactive", "org")
    with pytest.raises(novabilling.ValidationError) as e:
        client.customers.update(c.id, email=None)  # type: ignore[arg-type]
    assert e.value.errors[0].code == "not_nullable"
    with pytest.raises(TypeError, match="unexpected keyword argument 'nmae'"):
        client.customers.update(c.id, nmae="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        client.customers.update(c.id, name=5)  # type: ignore[arg-type]


def test_if_match(client: NovaBilling) -> None:
    c = make(client, "u3")
    client.customers.update(c.id, name="first")
    with pytest.raises(novabilling.PreconditionFailedError) as e:
        client.customers.update(c.id, name="stale", if_match=c.etag)
    assert e.value.status == 412
    fresh = client.customers.get(c.id)
    assert client.customers.update(c.id, name="ok", if_match=fresh.etag).name == "ok"


def test_delete(client: NovaBilling) -> None:
    c = make(client, "u4")
    d = client.customers.delete(c.id)
    assert (d.id, d.deleted) == (c.id, True)
    with pytest.raises(novabilling.NotFoundError):
        client.customers.get(c.id)
    make(client, "u4")  # the external id and email are free again


def test_list_search_sort_and_pages(client: NovaBilling) -> None:
    for i in range(25):
        make(client, f"page_{i:02}", name=f"Name {i:02}", country="KE" if i % 2 else "UG")
    make(client, "other", name="50%_off")
    page = client.customers.list(limit=10, search="page_", sort_by="name", sort_order="asc")
    assert (page.total, page.total_pages, page.page, page.limit, len(page.data), page.has_more) == (25, 3, 1, 10, 10, True)
    assert [c.name for c in page.data][:2] == ["Name 00", "Name 01"]
    everything = list(page)
    assert len(everything) == 25 and len({c.id for c in everything}) == 25
    assert [c.external_id for c in page.auto_paging_iter()] == [c.external_id for c in everything]
    third = page.next_page()
    assert third is not None
    third = third.next_page()
    assert third is not None and len(third.data) == 5 and third.next_page() is None
    assert client.customers.list(country="ke", search="page_").total == 12
    assert client.customers.list(search="%_").total == 1, "% and _ match literally"
    assert client.customers.list(page=9, limit=10, search="page_").data == []
    with pytest.raises(novabilling.ValidationError) as e:
        client.customers.list(sort_by="created_at")
    assert e.value.errors[0].field == "sortBy"


def test_merge_metadata(client: NovaBilling) -> None:
    c = make(client, "u5", metadata={"keep": 1, "drop": 2})
    m = client.customers.merge_metadata(c.id, {"new": [1]}, unset=["drop"])
    assert m.metadata == {"keep": 1, "new": [1]}


def test_billing_records_totals_and_delete(client: NovaBilling) -> None:
    c = make(client, "u6", currency="USD")
    sub = client.subscriptions.create(customer_id=c.id, plan_id="pro")
    trial = client.subscriptions.create(customer_id=c.id, plan_id="team", status="trialing")
    a = client.invoices.create(customer_id=c.id, amount=Decimal("0.1"))
    b = client.invoices.create(customer_id=c.id, amount="0.2")
    open_ = client.invoices.create(customer_id=c.id, amount=5)
    client.invoices.pay(a.id)
    client.invoices.pay(b.id)
    with pytest.raises(novabilling.ConflictError) as e:
        client.invoices.void(a.id)
    assert e.value.code == "invoice_paid"
    got = client.customers.get(c.id)
    assert got.total_spent == Decimal("0.3") and got.active_subscriptions == 2
    assert [s.plan_id for s in client.customers.subscriptions(c.id)] == ["pro", "team"]
    assert len(client.customers.invoices(c.id)) == 3
    client.customers.delete(c.id)
    assert client.subscriptions.get(sub.id).status == "canceled"
    assert client.subscriptions.get(trial.id).canceled_at is not None
    assert client.invoices.get(open_.id).status == "void"
    assert client.invoices.get(a.id).status == "paid"
    with pytest.raises(novabilling.ValidationError):
        client.invoices.create(customer_id="cust_x", amount=True)


def test_tenants_are_isolated(server: Server, client: NovaBilling) -> None:
    c = make(client, "u7")
    other = NovaBilling(token=server.new_key(), base_url=server.url)
    with pytest.raises(novabilling.NotFoundError):
        other.customers.get(c.id)
    assert other.customers.list().total == 0


def test_configuration(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOVABILLING_API_KEY", raising=False)
    with pytest.raises(novabilling.ValidationError, match="NOVABILLING_API_KEY"):
        NovaBilling()
    monkeypatch.setenv("NOVABILLING_API_KEY", "sk_test_from_env")
    monkeypatch.setenv("NOVABILLING_BASE_URL", server.url + "/api/")
    c = NovaBilling(timeout=5, max_retries=0)
    assert (c.base_url, c.timeout, c.max_retries) == (server.url, 5.0, 0)
    assert "sk_test" not in repr(c)
    with NovaBilling(api_key="sk_test_x", base_url=server.url) as c2:
        with pytest.raises(novabilling.AuthenticationError):
            c2.customers.list()
    with pytest.raises(novabilling.ValidationError):
        NovaBilling(token="k", base_url="localhost:3000")
    with pytest.raises(novabilling.ValidationError):
        NovaBilling(token="k", timeout=-1)
