"""The Python test server against the crate's description of its surface
(tests/testing-surface.json), by docs/SURFACE.md's rules: names as they are,
optional parameters keyword-only with a default, durations in seconds."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from novabilling_testing import CapturedWebhook, LocalServer, Webhooks, local_server

SURFACE = json.loads((Path(__file__).resolve().parents[2] / "tests" / "testing-surface.json").read_text())


def check_params(where: str, fn: Callable[..., Any], params: list[dict[str, str]], skip_self: bool = True) -> None:
    got = list(inspect.signature(fn).parameters.values())[1 if skip_self else 0 :]
    got = [g for g in got if g.kind is not inspect.Parameter.VAR_KEYWORD]
    assert [g.name for g in got] == [p["name"] for p in params], f"{where}: parameters"
    for g, p in zip(got, params):
        optional = p["type"].endswith("?")
        if optional:
            assert g.kind is inspect.Parameter.KEYWORD_ONLY, f"{where}({g.name}): optional, so keyword-only"
            assert g.default is not inspect.Parameter.empty, f"{where}({g.name}): optional, so a default"
        else:
            assert g.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, f"{where}({g.name}): required, so positional"


def check_members(cls: type, members: list[dict[str, Any]]) -> None:
    for m in members:
        attr = inspect.getattr_static(cls, m["name"], None)
        assert attr is not None, f"{cls.__name__}.{m['name']} is missing"
        if m["property"]:
            assert isinstance(attr, property), f"{cls.__name__}.{m['name']} should be a property"
        else:
            assert callable(attr), f"{cls.__name__}.{m['name']} should be a method"
            check_params(f"{cls.__name__}.{m['name']}", attr, m["params"])


def test_the_server() -> None:
    check_members(LocalServer, SURFACE["members"])


def test_its_webhooks() -> None:
    check_members(Webhooks, SURFACE["webhooks"])


@pytest.mark.parametrize("start", [LocalServer.__init__, local_server], ids=["LocalServer", "local_server"])
def test_the_start_options(start: Callable[..., Any]) -> None:
    check_params("start", start, SURFACE["start_options"], skip_self=start is LocalServer.__init__)


def test_a_captured_webhook() -> None:
    for f in SURFACE["captured_webhook"]:
        assert hasattr(CapturedWebhook, f["name"]), f"CapturedWebhook.{f['name']} is missing"
