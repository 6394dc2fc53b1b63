"""Client overhead: each client's command, and its runs against the fixed-response server."""

from __future__ import annotations

import shutil
import statistics
import sys
from dataclasses import dataclass, field
from typing import Any

from .processes import Child, json_lines, pinned
from .results import Figure, Report
from .settings import CLIENTS_DIR, ROOT, Settings, log


@dataclass
class ClientRun:
    name: str
    lang: str
    cmd: list[str]
    env: dict[str, str] = field(default_factory=dict)
    ours: bool = True


def client_runs(s: Settings) -> list[ClientRun]:
    py, node = sys.executable, shutil.which("node") or "node"
    pyb, nodeb = str(CLIENTS_DIR / "python_bench.py"), str(CLIENTS_DIR / "node_bench.mjs")
    node_env = {"BENCH_NODE_PACKAGE": str(ROOT / "node")}
    runs = [
        ClientRun("novabilling-rust", "Rust", [str(s.target / "bench-client")]),
        ClientRun("novabilling-sync", "Python", [py, pyb, "novabilling-sync"]),
        ClientRun("novabilling-async", "Python", [py, pyb, "novabilling-async"]),
        *(ClientRun(name, "Python", [py, pyb, name], ours=False)
          for name in ("pyreqwest-sync", "pyreqwest-async", "httpx-sync", "httpx-async", "aiohttp", "requests", "stripe")),
        ClientRun("novabilling-node", "Node", [node, nodeb, "novabilling"], node_env),
        *(ClientRun(name, "Node", [node, nodeb, arg], node_env, ours=False)
          for name, arg in (("node-fetch", "fetch"), ("undici", "undici"), ("stripe-node", "stripe"))),
    ]
    classpath = kotlin_classpath()
    if classpath:
        java = ["java", "-cp", classpath, f"-Djna.library.path={s.target}", "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch"]
        runs.append(ClientRun("novabilling-kotlin", "Kotlin", [*java, "dev.novabilling.bench.ClientBenchKt"]))
    else:
        log("Kotlin skipped: run scripts/kotlin.sh build first")
    return runs


def kotlin_classpath() -> str | None:
    deps = ROOT / "kotlin" / "target" / "classpath.txt"
    classes = ROOT / "kotlin" / "target" / "test-classes" / "dev" / "novabilling" / "bench"
    if not deps.exists() or not classes.exists():
        return None
    return ":".join([deps.read_text().strip(), str(ROOT / "kotlin/target/classes"), str(ROOT / "kotlin/target/test-classes")])


def bench_env(s: Settings, url: str) -> dict[str, str]:
    return {
        "BENCH_URL": url,
        "BENCH_CALLS": str(s.calls),
        "BENCH_CONC_CALLS": str(s.conc_calls),
        "BENCH_CONCURRENCY": ",".join(map(str, s.levels)),
        "BENCH_REPS": str(s.reps),
        "BENCH_WARMUP": str(s.warmup),
        "BENCH_RSS_CALLS": str(s.rss_calls),
    }


def medians(rows: list[dict[str, Any]]) -> dict[tuple[str, str, int], Figure]:
    groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["client"], r["op"], r["concurrency"]), []).append(r)
    return {
        k: Figure(v[0]["calls"], statistics.median(r["wall"] for r in v), statistics.median(r["cpu"] for r in v))
        for k, v in groups.items()
    }


def client_section(s: Settings, report: Report) -> None:
    fixture = Child(pinned(1, [str(s.target / "bench-fixture")]))
    try:
        env = bench_env(s, fixture.url)
        runs = client_runs(s)
        rows: list[dict[str, Any]] = []
        for run in runs:
            log(f"client {run.name}")
            rows += json_lines(pinned(0, run.cmd), {**env, **run.env})
        rss = []
        for run in runs:
            if run.ours:
                log(f"RSS of {run.name} over {s.rss_calls} calls")
                rss += json_lines(pinned(0, [*run.cmd, "rss"]), {**env, **run.env})
    finally:
        fixture.stop()
    report.clients = [(r.name, r.lang, r.ours) for r in runs]
    report.figures = medians(rows)
    report.rss = {r["client"]: r["rss"] for r in rss}
