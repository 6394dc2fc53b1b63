"""Writes the async classes of novabilling/_native.pyi from their blocking
twins, as the binding's macros write both families in Rust: the resources
(the same methods and arguments, each returning an awaitable, a listing an
AsyncPageRequest), the page (awaitable next page, async iteration) and the
client (async resources, async context manager). `--check` fails when the
committed stub differs.

    python3 python/stubgen.py          # rewrite the async classes
    python3 python/stubgen.py --check  # CI: the stub is current
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Callable

STUB = Path(__file__).parent / "novabilling" / "_native.pyi"
RESOURCES = ("Customers", "Subscriptions", "Invoices", "Keys", "Events")


def spans(text: str) -> dict[str, tuple[int, int]]:
    """Each top-level class's lines (from its decorator, 0-based, end exclusive)."""
    out = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            out[node.name] = (start, node.end_lineno or node.lineno)
    return out


def renamed(text: str, name: str) -> str:
    return text.replace(f"class {name}:", f"class Async{name}:", 1)


def resource(text: str, name: str) -> str:
    def ret(m: re.Match[str]) -> str:
        t = m.group(1).strip()
        return f") -> {'AsyncPageRequest' if t == 'CustomerPage' else f'Awaitable[{t}]'}:"

    return re.sub(r"\) -> ([^:\n]+):", ret, renamed(text, name))


def replaced(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        if old not in text:
            raise SystemExit(f"stubgen: {old!r} is no longer in the blocking class; update python/stubgen.py")
        text = text.replace(old, new)
    return text


def page(text: str, name: str) -> str:
    return replaced(renamed(text, name), [
        ("iterating walks this page", "``async for`` walks this page"),
        ("def next_page(self) -> Optional[CustomerPage]:", "def next_page(self) -> Awaitable[Optional[AsyncCustomerPage]]:"),
        ("def auto_paging_iter(self) -> Iterator[Customer]:", "def auto_paging_iter(self) -> AsyncIterator[Customer]:"),
        ("def __iter__(self) -> Iterator[Customer]:", "def __aiter__(self) -> AsyncIterator[Customer]:"),
    ])


def client(text: str, name: str) -> str:
    text = replaced(renamed(text, name), [
        ("A blocking client. Thread-safe; one connection pool; works after ``os.fork()``.",
         "An asyncio client: every call returns an awaitable running on the core's runtime."),
        ("-> NovaBilling:", "-> AsyncNovaBilling:"),
        ("def __enter__(self) -> Self:", "def __aenter__(self) -> Awaitable[Self]:"),
        ("def __exit__(", "def __aexit__("),
    ] + [(f"-> {r}:", f"-> Async{r}:") for r in RESOURCES])
    return re.sub(r"(def __aexit__\(.*?\) -> )None:", r"\1Awaitable[None]:", text, count=1, flags=re.S)


TWINS: dict[str, Callable[[str, str], str]] = {
    **{r: resource for r in RESOURCES},
    "CustomerPage": page,
    "NovaBilling": client,
}


def generate(text: str) -> str:
    lines = text.splitlines(keepends=True)
    for name, transform in TWINS.items():
        where = spans("".join(lines))
        s0, s1 = where[name]
        a0, a1 = where[f"Async{name}"]
        body = transform("".join(lines[s0:s1]), name)
        lines[a0:a1] = [body]
        lines = "".join(lines).splitlines(keepends=True)
    return "".join(lines)


def main() -> int:
    text = STUB.read_text()
    fresh = generate(text)
    if "--check" in sys.argv:
        if fresh != text:
            print(f"{STUB} is stale: run python3 python/stubgen.py", file=sys.stderr)
            return 1
        print(f"{STUB.name}: the async classes match their blocking twins")
        return 0
    STUB.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
