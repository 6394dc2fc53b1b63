"""What a run measures and with what counts, where it finds the builds, and its progress lines."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENTS_DIR = ROOT / "bench" / "clients"
TRIPLE = "x86_64-unknown-linux-gnu"
SECTIONS = ("client", "startup", "server", "webhooks", "soak")
OPS = ("get", "create")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


@dataclass
class Settings:
    smoke: bool
    profile: str
    pg_url: str | None
    out: Path
    plots: Path
    sections: set[str]
    # Client runs.
    calls: int = 2000
    conc_calls: int = 4000
    levels: tuple[int, ...] = (50, 200)
    reps: int = 5
    warmup: int = 500
    rss_calls: int = 100_000
    # Start-up.
    starts: int = 30
    # Server.
    wrk_seconds: int = 10
    sizes: tuple[int, ...] = (10_000, 1_000_000)
    latency_seconds: int = 5
    # Webhooks: paced creates for latency, a burst for throughput.
    hook_latency_events: int = 2000
    hook_rate: int = 200
    hook_events: int = 10_000
    hook_concurrency: int = 32
    # Soak: sequential gets per binding in one process, sampled every tenth of them.
    soak_calls: int = 1_000_000

    @property
    def target(self) -> Path:
        return ROOT / "target" / TRIPLE / ("release" if self.profile == "release" else "debug")

    def shrink(self) -> None:
        self.calls, self.conc_calls, self.levels, self.reps = 40, 80, (4,), 1
        self.warmup, self.rss_calls, self.starts = 10, 1000, 3
        self.wrk_seconds, self.sizes, self.latency_seconds = 1, (300, 1200), 1
        self.hook_latency_events, self.hook_events, self.hook_concurrency = 40, 200, 4
        self.soak_calls = 2000
