"""Webhook delivery: the real server delivering `customer.created` to a receiver on loopback (bench-webhooks)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .processes import json_lines
from .results import Report
from .server import engines, fresh_pg_database, start_server
from .settings import ROOT, Settings, log


def webhooks_section(s: Settings, report: Report) -> None:
    for engine, pg in engines(s):
        with tempfile.TemporaryDirectory(dir=ROOT / "target", prefix="bench-hooks-") as tmp:
            database = fresh_pg_database(pg) if pg else f"sqlite://{tmp}/bench.db"
            # Default delivery settings; loopback is refused unless allowed.
            server, key = start_server(s, Path(tmp), database, "--webhook-allow-host", "127.0.0.1")
            try:
                log(f"{engine}: webhook deliveries ({s.hook_latency_events} paced, {s.hook_events} in a burst)")
                runs = {r["run"]: r for r in json_lines([str(s.target / "bench-webhooks")], {
                    "BENCH_URL": server.url, "BENCH_KEY": key,
                    "BENCH_LATENCY_EVENTS": str(s.hook_latency_events), "BENCH_RATE": str(s.hook_rate),
                    "BENCH_THROUGHPUT_EVENTS": str(s.hook_events), "BENCH_CONCURRENCY": str(s.hook_concurrency),
                })}
                report.webhooks.append((engine, runs["latency"], runs["throughput"]))
            finally:
                server.stop()
