"""Every Swift file of the package (the generated NovaBilling.swift, the
hand-written sources, the tests, Package.swift) parses with tree-sitter-swift:
the one check of it this machine can make without a Swift toolchain. Catches
syntax slips, not type errors.

One construct is blanked before parsing: uniffi's `@_documentation(...)`, an
underscored compiler attribute the grammar does not know. It is replaced by
spaces of the same length, so every reported line and column stays true."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tree_sitter as ts
import tree_sitter_swift

ROOT = Path(__file__).resolve().parents[2]
UNKNOWN_TO_GRAMMAR = re.compile(rb"@_documentation\([^)]*\)")


def problems(path: Path) -> list[str]:
    src = UNKNOWN_TO_GRAMMAR.sub(lambda m: b" " * len(m.group(0)), path.read_bytes())
    tree = ts.Parser(ts.Language(tree_sitter_swift.language())).parse(src)
    out, stack = [], [tree.root_node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            line, col = n.start_point
            what = "missing " + n.type if n.is_missing else repr(src[n.start_byte : n.end_byte][:60].decode(errors="replace"))
            out.append(f"{path.relative_to(ROOT)}:{line + 1}:{col + 1}: cannot parse {what}")
        stack.extend(n.children)
    return out


def main() -> int:
    files = [p for p in sorted((ROOT / "swift").rglob("*.swift")) if ".build" not in p.parts]
    found = [msg for f in files for msg in problems(f)]
    print("\n".join(found) or f"swift syntax: {len(files)} files parse (generated and hand-written)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
