"""Arbitrary values at every public function (issue: reliability, proven):
wrong types, huge and deep values, NaN, lone surrogates, bytes. Whatever goes
in, what comes out is a result or a typed exception; a Rust panic (pyo3's
PanicException, a BaseException) or a crash fails the test. The functions are
read from core's description of the surface, so a new method is covered the
day it is added. Calls that pass validation reach the real server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import novabilling

from conftest import ROOT, Server

SURFACE: dict[str, Any] = json.loads((ROOT / "tests" / "surface.json").read_text())
MODELS = {m["name"]: m for m in SURFACE["models"]}
PY_NAME = {"headers": "extra_headers"}

# What Python itself raises for a value of the wrong type or range, and what the SDK raises.
TYPED = (novabilling.NovaBillingError, TypeError, ValueError, OverflowError)


def nested(depth: int) -> Any:
    v: Any = "leaf"
    for i in range(depth):
        v = [v] if i % 2 else {"k": v}
    return v


# Values near what an argument wants get past one check to the next.
PLAUSIBLE = st.sampled_from(
    ["cust_abc", "usr_1", "a@b.co", "US", "usd", "active", "createdAt", "asc", "customers:read", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 1, 100, 0.5, {"k": "v"}, ["k"], b"{}"]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**80),
    st.integers(max_value=-(2**63) + 2),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(exclude_categories=())),  # lone surrogates included
    st.binary(),
    st.just("x" * 1_000_000),
    st.builds(nested, st.just(500)),  # deeper than serde_json nests, within what repr can print
    st.just(object()),
)
HOSTILE = st.recursive(
    st.one_of(SCALARS, PLAUSIBLE),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.one_of(st.text(), st.integers()), inner, max_size=3)),
    max_leaves=6,
)


def param_names(method: dict[str, Any]) -> list[str]:
    """A body model's fields become keyword arguments; other parameters keep their names."""
    names: list[str] = []
    for p in method["params"]:
        model = MODELS.get(p["type"])
        names += [f["name"] for f in model["fields"]] if model is not None and model["kind"] == "input" else [p["name"]]
    return names + [PY_NAME.get(o, o) for o in method["options"]]


CALLS = [(r["name"], m["name"], param_names(m)) for r in SURFACE["resources"] for m in r["methods"]]
OPTIONS = [PY_NAME.get(o["name"], o["name"]) for o in SURFACE["client_options"]]


def kwargs_for(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={n: HOSTILE for n in names})


def settle(result: Any) -> None:
    """Pages are lazy: iterate a little, so decoding runs too."""
    if hasattr(result, "__iter__") and not isinstance(result, (str, bytes, dict)):
        for i, _ in enumerate(result):
            if i > 2:
                break


@pytest.fixture(scope="module")
def hostile_key(server: Server) -> str:
    """A tenant of its own for what the hostile calls create."""
    return server.new_key()


@pytest.fixture(scope="module")
def live(server: Server, hostile_key: str) -> novabilling.NovaBilling:
    return novabilling.NovaBilling(token=hostile_key, base_url=server.url, max_retries=0, timeout=5)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize(("resource", "method", "names"), CALLS, ids=[f"{r}.{m}" for r, m, _ in CALLS])
@FAST
@given(data=st.data())
def test_every_method_takes_anything_and_answers_typed(live: novabilling.NovaBilling, resource: str, method: str, names: list[str], data: st.DataObject) -> None:
    fn = getattr(getattr(live, resource), method)
    kwargs = data.draw(kwargs_for(names))
    try:
        settle(fn(**kwargs))
    except TYPED:
        pass


@pytest.mark.parametrize(("resource", "method", "names"), CALLS, ids=[f"{r}.{m}" for r, m, _ in CALLS])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_async_method_takes_anything_and_answers_typed(server: Server, hostile_key: str, resource: str, method: str, names: list[str], data: st.DataObject) -> None:
    kwargs = data.draw(kwargs_for(names))

    async def call() -> None:
        client = novabilling.AsyncNovaBilling(token=hostile_key, base_url=server.url, max_retries=0, timeout=5)
        fn = getattr(getattr(client, resource), method)
        try:
            result = fn(**kwargs)
            if hasattr(result, "__aiter__"):
                async for _ in result:
                    break
            elif hasattr(result, "__await__"):
                await result
        except TYPED:
            pass

    asyncio.run(call())


@FAST
@given(kwargs=kwargs_for(OPTIONS))
def test_client_settings_take_anything_and_answer_typed(kwargs: dict[str, Any]) -> None:
    for cls in (novabilling.NovaBilling, novabilling.AsyncNovaBilling):
        try:
            cls(**kwargs)
        except TYPED:
            pass


@FAST
@given(body=HOSTILE, headers=HOSTILE, secret=HOSTILE, tolerance=HOSTILE, id=HOSTILE, timestamp=HOSTILE)
def test_webhook_functions_take_anything_and_answer_typed(body: Any, headers: Any, secret: Any, tolerance: Any, id: Any, timestamp: Any) -> None:
    try:
        novabilling.webhooks.verify(body, headers, secret, tolerance=tolerance)
    except TYPED:
        pass
    try:
        novabilling.webhooks.sign(body, secret, id=id, timestamp=timestamp)
    except TYPED:
        pass
