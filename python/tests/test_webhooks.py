"""Webhook verification through the Python API: the shared vectors
(tests/vectors/webhooks.json), Python's own body and header types, and the
signing helper's round trip."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import novabilling
from novabilling import WebhookEvent, WebhookVerificationError, webhooks

from conftest import ROOT

VECTORS: dict[str, Any] = json.loads((ROOT / "tests" / "vectors" / "webhooks.json").read_text())
SECRET = VECTORS["sign"][1]["secret"]


@pytest.mark.parametrize("case", VECTORS["sign"], ids=[c["name"] for c in VECTORS["sign"]])
def test_signatures(case: dict[str, Any]) -> None:
    headers = webhooks.sign(case["body"], case["secret"], id=case["id"], timestamp=case["timestamp"])
    assert headers == {
        "webhook-id": case["id"],
        "webhook-timestamp": str(case["timestamp"]),
        "webhook-signature": case["signature"],
    }


@pytest.mark.parametrize("case", VECTORS["verify"], ids=[c["name"] for c in VECTORS["verify"]])
def test_verify_vectors(case: dict[str, Any]) -> None:
    args = (case["body"].encode(), case["headers"], case["secrets"])
    if "error" in case:
        with pytest.raises(WebhookVerificationError) as e:
            webhooks.verify(*args, tolerance=case["tolerance"])
        assert (e.value.code, e.value.reason) == (case["error"]["code"], case["error"]["code"])
        assert case["error"]["contains"] in e.value.message
        assert isinstance(e.value, novabilling.NovaBillingError)
        return
    event = webhooks.verify(*args, tolerance=case["tolerance"])
    want = case["expect"]
    assert isinstance(event, WebhookEvent)
    assert (event.id, event.type, event.sequence, event.changed_fields) == (
        want["id"], want["type"], want["sequence"], want["changed_fields"])
    assert event.timestamp == dt.datetime.fromisoformat(want["timestamp"].replace("Z", "+00:00"))
    assert (event.customer.id if event.customer else None) == want["customer_id"]
    imported = event.imported
    assert ({"created": imported.created, "skipped": imported.skipped} if imported else None) == want["imported"]
    assert sorted(event.data) == want["data_keys"]
    assert json.loads(event.to_json()) == json.loads(case["body"])


def test_a_parsed_body_is_refused() -> None:
    case = VECTORS["body_not_raw"]
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(case["body"], case["headers"], case["secrets"])
    assert e.value.code == case["error"]["code"]
    assert case["error"]["contains"] in e.value.message and "dict" in e.value.message


def test_body_and_header_types_python_frameworks_hand_over() -> None:
    case = VECTORS["verify"][0]
    body: str = case["body"]
    secrets = case["secrets"]
    tol = case["tolerance"]
    pairs = list(case["headers"].items())
    ascii_pairs = [(k.encode(), v.encode()) for k, v in pairs]  # an ASGI scope's headers
    for b in (body, body.encode(), bytearray(body.encode()), memoryview(body.encode())):
        for h in (dict(pairs), pairs, ascii_pairs):
            assert webhooks.verify(b, h, secrets, tolerance=tol).id == "evt_1"
    assert webhooks.verify(body, dict(pairs), secrets[0], tolerance=tol).customer is not None
    with pytest.raises(novabilling.ValidationError):
        webhooks.verify(42, dict(pairs), secrets, tolerance=tol)  # type: ignore[arg-type]
    with pytest.raises(novabilling.ValidationError):
        webhooks.verify(body, dict(pairs), secrets, tolerance=-1)


def test_sign_makes_headers_that_verify_now() -> None:
    body = json.dumps({"id": "evt_9", "type": "customer.deleted", "timestamp": "2026-12-04T08:00:00.000Z",
                       "data": {"sequence": 4}})
    headers = webhooks.sign(body, SECRET)
    event = webhooks.verify(body, headers, [SECRET])
    assert (event.type, event.sequence, event.customer) == ("customer.deleted", 4, None)
    assert event == webhooks.verify(body, headers, SECRET)
    assert "evt_9" in repr(event) and event.to_dict()["type"] == "customer.deleted"
    with pytest.raises(WebhookVerificationError, match="API key"):
        webhooks.sign(body, "sk_test_abc")
