"""The size budget of what ships (issue: packages that install where users
are): each native library at most 4 MiB uncompressed (the uniffi library 4.5),
the wheel at most 2 MiB.
Fails naming what grew, so a dependency that bloats a mobile app's download
is caught where it lands.

    python3 scripts/sizes.py --wheel W.whl --lib a.so --lib b.so
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

MIB = 1024 * 1024
LIB_BUDGET = 4 * MIB
WHEEL_BUDGET = 2 * MIB
# The uniffi library carries the same core as the Node module plus uniffi's
# scaffolding, which grows with each export: every async export's future is
# inlined into its own async_compat poll (114 KiB over 58 of them at 4.05 MiB,
# 2026-12-06), and the error enum's reader and writer are 23 KiB. It went
# 3.79 -> 3.90 MiB with webhooks and -> 4.05 MiB with keys; opt-level "z" took
# 10 KiB off. Half a MiB more than the others, so new surface still shows.
UNIFFI_BUDGET = 4.5 * MIB


def lib_budget(path: Path) -> float:
    return UNIFFI_BUDGET if "uniffi" in path.name else LIB_BUDGET


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", type=Path, required=True)
    ap.add_argument("--lib", type=Path, action="append", default=[])
    a = ap.parse_args()
    sizes = {str(p.name): (p.stat().st_size, lib_budget(p)) for p in a.lib}
    with zipfile.ZipFile(a.wheel) as z:
        for info in z.infolist():
            if info.filename.endswith(".so"):
                sizes[f"{a.wheel.name}!{info.filename}"] = (info.file_size, LIB_BUDGET)
    sizes[a.wheel.name] = (a.wheel.stat().st_size, WHEEL_BUDGET)
    for name, (size, budget) in sizes.items():
        print(f"  {name:<72} {size / MIB:6.2f} MiB (budget {budget / MIB:g})")
    over = [f"{name}: {size / MIB:.2f} MiB, over its {budget / MIB:g} MiB budget" for name, (size, budget) in sizes.items() if size > budget]
    print("\n".join(over) or "sizes: every shipped file is within its budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
