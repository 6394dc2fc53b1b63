"""The benchmark harness: runs every measurement and writes BENCHMARKS.md and
PNG plots. Start it through scripts/bench.sh, which builds what it needs.

    python bench/run.py [--smoke] [--profile release|dev] [--pg-url URL]
                        [--out BENCHMARKS.md] [--plots bench/plots]
                        [--sections client,startup,server,webhooks,soak]
                        [--soak-calls N]

Client overhead: every client (the SDK in Rust, Python, Node and Kotlin, and
the baselines httpx, requests and Node's fetch) calls a fixed-response server
(bench-fixture); the server is pinned to one CPU, the client to the other.
Each client process reports wall and process CPU per run; the tables show the
median of the runs. Server throughput: wrk on loopback against the real
server on SQLite and PostgreSQL, load generator and server sharing both CPUs.
Webhooks: the same server delivering customer.created to a receiver on
loopback (bench-webhooks): commit-to-delivery latency at a steady pace, and
events delivered per second in a burst. Soak: each binding (Rust, Python
sync and async, Node, Kotlin) makes --soak-calls sequential gets (1,000,000)
against bench-fixture in one process, sampling its RSS, file descriptors and
threads (and Node's and the JVM's heap used) every tenth of them; memory must
stay flat within 1 MB after warm-up, descriptors and threads flat, or the run
exits 1 (harness/soak.py). `--sections soak` alone replaces only the Soak part
of the report there is and leaves the rest as it was.

--smoke runs every path with tiny counts (CI); its figures mean nothing, and
the soak judges descriptors and threads but not memory.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from harness.clients import client_section
from harness.goals import goals
from harness.plots import draw
from harness.report import splice_soak, write_report
from harness.results import Report
from harness.server import server_section
from harness.settings import ROOT, SECTIONS, Settings, log
from harness.soak import soak_failed, soak_section
from harness.startup import startup_section
from harness.webhooks import webhooks_section

RUNS = {"client": client_section, "startup": startup_section, "server": server_section, "webhooks": webhooks_section,
        "soak": soak_section}


def settings(argv: list[str] | None = None) -> Settings:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--profile", choices=["release", "dev"], default="release")
    ap.add_argument("--pg-url")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--plots", type=Path)
    ap.add_argument("--sections", default=",".join(SECTIONS))
    ap.add_argument("--soak-calls", type=int, help="calls per binding in the soak (1,000,000; smoke 2,000)")
    a = ap.parse_args(argv)
    # Smoke figures mean nothing, so they never overwrite the committed report and plots.
    smoke_dir = ROOT / "target" / "bench-smoke"
    s = Settings(
        smoke=a.smoke,
        profile=a.profile,
        pg_url=a.pg_url,
        out=a.out or (smoke_dir / "BENCHMARKS.md" if a.smoke else ROOT / "BENCHMARKS.md"),
        plots=a.plots or (smoke_dir / "plots" if a.smoke else ROOT / "bench" / "plots"),
        sections=set(a.sections.split(",")),
    )
    if s.smoke:
        s.shrink()
    if a.soak_calls is not None:
        if a.soak_calls < 10:
            ap.error("--soak-calls must be at least 10: a sample every tenth of them")
        s.soak_calls = a.soak_calls
    unknown = s.sections - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections {sorted(unknown)}")
    return s


def main() -> None:
    s = settings()
    start = time.perf_counter()
    report = Report()
    for name in SECTIONS:
        if name in s.sections:
            RUNS[name](s, report)
    if s.sections == {"soak"} and s.out.exists():
        splice_soak(s, report)
        log(f"replaced the Soak part of {s.out}")
    else:
        plots = draw(s, report)
        write_report(s, report, plots, time.perf_counter() - start)
        log(f"wrote {s.out} and {len(plots)} plots in {s.plots}")
        for g in goals(report):
            log(" | ".join(g))
    if soak_failed(report):
        log("the soak failed: " + "; ".join(f"{x['client']}: {', '.join(x['problems'])}" for x in report.soak if not x["ok"]))
        sys.exit(1)


if __name__ == "__main__":
    main()
