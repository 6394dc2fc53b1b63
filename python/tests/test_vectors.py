"""The shared vectors of tests/vectors, through the Python API."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any, Callable

import pytest

import novabilling
from novabilling import NovaBilling

from conftest import ROOT, Reply, load_vectors


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def kwargs(input: dict[str, Any]) -> dict[str, Any]:
    return {snake(k): v for k, v in input.items()}


def call(client: NovaBilling, op: str, input: Any) -> Any:
    c = client.customers
    calls: dict[str, Callable[[], Any]] = {
        "customer_create": lambda: c.create(**kwargs(input)),
        "customer_update": lambda: c.update("cust_1", **kwargs(input)),
        "list_params": lambda: c.list(**kwargs(input)),
        "page_params": lambda: c.list_unresolved(**kwargs(input)),
        "bind": lambda: c.bind("cust_1", input["externalId"]),
        "customer_id": lambda: c.get(input),
        "stripe_import": lambda: c.import_stripe(input),
        "invoice_create": lambda: client.invoices.create(**kwargs(input)),
        "subscription_create": lambda: client.subscriptions.create(**kwargs(input)),
    }
    return calls[op]()


VALIDATION = [case for case in load_vectors("validation.json") if "error" in case]


@pytest.mark.parametrize("case", VALIDATION, ids=[c["name"] for c in VALIDATION])
def test_validation_vectors(case: dict[str, Any], canned: Any) -> None:
    server = canned(Reply.json(500, {}))
    client = NovaBilling(token="sk_test_x", base_url=server.url, max_retries=0)
    with pytest.raises(novabilling.ValidationError) as e:
        call(client, case["op"], case["input"])
    assert [{"field": f.field, "code": f.code} for f in e.value.errors] == case["error"]
    assert server.seen == [], "nothing is sent for invalid input"


DECODING = load_vectors("decoding.json")


SURFACE_MODELS = {m["name"]: m for m in json.loads((ROOT / "tests" / "surface.json").read_text())["models"]}
# Fields the wire form leaves out when absent (what the vectors' expected objects do too).
OMITTED_WHEN_NONE = {"net_payment_terms", "subscriptions", "invoices"}


def wire_value(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        utc = v.astimezone(dt.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, list):
        return [wire_value(x) for x in v]
    if type(v).__name__ in SURFACE_MODELS:
        return wire(v)
    return v


def wire(obj: Any) -> dict[str, Any]:
    """The object's wire form built from its attributes (the getters users read), not from to_json()."""
    out: dict[str, Any] = {}
    for f in SURFACE_MODELS[type(obj).__name__]["fields"]:
        name = f["name"]
        if name in ("request_id", "etag"):
            continue
        value = getattr(obj, name)
        if value is None and name in OMITTED_WHEN_NONE:
            continue
        out[re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)] = wire_value(value)
    return out


@pytest.mark.parametrize("case", DECODING, ids=[c["name"] for c in DECODING])
def test_decoding_vectors(case: dict[str, Any], canned: Any) -> None:
    server = canned(Reply.json(200, case["body"], **{"x-request-id": "req_vec"}))
    client = NovaBilling(token="sk_test_x", base_url=server.url, max_retries=0)
    c = client.customers
    path_id = case.get("pathId", "cust_1")
    kind = case["type"]
    if kind == "customer_page":
        page = c.list()
        got: Any = {"data": [wire(x) for x in page.data],
                    "meta": {"total": page.total, "page": page.page, "limit": page.limit, "totalPages": page.total_pages}}
    elif kind in ("subscription_list", "invoice_list"):
        items = c.subscriptions(path_id) if kind == "subscription_list" else c.invoices(path_id)
        got = {"data": [wire(x) for x in items]}
    else:
        result = {
            "customer": lambda: c.get(path_id),
            "subscription": lambda: client.subscriptions.get(path_id),
            "invoice": lambda: client.invoices.get(path_id),
            "deleted": lambda: c.delete(path_id),
            "import_result": lambda: c.import_stripe([]),
        }[kind]()
        assert result.request_id == "req_vec"
        got = wire(result)
        assert json.loads(result.to_json()) == case["expected"], "to_json() agrees with the attributes"
    assert got == case["expected"]


ERRORS = load_vectors("errors.json")


@pytest.mark.parametrize("case", ERRORS, ids=[c["name"] for c in ERRORS])
def test_error_vectors(case: dict[str, Any], canned: Any) -> None:
    server = canned(Reply(case["status"], case["body"].encode(), case["headers"]))
    client = NovaBilling(token="sk_test_x", base_url=server.url, max_retries=0)
    with pytest.raises(novabilling.ApiError) as e:
        client.customers.get("cust_1")
    err, want = e.value, case["expected"]
    assert type(err).__name__ == want["kind"]
    assert (err.status, err.code, err.message, err.request_id) == (want["status"], want["code"], want["message"], want["requestId"])
    assert [{"field": f.field, "message": f.message, **({"code": f.code} if f.code else {})} for f in err.errors] == want["errors"]
    retry_ms = None if err.retry_after is None else round(err.retry_after * 1000)
    assert retry_ms == want["retryAfterMs"]
    assert len(server.seen) == 1
