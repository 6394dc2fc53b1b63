"""Start-up and size: import and require times in fresh processes, and the size of what ships."""

from __future__ import annotations

import json
import statistics
import sys

from .processes import output
from .results import Report
from .settings import ROOT, Settings, log

PY_IMPORT = "import time; t = time.perf_counter(); import {m}; print((time.perf_counter() - t) * 1e3)"
NODE_REQUIRE = "const t = process.hrtime.bigint(); require({m}); console.log(Number(process.hrtime.bigint() - t) / 1e6)"
NODE_CLIENT = (
    "const t = process.hrtime.bigint(); const {{ NovaBillingClient }} = require({m}); "
    "new NovaBillingClient({{ token: 'sk_test_x', baseUrl: 'http://127.0.0.1:9' }}); "
    "console.log(Number(process.hrtime.bigint() - t) / 1e6)"
)


def timed_runs(cmd: list[str], n: int) -> float:
    """Median of what the command prints (milliseconds), each in a fresh process."""
    return statistics.median(float(output(cmd).strip().splitlines()[-1]) for _ in range(n))


def startup_section(s: Settings, report: Report) -> None:
    log("import and require times")
    report.startup = {
        f"import {m}": timed_runs([sys.executable, "-c", PY_IMPORT.format(m=m)], s.starts)
        for m in ("novabilling", "pyreqwest", "httpx", "aiohttp", "requests", "stripe")
    }
    node = str(ROOT / "node")
    report.startup["require('novabilling')"] = timed_runs(["node", "-e", NODE_REQUIRE.format(m=json.dumps(node))], s.starts)
    report.startup["require('novabilling') + new NovaBillingClient()"] = timed_runs(
        ["node", "-e", NODE_CLIENT.format(m=json.dumps(node))], s.starts
    )
    baselines = ROOT / "bench" / "clients" / "node_modules"
    for m in ("undici", "stripe"):
        report.startup[f"require('{m}')"] = timed_runs(["node", "-e", NODE_REQUIRE.format(m=json.dumps(str(baselines / m)))], s.starts)
    wheels = sorted((ROOT / "target" / "wheels").glob("novabilling-*.whl"))
    sizes = {
        "Python wheel": wheels[-1] if wheels else None,
        "Node native module (novabilling.node)": ROOT / "node" / "novabilling.node",
        "Kotlin/Swift native library (libnovabilling_uniffi.so)": s.target / "libnovabilling_uniffi.so",
        "server binary": s.target / "novabilling-server",
    }
    # What ships, when scripts/package.sh has built it (profile dist, zig, glibc 2.17).
    packages, dist = ROOT / "target" / "packages", ROOT / "target" / "dist" / "x86_64-unknown-linux-gnu" / "dist"
    shipped = {
        "shipped: Python wheel": sorted((packages / "python").glob("novabilling-*.whl")),
        "shipped: npm platform package (.tgz)": sorted((packages / "node").glob("novabilling-linux-x64-gnu-*.tgz")),
        "shipped: jar with its native library": sorted((packages / "kotlin").glob("novabilling-*.jar")),
        "shipped: Node native module (unpacked)": [dist / "libnovabilling_node.so"],
        "shipped: libnovabilling_uniffi.so (unpacked)": [dist / "libnovabilling_uniffi.so"],
    }
    sizes.update({k: v[-1] for k, v in shipped.items() if v})
    report.sizes = {k: p.stat().st_size for k, p in sizes.items() if p and p.exists()}
