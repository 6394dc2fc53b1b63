"""The Swift surface against core's description of it (tests/surface.json),
read from the generated sources with tree-sitter-swift (no Swift toolchain
here): every resource method with its parameters, every record field, every
error case with its fields, the client's settings. Prints each miss with
what to add, and exits 1 when there is one."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Iterator

import tree_sitter as ts
import tree_sitter_swift

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "swift" / "Sources" / "NovaBilling"
# Swift's names for two of core's: the FFI's field names of every error.
ERROR_FIELD = {"message": "detail", "errors": "fieldErrors"}


def camel(s: str) -> str:
    head, *rest = s.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


class Source:
    def __init__(self, path: Path) -> None:
        self.src = path.read_bytes()
        self.root = ts.Parser(ts.Language(tree_sitter_swift.language())).parse(self.src).root_node

    def text(self, n: ts.Node | None) -> str:
        return "" if n is None else self.src[n.start_byte : n.end_byte].decode()

    def walk(self, n: ts.Node) -> Iterator[ts.Node]:
        yield n
        for c in n.children:
            yield from self.walk(c)

    def declaration(self, name: str, keyword: str) -> ts.Node | None:
        """The top-level `struct`/`class`/`enum`/`protocol` declaration of `name` (not an extension)."""
        for n in self.root.children:
            if self.text(n.child_by_field_name("name")) == name and len(n.children) > 1 and n.children[1].type == keyword:
                return n
        return None

    def params(self, fn: ts.Node) -> list[str]:
        return [self.text(c.child_by_field_name("name")) for c in fn.children if c.type == "parameter"]


def problems() -> list[str]:
    surface = json.loads((ROOT / "tests" / "surface.json").read_text())
    gen = Source(SOURCES / "NovaBilling.swift")
    out: list[str] = []

    for r in surface["resources"]:
        proto = gen.declaration(r["name"].capitalize() + "Protocol", "protocol")
        fns = {}
        for n in gen.walk(proto) if proto else []:
            if n.type == "protocol_function_declaration":
                fns[gen.text(n.child_by_field_name("name"))] = gen.params(n)
        for m in r["methods"]:
            name, want = camel(m["name"]), [camel(p["name"]) for p in m["params"]] + ["options"]
            if name not in fns:
                out.append(f"{r['name'].capitalize()}.{name}() is missing (bindings/uniffi/src/lib.rs)")
            elif fns[name] != want:
                out.append(f"{r['name'].capitalize()}.{name}({', '.join(fns[name])}) should take ({', '.join(want)})")

    for model in surface["models"]:
        struct = gen.declaration(model["name"], "struct")
        if struct is None:
            out.append(f"struct {model['name']} is missing (bindings/uniffi/src/inputs.rs or results.rs)")
            continue
        got = {gen.text(n.child_by_field_name("name")) for n in gen.walk(struct) if n.type == "property_declaration"}
        out += [f"{model['name']}.{camel(f['name'])} is missing: add it to the record in bindings/uniffi/src/inputs.rs or results.rs" for f in model["fields"] if camel(f["name"]) not in got]

    enum = gen.declaration("NovaBillingError", "enum")
    cases = {}
    for n in gen.walk(enum) if enum else []:
        if n.type == "enum_entry":
            m = re.match(r"case\s+(\w+)\((.*)\)", gen.text(n), re.S)
            if m:
                cases[m.group(1)] = set(re.findall(r"(\w+)\s*:", re.sub(r"/\*.*?\*/", "", m.group(2), flags=re.S)))
    for e in surface["errors"]:
        if e["name"] == "NovaBillingError":
            continue
        case = e["name"].removesuffix("Error")
        if case not in cases:
            out.append(f"NovaBillingError.{case} is missing (bindings/uniffi/src/error.rs)")
            continue
        for f in e["fields"]:
            field = ERROR_FIELD.get(f["name"], camel(f["name"]))
            if field not in cases[case]:
                out.append(f"NovaBillingError.{case} lacks {field}")
    info = gen.declaration("ErrorInfo", "struct")
    info_fields = {gen.text(n.child_by_field_name("name")) for n in gen.walk(info)} if info else set()
    out += [f"ErrorInfo lacks {f}" for f in ("className", "parentClassName", "isApi") if f not in info_fields]

    client = gen.declaration("NovaBillingClient", "class")
    inits = [gen.params(n) for n in gen.walk(client) if n.type == "init_declaration"] if client else []
    settings = max(inits, key=len, default=[])
    out += [f"NovaBillingClient.init lacks {camel(o['name'])}:" for o in surface["client_options"] if camel(o["name"]) not in settings]

    for f in surface.get("functions", []):
        where = f"{f['namespace'].capitalize()}.{camel(f['name'])}"
        path = SOURCES / f"{f['namespace'].capitalize()}.swift"
        src = Source(path) if path.exists() else None
        ns = src.declaration(f["namespace"].capitalize(), "enum") if src else None
        if src is None or ns is None:
            out.append(f"enum {f['namespace'].capitalize()} is missing (swift/Sources/NovaBilling/{f['namespace'].capitalize()}.swift)")
            continue
        want = [camel(p["name"]) for p in f["params"]]
        found = [src.params(n) for n in src.walk(ns) if n.type == "function_declaration" and src.text(n.child_by_field_name("name")) == camel(f["name"])]
        if want not in found:
            out.append(f"{where} should take ({', '.join(want)}), has {found or 'no declaration'}")

    conveniences = (SOURCES / "Conveniences.swift").read_text()
    out += [f"Conveniences.swift lacks `var {p}`" for p in ("isApiError", "parentClassName", "retryAfter") if f"var {p}" not in conveniences]
    return out


if __name__ == "__main__":
    found = problems()
    for p in found:
        print(f"swift surface: {p}", file=sys.stderr)
    print(f"swift surface: {'%d problems' % len(found) if found else 'matches tests/surface.json'}")
    sys.exit(1 if found else 0)
