"""Events read back through the SDK from the real server: the same
``WebhookEvent`` a verified delivery gives, newest first, filtered, paged,
and the checks core makes before any request."""

from __future__ import annotations

import asyncio

import pytest

from novabilling import AsyncNovaBilling, EventPage, NotFoundError, NovaBilling, ValidationError, WebhookEvent


def test_events_list_and_get_read_back_what_deliveries_send(client: NovaBilling) -> None:
    c = client.customers.create(external_id="ev1", email="ev1@example.com")
    client.customers.update(c.id, name="Renamed")
    page = client.events.list(customer_id=c.id)
    assert isinstance(page, EventPage) and len(page) == 2
    assert [e.type for e in page.data] == ["customer.updated", "customer.created"]
    assert (page.total, page.page, page.total_pages, page.has_more) == (2, 1, 1, False)
    assert page.request_id is not None
    updated = page.data[0]
    assert isinstance(updated, WebhookEvent)
    assert updated.customer is not None and updated.customer.name == "Renamed"
    assert updated.changed_fields == ["name"]
    assert client.events.get(updated.id) == updated

    first = client.events.list(type="customer.created", limit=1)
    assert [e.customer.id for e in first.data if e.customer] == [c.id]


def test_events_are_checked_before_any_request(client: NovaBilling) -> None:
    with pytest.raises(ValidationError) as e:
        client.events.list(type="Customer Created", limit=0)
    assert sorted(f.field for f in e.value.errors) == ["limit", "type"]
    with pytest.raises(NotFoundError):
        client.events.get("evt_missing")


def test_async_events(aclient: AsyncNovaBilling) -> None:
    async def flow() -> None:
        c = await aclient.customers.create(external_id="ev2", email="ev2@example.com")
        page = await aclient.events.list(customer_id=c.id)
        assert [e.type for e in page.data] == ["customer.created"]
        assert (await aclient.events.get(page.data[0].id)).id == page.data[0].id

    asyncio.run(flow())
