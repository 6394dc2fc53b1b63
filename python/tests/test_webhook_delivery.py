"""The server's deliveries, received over real HTTP by a receiver in this
suite and verified with the Python SDK: a create/update/bind/delete flow
arrives signed, in sequence, with the full customer."""

from __future__ import annotations

import json
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from novabilling import NovaBilling, WebhookEvent, WebhookVerificationError, webhooks

from conftest import Server, start_server


class Inbox:
    """What the receiver was sent: the raw body and the headers, per request."""

    def __init__(self) -> None:
        self.got: list[tuple[bytes, dict[str, str]]] = []
        self.lock = threading.Lock()
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with inbox.lock:
                    inbox.got.append((body, dict(self.headers.items())))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/hooks"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def wait_for(self, n: int, within: float = 15.0) -> list[tuple[bytes, dict[str, str]]]:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.got) >= n:
                    return list(self.got)
            time.sleep(0.05)
        raise AssertionError(f"expected {n} deliveries, got {len(self.got)}")


@pytest.fixture(scope="module")
def hook_server() -> Iterator[Server]:
    # Loopback is refused unless allowed; the compressed schedule keeps retries quick.
    with tempfile.TemporaryDirectory() as tmp:
        s = start_server(
            Path(tmp), "--webhook-allow-host", "127.0.0.1",
            "--webhook-retry-schedule", "0,100ms,200ms", "--webhook-poll-interval", "100ms",
        )
        yield s
        s.proc.terminate()
        s.proc.wait(10)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    i = Inbox()
    yield i
    i.http.shutdown()


def post(s: Server, key: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    # The SDK has no endpoint management yet, so the test makes the endpoint over plain HTTP.
    req = urllib.request.Request(
        s.url + path, data=json.dumps(body).encode(), method="POST",
        headers={"authorization": f"Bearer {key}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        out: dict[str, Any] = json.loads(resp.read())
        return out


def test_a_customer_flow_arrives_signed_and_in_sequence(hook_server: Server, inbox: Inbox) -> None:
    key = hook_server.new_key()
    secret = post(hook_server, key, "/api/webhook-endpoints", {"url": inbox.url})["secret"]
    client = NovaBilling(token=key, base_url=hook_server.url)

    result = client.customers.import_stripe([{"id": "cus_py_hook", "email": "py-hook@example.com"}])
    assert result.created == 1
    (imported,) = client.customers.list_unresolved()
    client.customers.update(imported.id, name="Py Hook")
    client.customers.bind(imported.id, "user-py-hook")
    client.customers.delete(imported.id)

    events: list[WebhookEvent] = []
    for body, headers in inbox.wait_for(5):
        event = webhooks.verify(body, headers, secret)
        assert event.id == headers["webhook-id"]
        events.append(event)

    counts = next(e for e in events if e.type == "customers.imported")
    assert counts.imported is not None and (counts.imported.created, counts.imported.skipped) == (1, 0)

    changes = sorted((e for e in events if e.type.startswith("customer.")), key=lambda e: e.sequence or 0)
    assert [e.type for e in changes] == ["customer.created", "customer.updated", "customer.bound", "customer.deleted"]
    sequences = [e.sequence or 0 for e in changes]
    assert sequences == sorted(set(sequences)) and sequences[0] == 1
    assert all(e.customer is not None and e.customer.id == imported.id for e in changes)
    updated, bound, deleted = changes[1], changes[2], changes[3]
    assert updated.changed_fields == ["name"]
    assert updated.customer is not None and updated.customer.name == "Py Hook"
    assert bound.customer is not None and bound.customer.external_id == "user-py-hook"
    assert deleted.customer is not None and deleted.customer.external_id == "user-py-hook"


def test_a_tampered_delivery_is_refused(hook_server: Server, inbox: Inbox) -> None:
    key = hook_server.new_key()
    secret = post(hook_server, key, "/api/webhook-endpoints", {"url": inbox.url})["secret"]
    NovaBilling(token=key, base_url=hook_server.url).customers.create(
        external_id="user-py-tamper", email="py-tamper@example.com"
    )
    ((body, headers),) = inbox.wait_for(1)
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(body.replace(b"py-tamper", b"py-tamperX"), headers, secret)
    assert e.value.code == "no_matching_signature"
