"""BENCHMARKS.md: the goals, then a part per section that ran, then the plots."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from .goals import goals
from .results import Report, cpu_ratio, ratio, rss_growth
from .settings import OPS, ROOT, Settings
from .soak import SOAK_SLACK_KB

SHIPPED = ROOT / "bench" / "shipped.md"

PAIRS = [
    ("novabilling-sync", "pyreqwest-sync"),
    ("novabilling-sync", "httpx-sync"),
    ("novabilling-sync", "requests"),
    ("novabilling-sync", "stripe"),
    ("novabilling-async", "pyreqwest-async"),
    ("novabilling-async", "aiohttp"),
    ("novabilling-async", "httpx-async"),
    ("novabilling-node", "undici"),
    ("novabilling-node", "node-fetch"),
    ("novabilling-node", "stripe-node"),
]

# CPU per sequential call, ours / the other: the Rust core's own loop is the floor.
CPU_PAIRS = [
    ("novabilling-sync", "novabilling-rust"),
    ("novabilling-sync", "pyreqwest-sync"),
    ("novabilling-async", "pyreqwest-async"),
    ("novabilling-node", "undici"),
]


def fmt(v: float, digits: int = 0) -> str:
    return f"{v:,.{digits}f}"


def latency(x: dict[str, Any]) -> list[str]:
    return [f"{x['p50_us'] / 1e3:.2f}", f"{x['p99_us'] / 1e3:.2f}"]


def table(head: list[str], rows: Iterator[list[str]] | list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def by_level(levels: list[int]) -> list[str]:
    """Column heads for a figure per operation and concurrency, in the order client_rows fills them."""
    return [f"{op} ×{c}" for op in OPS for c in levels]


def client_rows(r: Report, cell: Callable[[str, str, Any], str], columns: Any, with_lang: bool = False) -> list[list[str]]:
    """A row per client: its name (and language), then `cell` for each operation and column; "-" where not measured."""

    def safe(name: str, op: str, col: Any) -> str:
        try:
            return cell(name, op, col)
        except KeyError:
            return "-"

    return [
        [name if ours else f"{name} (baseline)"] + ([lang] if with_lang else [])
        + [safe(name, op, col) for op in OPS for col in columns]
        for name, lang, ours in r.clients
    ]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}"


def client_part(s: Settings, r: Report) -> list[str]:
    f, levels = r.figures, r.levels
    return [
        "## Client overhead",
        "",
        f"Each client calls a fixed-response server (`bench-fixture`, pinned to CPU 1; the client is pinned to CPU 0). "
        f"Per call: {s.calls:,} sequential calls; throughput: {s.conc_calls:,} calls with that many in flight. "
        f"Median of {s.reps} runs. CPU is the client process's, every thread. "
        "Every client sends, checks the status and decodes the customer from JSON; sync Python clients reach "
        "concurrency with one thread per call in flight, async ones with tasks on one event loop; Node and "
        "Kotlin with that many async loops on one thread.",
        "",
        "### Per call, sequential",
        "",
        table(
            ["client", "language", "get CPU (µs)", "get wall (µs)", "create CPU (µs)", "create wall (µs)"],
            client_rows(r, lambda name, op, a: fmt(getattr(f[(name, op, 1)], a)), ("cpu_us", "wall_us"), with_lang=True),
        ),
        "",
        "### Throughput (calls/s)",
        "",
        table(["client"] + by_level(levels), client_rows(r, lambda name, op, c: fmt(f[(name, op, c)].per_s), levels)),
        "",
        "### Ratios, same run (throughput of ours / baseline)",
        "",
        table(
            ["pair"] + by_level(levels),
            [
                [f"{a} / {b}"] + [
                    (lambda x: f"{x:.1f}x" if x else "-")(ratio(f.get((a, op, c)), f.get((b, op, c))))
                    for op in OPS for c in levels
                ]
                for a, b in PAIRS
            ],
        ),
        "",
        "### CPU per sequential call, same run (ours / the other)",
        "",
        table(
            ["pair", "get", "create"],
            [
                [f"{a} / {b}"] + [
                    (lambda x: f"{x:.2f}x" if x else "-")(cpu_ratio(f.get((a, op, 1)), f.get((b, op, 1))))
                    for op in OPS
                ]
                for a, b in CPU_PAIRS
            ],
        ),
        "",
    ]


def rss_part(s: Settings, r: Report) -> list[str]:
    return [
        "### Memory over 100,000 calls" if not s.smoke else "### Memory",
        "",
        table(
            ["client", "RSS at start (kB)", "after 10% (kB)", "after 50% (kB)", "after 100% (kB)", "growth, second half"],
            [[c, fmt(v[0][1]), fmt(v[1][1]), fmt(v[len(v) // 2][1]), fmt(v[-1][1]), f"{rss_growth(v):+,d} kB"]
             for c, v in r.rss.items()],
        ),
        "",
    ]


def startup_part(s: Settings, r: Report) -> list[str]:
    return [
        "## Start-up and size",
        "",
        f"Median of {s.starts} fresh processes, timed inside the process around the import alone.",
        "",
        table(["", "ms"], [[k, f"{v:.1f}"] for k, v in r.startup.items()]),
        "",
        table(["artifact", "size"], [[k, f"{v / 1e6:.1f} MB"] for k, v in r.sizes.items()]),
        "",
    ]


def shipped_part() -> list[str]:
    """What scripts/package.sh ships, measured by hand: kept in bench/shipped.md, so a run does not lose it."""
    text = SHIPPED.read_text()
    return [text.split("-->", 1)[1].strip() if text.startswith("<!--") else text.strip(), ""]


def server_part(s: Settings, r: Report) -> list[str]:
    return [
        "## Server",
        "",
        f"`novabilling-server` ({s.profile}) with `wrk` on loopback, {s.wrk_seconds} s per row, both sharing the "
        "machine's CPUs; rate limit on (set high), access logs off (RUST_LOG=warn). Creates make a new customer each.",
        "",
        table(
            ["database", "load", "requests/s", "p50 (ms)", "p99 (ms)"],
            [[e, label, fmt(x["per_s"]), *latency(x)] for e, label, x in r.server],
        ),
        "",
        "### List and search as the tenant grows",
        "",
        f"One connection, {s.latency_seconds} s per row, a page of 20 with its total; terms rotate. The deep page is asked "
        "for as the SDKs' auto-paging asks (`page` and `startingAfter`, the last customer of the page before) and, beside "
        "it, by its number alone (an offset; no goal). Customers are seeded "
        "through the SDK's Stripe import (1,000 per call, 4 calls in flight): "
        + ", ".join(f"{e} {n:,} in {t:.0f} s" for e, n, t in r.seed_times) + ". After each seed on PostgreSQL the "
        "harness runs `VACUUM (ANALYZE) customers`, what autovacuum would do next, so the probes time a settled "
        "tenant rather than one autovacuum is still working through. PostgreSQL is the private cluster of "
        "`scripts/pg.sh`: `shared_buffers` 1 GB, durability off (`fsync`, `synchronous_commit`).",
        "",
        table(
            ["database", "customers", "query", "p50 (ms)", "p99 (ms)", "requests/s"],
            [[e, fmt(n), label, *latency(x), fmt(x["per_s"])] for e, n, label, x in r.search],
        ),
        "",
    ]


def webhooks_part(s: Settings, r: Report) -> list[str]:
    lat = r.webhooks[0][1]
    thr = r.webhooks[0][2]
    return [
        "## Webhooks",
        "",
        f"`novabilling-server` ({s.profile}, default delivery settings: 16 in flight, 500 ms poll) delivering "
        "`customer.created` to a receiver on loopback (`bench-webhooks`, axum), which answers 204; the receiver, the "
        "load and the server share the machine's CPUs. Latency: "
        f"{lat['events']:,} creates sent at {lat['rate']} a second, one each, not waiting for the last; per event, from "
        "sending the create (whose transaction writes the event) to the receiver holding the delivery, so it includes "
        "the create call itself (its p50 beside). Throughput: "
        f"{thr['events']:,} creates with {thr['concurrency']} in flight; events delivered per second from the first "
        "create sent to the last delivery received; beside it, the same creates before the endpoint was subscribed.",
        "",
        table(
            ["database", "create to delivery p50 (ms)", "p99 (ms)", "max (ms)", "create call p50 (ms)"],
            [[e, *latency(x), f"{x['max_us'] / 1e3:.2f}", f"{x['create_p50_us'] / 1e3:.2f}"] for e, x, _ in r.webhooks],
        ),
        "",
        table(
            ["database", "events delivered/s", "creates/s meanwhile", "creates/s, no endpoint subscribed",
             "last delivery after last create (ms)"],
            [[e, fmt(x["delivered_per_s"]), fmt(x["created_per_s"]), fmt(x["created_per_s_unsubscribed"]),
              fmt(x["lag_after_last_create_ms"])]
             for e, _, x in r.webhooks],
        ),
        "",
    ]


def soak_part(s: Settings, r: Report) -> list[str]:
    def kb(x: dict[str, Any], key: str) -> str:
        return fmt(x[key]) if key in x else "-"

    def growth(x: dict[str, Any], key: str) -> str:
        return f"{x[key]:+,d} kB" if key in x else "-"

    def span(x: dict[str, Any], key: str) -> str:
        return "-" if key not in x else (str(x[key][0]) if x[key][0] == x[key][1] else f"{x[key][0]} to {x[key][1]}")

    def verdict(x: dict[str, Any]) -> str:
        return "pass" if x["ok"] else "**fail**: " + "; ".join(x["problems"])

    warm = next((x["warm_calls"] for x in r.soak if "warm_calls" in x), 0)
    calls = max((x["calls"] for x in r.soak), default=0)
    return [
        "## Soak",
        "",
        f"Run on {time.strftime('%Y-%m-%d')} ({s.profile} builds, {r.soak_seconds / 60:.0f} min; rerun alone: "
        "`scripts/bench.sh --sections soak`, which leaves the rest of this file as it is). "
        f"Each binding makes {calls:,} sequential gets against `bench-fixture` in one process, after its warm-up calls, "
        f"and samples itself every {calls // 10:,}: RSS, open file descriptors and threads from `/proc/self`, each "
        "after a full collection (Python `gc.collect()`, V8 `gc()`, `System.gc()`). The first samples are warm-up: "
        f"memory is judged from the sample at {warm:,} calls to the last, and must never rise more than "
        f"{SOAK_SLACK_KB // 1024} MB above the warm-up sample; Rust and Python by RSS, Node by V8's `heapUsed` and "
        "Kotlin by the JVM's heap used after `System.gc()` (the heap pools' usage after that collection, on a fixed "
        "128 MB heap), their RSS shown beside "
        "and not judged. File descriptors and threads are shown over every sample (min to max) and judged from the "
        "warm-up sample on: no later sample may have more. "
        "calls/s counts the calls alone, not the sampling."
        + (" **Smoke run**: memory is not judged." if s.smoke else ""),
        "",
        table(
            ["binding", "calls", f"RSS at {warm:,} (kB)", "RSS at end (kB)", "RSS growth", "heap used at warm-up (kB)",
             "heap used growth", "fds", "threads", "calls/s", "verdict"],
            [[x["client"], fmt(x["calls"]), kb(x, "rss_warm"), kb(x, "rss_end"), growth(x, "rss_growth"), kb(x, "heap_warm"),
              growth(x, "heap_growth"), span(x, "fds"), span(x, "threads"), fmt(x["per_s"]) if "per_s" in x else "-",
              verdict(x)] for x in r.soak],
        ),
        "",
        "Every sample (RSS, and heap used where judged by it, in kB):",
        "",
        table(
            ["binding"] + [fmt(c) for c in range(0, calls + 1, max(1, calls // 10))],
            [[x["client"] + (" heap" if h else "")] + [fmt(y["heap_kb" if h else "rss_kb"]) for y in x.get("samples", [])]
             for x in r.soak for h in ((False, True) if "heap_warm" in x else (False,))],
        ),
        "",
    ]


def section(lines: list[str], heading: str) -> tuple[int, int] | None:
    """Where the part under `## heading` starts and ends in the report's lines."""
    heads = [i for i, l in enumerate(lines) if l.startswith("## ")]
    at = next((i for i in heads if lines[i] == f"## {heading}"), None)
    return None if at is None else (at, next((i for i in heads if i > at), len(lines)))


