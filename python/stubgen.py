"""Writes the async resource classes of novabilling/_native.pyi from their
blocking twins, as the binding's one macro writes both families in Rust:
the same methods and arguments, each returning an awaitable (a listing an
AsyncPageRequest). `--check` fails when the committed stub differs.

    python3 python/stubgen.py          # rewrite the async classes
    python3 python/stubgen.py --check  # CI: the stub is current
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

STUB = Path(__file__).parent / "novabilling" / "_native.pyi"
TWINS = ("Customers", "Subscriptions", "Invoices")


def spans(text: str) -> dict[str, tuple[int, int]]:
    """Each top-level class's lines (from its decorator, 0-based, end exclusive)."""
    out = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            out[node.name] = (start, node.end_lineno or node.lineno)
    return out


def asynced(sync: str, name: str) -> str:
    text = sync.replace(f"class {name}:", f"class Async{name}:", 1)

    def ret(m: re.Match[str]) -> str:
        t = m.group(1).strip()
        return f") -> {'AsyncPageRequest' if t == 'CustomerPage' else f'Awaitable[{t}]'}:"

    return re.sub(r"\) -> ([^:\n]+):", ret, text)


def generate(text: str) -> str:
    lines = text.splitlines(keepends=True)
    for name in TWINS:
        where = spans("".join(lines))
        s0, s1 = where[name]
        a0, a1 = where[f"Async{name}"]
        body = asynced("".join(lines[s0:s1]), name)
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
