"""What the measurements found, as the sections fill it in and the report and plots read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Figure:
    """Medians over the runs of one client, operation and concurrency."""

    calls: int
    wall: float
    cpu: float

    @property
    def per_s(self) -> float:
        return self.calls / self.wall

    @property
    def cpu_us(self) -> float:
        return self.cpu / self.calls * 1e6

    @property
    def wall_us(self) -> float:
        return self.wall / self.calls * 1e6


@dataclass
class Report:
    clients: list[tuple[str, str, bool]] = field(default_factory=list)
    figures: dict[tuple[str, str, int], Figure] = field(default_factory=dict)
    rss: dict[str, list[list[int]]] = field(default_factory=dict)
    startup: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    server: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    search: list[tuple[str, int, str, dict[str, Any]]] = field(default_factory=list)
    seed_times: list[tuple[str, int, float]] = field(default_factory=list)
    # Per database: bench-webhooks' latency run and throughput run.
    webhooks: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    # Per binding: the soak's samples, figures and verdict (harness/soak.py).
    soak: list[dict[str, Any]] = field(default_factory=list)
    soak_seconds: float = 0.0

    @property
    def levels(self) -> list[int]:
        """The concurrencies measured, 1 (sequential) first."""
        return sorted({k[2] for k in self.figures})

    @property
    def server_by_load(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(e, label): x for e, label, x in self.server}


def ratio(a: Figure | None, b: Figure | None) -> float | None:
    return a.per_s / b.per_s if a and b else None


def cpu_ratio(a: Figure | None, b: Figure | None) -> float | None:
    return a.cpu_us / b.cpu_us if a and b else None


def ms(x: dict[str, Any] | None, key: str) -> float | None:
    return None if x is None else x[key] / 1e3


def rss_growth(samples: list[list[int]]) -> int:
    """kB gained over the second half of the calls, once caches and JITs are warm."""
    return samples[-1][1] - samples[len(samples) // 2][1]
