"""The PNG plots next to BENCHMARKS.md, one per kind of figure measured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .goals import GOALS
from .results import Report
from .settings import OPS, Settings


def draw(s: Settings, r: Report) -> list[str]:
    """Draws what the run measured; returns the paths written, in the order the report shows them."""
    # Imported here so that --help and the measurements need no matplotlib; Agg, as there is no display.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s.plots.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    if r.figures:
        out.append(client_throughput(r, s.plots / "client_throughput.png"))
        out.append(client_cpu(r, s.plots / "client_cpu.png"))
    if r.rss:
        out.append(client_rss(r, s.plots / "client_rss.png"))
    if r.server:
        out.append(server(r, s.plots / "server.png"))
    if r.search:
        out.append(search(r, s.plots / "search.png"))
    plt.close("all")
    return out


def slots(n: int, j: int, width: float) -> list[float]:
    """Where series j of a grouped bar chart stands in each of n groups."""
    return [i + j * width for i in range(n)]


def ticks(ax: Any, labels: list[str], offset: float, rotation: int) -> None:
    ax.set_xticks([i + offset for i in range(len(labels))], labels, rotation=rotation, ha="right", fontsize=8)


def annotate(ax: Any, title: str, ylabel: str) -> None:
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7)


def save(fig: Any, path: Path) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return str(path)


def client_throughput(r: Report, path: Path) -> str:
    import matplotlib.pyplot as plt

    f, levels = r.figures, r.levels
    names = [n for n, _, _ in r.clients]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    for ax, op in zip(axes, OPS):
        width = 0.8 / len(levels)
        for j, c in enumerate(levels):
            ax.bar(slots(len(names), j, width), [f[(n, op, c)].per_s if (n, op, c) in f else 0 for n in names], width,
                   label=f"{c} in flight")
        ticks(ax, names, 0.4 - width / 2, 35)
        ax.set_yscale("log")
        annotate(ax, f"client throughput: {op}", "calls/s (log)")
    return save(fig, path)


def client_cpu(r: Report, path: Path) -> str:
    import matplotlib.pyplot as plt

    f = r.figures
    names = [n for n, _, _ in r.clients]
    fig, ax = plt.subplots(figsize=(9, 5))
    for j, op in enumerate(OPS):
        ax.bar(slots(len(names), j, 0.4), [f[(n, op, 1)].cpu_us if (n, op, 1) in f else 0 for n in names], 0.4, label=op)
    # The Python sync goal is relative: 0.75x pyreqwest's sync CPU per get, in this run.
    if ("pyreqwest-sync", "get", 1) in f:
        goal = GOALS["py_sync_cpu_vs_pyreqwest"] * f[("pyreqwest-sync", "get", 1)].cpu_us
        ax.axhline(goal, color="red", linestyle="--", linewidth=1, label=f"Python sync goal ({goal:.0f} µs)")
    ticks(ax, names, 0.2, 35)
    annotate(ax, "client CPU per sequential call", "client CPU per call (µs)")
    return save(fig, path)


def client_rss(r: Report, path: Path) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for c, samples in r.rss.items():
        ax.plot([x for x, _ in samples], [kb / 1024 for _, kb in samples], marker="o", markersize=3, label=c)
    ax.set_xlabel("calls")
    annotate(ax, "client memory over repeated gets", "RSS (MiB)")
    return save(fig, path)


def server(r: Report, path: Path) -> str:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    labels = sorted({label for _, label, _ in r.server}, key=[l for _, l, _ in r.server].index)
    engines = sorted({e for e, _, _ in r.server}, key=[e for e, _, _ in r.server].index)
    srv = r.server_by_load

    def heights(e: str, key: str, scale: float = 1) -> list[float]:
        return [srv[(e, l)][key] / scale if (e, l) in srv else 0 for l in labels]

    for j, e in enumerate(engines):
        xs = slots(len(labels), j, 0.4)
        axes[0].bar(xs, heights(e, "per_s"), 0.4, label=e)
        axes[1].bar(xs, heights(e, "p50_us", 1e3), 0.4, label=f"{e} p50")
        axes[1].scatter(xs, heights(e, "p99_us", 1e3), marker="_", s=200, color="black", label="p99" if j == 0 else None)
    for ax, title, unit in ((axes[0], "server throughput", "requests/s"), (axes[1], "server latency", "ms (log)")):
        ticks(ax, labels, 0.2, 20)
        annotate(ax, title, unit)
    axes[1].set_yscale("log")
    return save(fig, path)


def search(r: Report, path: Path) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 4.5))
    keys = sorted({(e, label) for e, _, label, _ in r.search})
    sizes = sorted({n for _, n, _, _ in r.search})
    for e, label in keys:
        pts = {n: x for ee, n, ll, x in r.search if ee == e and ll == label}
        ax.plot(sizes, [pts[n]["p50_us"] / 1e3 if n in pts else None for n in sizes], marker="o",
                linestyle="-" if e == "SQLite" else "--", label=f"{e}: {label}")
    ax.axhline(GOALS["search_1m_p50_ms"], color="red", linestyle=":", linewidth=1, label="search goal at 1M (10 ms)")
    ax.axhline(GOALS["list_1m_p50_ms"], color="orange", linestyle=":", linewidth=1, label="first page goal at 1M (5 ms)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("customers in the tenant")
    annotate(ax, "list and search latency", "p50 (ms, log)")
    return save(fig, path)
