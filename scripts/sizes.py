"""The size budget of what ships (issue: packages that install where users
are): each native library at most 4 MiB uncompressed, the wheel at most 2 MiB.
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", type=Path, required=True)
    ap.add_argument("--lib", type=Path, action="append", default=[])
    a = ap.parse_args()
    sizes = {str(p.name): (p.stat().st_size, LIB_BUDGET) for p in a.lib}
    with zipfile.ZipFile(a.wheel) as z:
        for info in z.infolist():
            if info.filename.endswith(".so"):
                sizes[f"{a.wheel.name}!{info.filename}"] = (info.file_size, LIB_BUDGET)
    sizes[a.wheel.name] = (a.wheel.stat().st_size, WHEEL_BUDGET)
    for name, (size, budget) in sizes.items():
        print(f"  {name:<72} {size / MIB:6.2f} MiB (budget {budget / MIB:.0f})")
    over = [f"{name}: {size / MIB:.2f} MiB, over its {budget / MIB:.0f} MiB budget" for name, (size, budget) in sizes.items() if size > budget]
    print("\n".join(over) or "sizes: every shipped file is within its budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
