"""The Python surface against core's description of it (tests/surface.json):
every resource method with its parameters and per-call options, every model
field, every error class and its fields, the client's settings, in the
runtime classes and in the .pyi alike. A miss says what to add, and where."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path
from typing import Any

import novabilling

from conftest import ROOT

SURFACE: dict[str, Any] = json.loads((ROOT / "tests" / "surface.json").read_text())
MODELS = {m["name"]: m for m in SURFACE["models"]}
STUB = ast.parse((Path(novabilling.__file__).parent / "_native.pyi").read_text())
# Python spells two of core's names the way its users know them (openai-python).
PY_NAME = {"headers": "extra_headers"}


def stub_class(name: str) -> ast.ClassDef | None:
    return next((n for n in STUB.body if isinstance(n, ast.ClassDef) and n.name == name), None)


def stub_members(name: str) -> dict[str, ast.FunctionDef]:
    cls = stub_class(name)
    return {} if cls is None else {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}


def stub_params(fn: ast.FunctionDef) -> set[str]:
    a = fn.args
    return {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs} - {"self", "cls"}


def expected_params(method: dict[str, Any]) -> set[str]:
    """A body model's fields become keyword arguments; other parameters keep their names."""
    names: set[str] = set()
    for p in method["params"]:
        model = MODELS.get(p["type"])
        if model is not None and model["kind"] == "input":
            names |= {f["name"] for f in model["fields"]}
        else:
            names.add(p["name"])
    names |= {PY_NAME.get(o, o) for o in method["options"]}
    if method["name"] == "update":
        names.add("if_match")
    return names


def runtime_params(fn: Any) -> set[str] | None:
    """The parameter names of a native method, or None when it takes **kwargs (update)."""
    sig = inspect.signature(fn)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values()):
        return None
    return set(sig.parameters) - {"self"}


def resource_problems(prefix: str) -> list[str]:
    problems = []
    for resource in SURFACE["resources"]:
        cls_name = prefix + resource["name"].capitalize()
        cls = getattr(novabilling, cls_name, None)
        if cls is None:
            problems.append(f"novabilling.{cls_name} is missing (bindings/python/src/resources.rs)")
            continue
        stubs = stub_members(cls_name)
        for method in resource["methods"]:
            where = f"{cls_name}.{method['name']}"
            want = expected_params(method)
            fn = getattr(cls, method["name"], None)
            if fn is None:
                problems.append(f"{where}() is missing: add it to bindings/python/src/resources.rs")
            else:
                got = runtime_params(fn)
                if got is not None and not want <= got:
                    problems.append(f"{where}() lacks parameters {sorted(want - got)} (resources.rs)")
            if method["name"] not in stubs:
                problems.append(f"{where}() is missing from _native.pyi")
            elif not want <= stub_params(stubs[method["name"]]):
                problems.append(f"{where}() in _native.pyi lacks {sorted(want - stub_params(stubs[method['name']]))}")
    return problems


def test_every_resource_method_with_its_parameters_and_options() -> None:
    problems = resource_problems("") + resource_problems("Async")
    assert not problems, "\n".join(problems)


def test_every_result_model_field() -> None:
    problems = []
    for model in SURFACE["models"]:
        if model["kind"] != "result":
            continue
        names = [model["name"]] + (["AsyncCustomerPage"] if model["name"] == "CustomerPage" else [])
        for name in names:
            cls = getattr(novabilling, name, None)
            stubs = stub_members(name)
            for f in model["fields"]:
                if cls is None or not hasattr(cls, f["name"]):
                    problems.append(f"{name}.{f['name']} is missing (bindings/python/src/models.rs or pages.rs)")
                if f["name"] not in stubs:
                    problems.append(f"{name}.{f['name']} is missing from _native.pyi")
    assert not problems, "\n".join(problems)


def test_every_error_class_with_its_parent_and_fields() -> None:
    problems = []
    for e in SURFACE["errors"]:
        cls = getattr(novabilling, e["name"], None)
        if cls is None:
            problems.append(f"novabilling.{e['name']} is missing (python/novabilling/_errors.py)")
            continue
        if e["parent"] is not None and e["parent"] not in [b.__name__ for b in cls.__bases__]:
            problems.append(f"{e['name']} must derive from {e['parent']}")
        instance = cls("x")
        for f in e["fields"]:
            if not hasattr(instance, f["name"]):
                problems.append(f"{e['name']}().{f['name']} is missing (_errors.py)")
    assert not problems, "\n".join(problems)


def test_every_client_setting() -> None:
    problems = []
    for cls in (novabilling.NovaBilling, novabilling.AsyncNovaBilling):
        for method in ("__new__", "with_options"):
            got = set(inspect.signature(getattr(cls, method) if method != "__new__" else cls).parameters)
            stub = stub_params(stub_members(cls.__name__)[method])
            for opt in SURFACE["client_options"]:
                if opt["name"] not in got:
                    problems.append(f"{cls.__name__}.{method} lacks {opt['name']}= (bindings/python/src/client.rs)")
                if opt["name"] not in stub:
                    problems.append(f"{cls.__name__}.{method} in _native.pyi lacks {opt['name']}=")
    assert not problems, "\n".join(problems)


def test_every_function_with_its_parameters() -> None:
    """`webhooks.verify` and friends: in the namespace module, and typed in the stub."""
    problems = []
    stub_fns = {n.name: n for n in STUB.body if isinstance(n, ast.FunctionDef)}
    for f in SURFACE["functions"]:
        namespace = getattr(novabilling, f["namespace"], None)
        fn = getattr(namespace, f["name"], None)
        where = f"novabilling.{f['namespace']}.{f['name']}"
        if fn is None:
            problems.append(f"{where}() is missing (python/novabilling/{f['namespace']}.py)")
            continue
        want = {p["name"] for p in f["params"]}
        got = set(inspect.signature(fn).parameters)
        if not want <= got:
            problems.append(f"{where}() lacks parameters {sorted(want - got)} (bindings/python/src/{f['namespace']}.rs)")
        stub = stub_fns.get(fn.__name__)
        if stub is None:
            problems.append(f"{fn.__name__}() is missing from _native.pyi")
        elif not want <= stub_params(stub):
            problems.append(f"{fn.__name__}() in _native.pyi lacks {sorted(want - stub_params(stub))}")
    assert not problems, "\n".join(problems)
