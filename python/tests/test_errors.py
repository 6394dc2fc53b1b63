"""The error family, from the real server and from scripted failures."""

from __future__ import annotations

import asyncio
import pickle
import socket
import time

import pytest

import novabilling
from novabilling import AsyncNovaBilling, NovaBilling

from conftest import Reply, Server, start_server


def test_hierarchy() -> None:
    assert issubclass(novabilling.ConflictError, novabilling.ApiError)
    assert issubclass(novabilling.ApiError, novabilling.NovaBillingError)
    assert issubclass(novabilling.ValidationError, ValueError)
    assert issubclass(novabilling.ConnectionError, ConnectionError)
    assert issubclass(novabilling.TimeoutError, TimeoutError)


def test_conflict_carries_everything(client: NovaBilling) -> None:
    client.customers.create(external_id="e1", email="e1@example.com")
    with pytest.raises(novabilling.ConflictError) as e:
        client.customers.create(external_id="e2", email="E1@example.com")
    err = e.value
    assert (err.status, err.code) == (409, "email_taken")
    assert err.message == "A customer with this email already exists"
    assert err.request_id and err.request_id in str(err)
    assert err.errors == []


def test_validation_error_sends_nothing(canned: object) -> None:
    server = canned(Reply.json(500, {}))  # type: ignore[operator]
    client = NovaBilling(token="sk_test_x", base_url=server.url, max_retries=0)
    with pytest.raises(novabilling.ValidationError) as e:
        client.customers.create(external_id="", email="bad", metadata={"k" * 41: 1})
    assert [(f.field, f.code) for f in e.value.errors] == [
        ("externalId", "required"), ("email", "invalid_email"), ("metadata", "invalid_key")]
    assert e.value.field == "externalId"
    with pytest.raises(novabilling.ValidationError, match="JSON values"):
        client.customers.create(external_id="u", email="a@b.co", metadata={"when": object()})
    assert server.seen == []


def test_rate_limit(tmp_path: object) -> None:
    s = start_server(tmp_path, "--rate-limit", "3")  # type: ignore[arg-type]
    try:
        client = NovaBilling(token=s.key, base_url=s.url, max_retries=0)
        with pytest.raises(novabilling.RateLimitError) as e:
            for _ in range(10):
                client.customers.list()
        assert e.value.status == 429 and e.value.retry_after is not None and e.value.retry_after > 0
    finally:
        s.proc.terminate()
        s.proc.wait(10)


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = NovaBilling(token="sk_test_x", base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with pytest.raises(novabilling.ConnectionError) as e:
        client.customers.get("cust_1")
    assert "refused" in str(e.value).lower()


def test_timeout_and_retry(canned: object) -> None:
    slow = canned(Reply.json(200, {}, ), )  # type: ignore[operator]
    slow.replies = [Reply(200, b"{}", delay=2.0)]
    client = NovaBilling(token="sk_test_x", base_url=slow.url, max_retries=1)
    start = time.monotonic()
    with pytest.raises(novabilling.TimeoutError):
        client.customers.get("cust_1", timeout=0.2)
    assert time.monotonic() - start < 1.5
    assert len(slow.seen) == 2, "a timeout is retried"


def test_retried_post_reuses_its_idempotency_key(canned: object) -> None:
    customer = {"id": "cust_1", "externalId": "u", "email": "a@b.co", "createdAt": "2026-03-01T12:00:00.000Z",
                "updatedAt": "2026-03-01T12:00:00.000Z"}
    s = canned(Reply.json(503, {"statusCode": 503, "message": "busy"}, **{"retry-after": "0"}), Reply.json(201, customer))  # type: ignore[operator]
    client = NovaBilling(token="sk_test_x", base_url=s.url)
    client.customers.create(external_id="u", email="a@b.co", idempotency_key="order-7", extra_headers={"x-trace": "t1"})
    keys = [r.headers.get("idempotency-key") for r in s.seen]
    assert keys == ["order-7", "order-7"]
    assert s.seen[0].headers["x-trace"] == "t1"
    assert s.seen[0].headers["user-agent"].startswith("novabilling-python/")


def test_async_errors_are_the_same_classes(server: Server, tenant_key: str) -> None:
    async def run() -> None:
        client = AsyncNovaBilling(token=tenant_key, base_url=server.url)
        with pytest.raises(novabilling.NotFoundError) as e:
            await client.customers.get("cust_missing")
        assert e.value.status == 404 and e.value.request_id
        with pytest.raises(novabilling.ValidationError):
            await client.customers.create(external_id="", email="x@y.co")

    asyncio.run(run())


def test_errors_pickle_and_print() -> None:
    field = novabilling.FieldError("email", "invalid_email", "bad")
    err = novabilling.NotFoundError("gone", status=404, code="not_found", request_id="req_1", errors=[field])
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is novabilling.NotFoundError
    assert (str(again), again.status, again.code, again.request_id, again.errors) == ("gone", 404, "not_found", "req_1", [field])
