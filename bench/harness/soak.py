"""Soak: each binding makes s.soak_calls sequential gets against the fixed-response server in one process and
samples itself every tenth of them (its `soak` mode): RSS, open file descriptors and threads from /proc/self, and
for Node and the JVM their heap used, each after a full collection.

The first sample is taken after the client's warm-up calls; the samples before the one at 20% of the calls are
warm-up too. Verdict per binding, from that warm-up sample on: memory flat within 1 MB (no later sample more than
SOAK_SLACK_KB above it), and no later sample with more file descriptors or threads than it. Rust and Python are
judged by RSS, Node and the JVM by their heap used (their RSS is shown beside it, not judged: a JIT and a heap that
sizes itself move it on their own). Descriptors and threads are reported over every sample, as start-up work can
end inside the warm-up: the JVM's "process reaper" thread, left by JNA running `ldconfig -p` when it loads the
library, ends 60 s after. A smoke run judges descriptors, threads and that every sample came; its memory figures
mean nothing.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import deque
from typing import Any

from .clients import ClientRun, bench_env, client_runs
from .processes import Child, environ, pinned
from .results import Report
from .settings import ROOT, Settings, log

SOAKED = ("novabilling-rust", "novabilling-sync", "novabilling-async", "novabilling-node", "novabilling-kotlin")
# "Flat within 1 MB after warm-up".
SOAK_SLACK_KB = 1024
# The samples before this share of the calls are warm-up: caches filled, JITs done, allocators at their size.
WARM_SHARE = 0.2


def soak_env(s: Settings, url: str) -> dict[str, str]:
    return {**bench_env(s, url), "BENCH_SOAK_CALLS": str(s.soak_calls), "BENCH_SOAK_EVERY": str(every(s))}


def every(s: Settings) -> int:
    return max(1, s.soak_calls // 10)


def samples_of(run: ClientRun, env: dict[str, str]) -> list[dict[str, Any]]:
    """Runs the binding's soak mode, logging each sample as it comes; its samples in order."""
    cmd = pinned(0, [*run.cmd, "soak"])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ({**env, **run.env}),
                            cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    samples: list[dict[str, Any]] = []
    for line in proc.stdout:
        if not line.startswith("{"):
            continue
        x = json.loads(line)["soak"]
        samples.append(x)
        heap = f", heap used {x['heap_kb']:,} kB" if "heap_kb" in x else ""
        log(f"  {run.name}: {x['calls']:,} calls, RSS {x['rss_kb']:,} kB{heap}, {x['fds']} fds, {x['threads']} threads")
    err = deque(proc.stderr, maxlen=40)
    if proc.wait() != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{''.join(err)}")
    return samples


def judge(s: Settings, name: str, samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures the report shows for one binding, and whether it passed (with why not)."""
    want = [i * every(s) for i in range(s.soak_calls // every(s) + 1)]
    got = [x["calls"] for x in samples]
    problems = [] if got == want else [f"samples at {got}, not {want}"]
    out: dict[str, Any] = {"client": name, "calls": want[-1], "samples": samples}
    if not samples:
        return {**out, "ok": False, "problems": problems}
    warm_at = next((i for i, x in enumerate(samples) if x["calls"] >= WARM_SHARE * s.soak_calls), len(samples) - 1)
    warm, end, after = samples[warm_at], samples[-1], samples[warm_at:]
    seconds = end["seconds"] - samples[0]["seconds"]
    out.update(
        warm_calls=warm["calls"],
        rss_warm=warm["rss_kb"], rss_end=end["rss_kb"], rss_growth=end["rss_kb"] - warm["rss_kb"],
        rss_rise=max(x["rss_kb"] for x in after) - warm["rss_kb"],
        fds=(min(x["fds"] for x in samples), max(x["fds"] for x in samples)),
        threads=(min(x["threads"] for x in samples), max(x["threads"] for x in samples)),
        per_s=(end["calls"] - samples[0]["calls"]) / seconds if seconds > 0 else 0.0,
    )
    judged = "rss"
    if "heap_kb" in warm:
        judged = "heap"
        out.update(heap_warm=warm["heap_kb"], heap_end=end["heap_kb"], heap_growth=end["heap_kb"] - warm["heap_kb"],
                   heap_rise=max(x["heap_kb"] for x in after) - warm["heap_kb"])
    out["judged"] = judged
    for what in ("fds", "threads"):
        top = max(x[what] for x in after)
        if top > warm[what]:
            problems.append(f"{what} rose after warm-up: {warm[what]} at {warm['calls']:,} calls, {top} later")
    if not s.smoke and out[f"{judged}_rise"] > SOAK_SLACK_KB:
        problems.append(f"{'heap used' if judged == 'heap' else 'RSS'} rose {out[f'{judged}_rise']:,} kB after warm-up "
                        f"(at most {SOAK_SLACK_KB:,})")
    return {**out, "ok": not problems, "problems": problems}


def soak_section(s: Settings, report: Report) -> None:
    start = time.perf_counter()
    runs = {r.name: r for r in client_runs(s)}
    fixture = Child(pinned(1, [str(s.target / "bench-fixture")]))
    try:
        env = soak_env(s, fixture.url)
        for name in SOAKED:
            if name not in runs:
                report.soak.append({"client": name, "calls": s.soak_calls, "ok": False, "problems": ["not built, not run"]})
                continue
            log(f"soak: {name}, {s.soak_calls:,} gets, a sample every {every(s):,}")
            report.soak.append(judge(s, name, samples_of(runs[name], env)))
    finally:
        fixture.stop()
    report.soak_seconds = time.perf_counter() - start
    for x in report.soak:
        log(f"soak {x['client']}: {'pass' if x['ok'] else 'FAIL: ' + '; '.join(x['problems'])}")


def soak_failed(report: Report) -> bool:
    return any(not x["ok"] for x in report.soak)
