"""The issue's goals: each threshold, and the verdict on a run's figures."""

from __future__ import annotations

from typing import Any, Callable

from .results import Report, ms, ratio, rss_growth
from .settings import OPS

GOALS = {
    "py_cpu_ms": 0.1,  # Python client CPU per call, at most (ms)
    "py_async_vs_httpx_200": 20.0,  # novabilling async / httpx async throughput at 200-way, at least
    "node_vs_fetch": 1.5,  # novabilling / fetch throughput, at least
    "import_ms": 10.0,
    "require_ms": 20.0,
    "get_p50_ms": 0.5,
    "gets_per_s": 10_000,
    "creates_per_s": 2_000,
    "search_1m_p50_ms": 20.0,
}

# Allocators and JITs move RSS by a few kB on their own; a leak over the second half of the calls shows as more.
RSS_SLACK_KB = 1024


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def goals(r: Report) -> list[tuple[str, str, str]]:
    """A row per goal: what it asks, the figure measured and whether it is met."""
    f = r.figures
    rows: list[tuple[str, str, str]] = []

    def add(goal: str, value: float | None, shown: Callable[[float], str], ok: Callable[[float], bool]) -> None:
        rows.append((goal, "not measured" if value is None else shown(value), verdict(None if value is None else ok(value))))

    def sqlite(load: str) -> dict[str, Any] | None:
        return r.server_by_load.get(("SQLite", load))

    cpu = [f[(c, op, 1)].cpu_us / 1e3 for c in ("novabilling-sync", "novabilling-async") for op in OPS if (c, op, 1) in f]
    add("Python client CPU per call <= 0.1 ms (worst of sync/async, get/create)", max(cpu) if cpu else None,
        lambda v: f"{v:.3f} ms", lambda v: v <= GOALS["py_cpu_ms"])
    top = max(r.levels, default=0)
    for op in OPS:
        add(f"Python async >= 20x httpx async at {top}-way ({op})",
            ratio(f.get(("novabilling-async", op, top)), f.get(("httpx-async", op, top))),
            lambda v: f"{v:.1f}x", lambda v: v >= GOALS["py_async_vs_httpx_200"])
    for c in r.levels:
        add(f"Node >= 1.5x global fetch at {c}-way (get)", ratio(f.get(("novabilling-node", "get", c)), f.get(("node-fetch", "get", c))),
            lambda v: f"{v:.1f}x", lambda v: v >= GOALS["node_vs_fetch"])
    add("import novabilling <= 10 ms", r.startup.get("import novabilling"), lambda v: f"{v:.1f} ms", lambda v: v <= GOALS["import_ms"])
    add("require('novabilling') <= 20 ms", r.startup.get("require('novabilling')"), lambda v: f"{v:.1f} ms",
        lambda v: v <= GOALS["require_ms"])
    for client, samples in r.rss.items():
        growth = rss_growth(samples)
        rows.append((f"flat RSS: {client}, over the second half of the calls", f"{growth:+,d} kB", verdict(growth <= RSS_SLACK_KB)))
    add("SQLite: get p50 <= 0.5 ms (1 connection)", ms(sqlite("get, 1 connection"), "p50_us"),
        lambda v: f"{v:.2f} ms", lambda v: v <= GOALS["get_p50_ms"])
    add("SQLite: >= 10,000 gets/s (32 connections)", (sqlite("get, 32 connections") or {}).get("per_s"),
        lambda v: f"{v:,.0f}/s", lambda v: v >= GOALS["gets_per_s"])
    add("SQLite: >= 2,000 creates/s (32 connections)", (sqlite("create, 32 connections") or {}).get("per_s"),
        lambda v: f"{v:,.0f}/s", lambda v: v >= GOALS["creates_per_s"])
    big = max((size for _, size, _, _ in r.search), default=0)
    sr = next((x for e, size, label, x in r.search if e == "SQLite" and size == big and label.startswith("search a surname (")), None)
    add(f"SQLite: search over {big:,} customers p50 <= 20 ms", ms(sr, "p50_us"), lambda v: f"{v:.2f} ms",
        lambda v: v <= GOALS["search_1m_p50_ms"])
    return rows