def splice_soak(s: Settings, r: Report) -> None:
    """A run of the soak alone: replaces the Soak part of the report there is (or adds it before the plots), and
    leaves every other part as the last full run wrote it."""
    lines = s.out.read_text().split("\n")
    span = section(lines, "Soak")
    if span is None:
        plots = section(lines, "Plots")
        at = plots[0] if plots else len(lines)
        span = (at, at)
    at, end = span
    s.out.write_text("\n".join(lines[:at] + soak_part(s, r) + lines[end:]))


def kept_soak_part(text: str) -> list[str]:
    """The Soak part of the report there is, for a run that left the soak out (it says its own date)."""
    lines = text.split("\n")
    span = section(lines, "Soak")
    return lines[span[0]:span[1]] if span else []


def write_report(s: Settings, r: Report, plots: list[str], seconds: float) -> None:
    md = [
        "# Benchmarks",
        "",
        f"Written by `scripts/bench.sh` on {time.strftime('%Y-%m-%d')} ({s.profile} builds, {seconds / 60:.0f} min). "
        f"Machine: {machine()}. The machine is shared and noisy: compare figures of one run, "
        "not across runs. Rerun: `bash scripts/bench.sh`.",
        "",
    ]
    if s.smoke:
        md += ["**Smoke run**: tiny counts on debug builds, to prove the harness works. The figures mean nothing.", ""]
    md += ["## Goals", "", table(["goal", "measured", ""], [list(g) for g in goals(r)]), ""]
    for part, measured in ((client_part, r.figures), (rss_part, r.rss), (startup_part, r.startup), (server_part, r.server),
                           (webhooks_part, r.webhooks)):
        if measured:
            md += part(s, r)
        if part is startup_part and not s.smoke:
            md += shipped_part()
    if r.soak:
        md += soak_part(s, r)
    elif "soak" not in s.sections and s.out.exists():
        md += kept_soak_part(s.out.read_text())
    if plots:
        md += ["## Plots", ""] + [f"![{Path(p).stem}]({os.path.relpath(p, s.out.parent)})" for p in plots] + [""]
    s.out.parent.mkdir(parents=True, exist_ok=True)
    s.out.write_text("\n".join(md))
