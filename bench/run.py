"""The benchmark harness: runs every measurement and writes BENCHMARKS.md and
PNG plots. Start it through scripts/bench.sh, which builds what it needs.

    python bench/run.py [--smoke] [--profile release|dev] [--pg-url URL]
                        [--out BENCHMARKS.md] [--plots bench/plots]
                        [--sections client,startup,server]

Client overhead: every client (the SDK in Rust, Python, Node and Kotlin, and
the baselines httpx, requests and Node's fetch) calls a fixed-response server
(bench-fixture); the server is pinned to one CPU, the client to the other.
Each client process reports wall and process CPU per run; the tables show the
median of the runs. Server throughput: wrk on loopback against the real
server on SQLite and PostgreSQL, load generator and server sharing both CPUs.

--smoke runs every path with tiny counts (CI); its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
CLIENTS_DIR = ROOT / "bench" / "clients"
TRIPLE = "x86_64-unknown-linux-gnu"

# The goals, each with the figure it is judged on.
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

    @property
    def target(self) -> Path:
        return ROOT / "target" / TRIPLE / ("release" if self.profile == "release" else "debug")

    def shrink(self) -> None:
        self.calls, self.conc_calls, self.levels, self.reps = 40, 80, (4,), 1
        self.warmup, self.rss_calls, self.starts = 10, 1000, 3
        self.wrk_seconds, self.sizes, self.latency_seconds = 1, (300, 1200), 1


# ---------------------------------------------------------------- processes


class Child:
    """A background process that prints `listening on URL` once it serves."""

    def __init__(self, cmd: list[str], env: dict[str, str] | None = None, log_path: Path | None = None):
        self.log_file = open(log_path, "w") if log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=self.log_file, text=True, env={**os.environ, **(env or {})}
        )
        self.url = ""
        self.lines: list[str] = []
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("listening on "):
                self.url = line.split()[-1]
                break
        if not self.url:
            raise RuntimeError(f"{cmd[0]} did not start: {self.lines}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.log_file is not subprocess.DEVNULL:
            self.log_file.close()


def pinned(cpu: int, cmd: list[str]) -> list[str]:
    """Pins a command to one CPU when the machine has more than one."""
    if (os.cpu_count() or 1) > 1 and shutil.which("taskset"):
        return ["taskset", "-c", str(cpu), *cmd]
    return cmd


def json_lines(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> list[dict[str, Any]]:
    out = subprocess.run(cmd, env={**os.environ, **env}, cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


# ---------------------------------------------------------------- client overhead


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
        ClientRun("httpx-sync", "Python", [py, pyb, "httpx-sync"], ours=False),
        ClientRun("httpx-async", "Python", [py, pyb, "httpx-async"], ours=False),
        ClientRun("requests", "Python", [py, pyb, "requests"], ours=False),
        ClientRun("novabilling-node", "Node", [node, nodeb, "novabilling"], node_env),
        ClientRun("node-fetch", "Node", [node, nodeb, "fetch"], node_env, ours=False),
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


# ---------------------------------------------------------------- start-up and size


def timed_runs(cmd: list[str], n: int, env: dict[str, str] | None = None) -> float:
    """Median of what the command prints (milliseconds), each in a fresh process."""
    values = []
    for _ in range(n):
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})})
        values.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(values)


def startup_section(s: Settings, report: Report) -> None:
    py_import = "import time; t = time.perf_counter(); import {m}; print((time.perf_counter() - t) * 1e3)"
    node_require = "const t = process.hrtime.bigint(); require({m}); console.log(Number(process.hrtime.bigint() - t) / 1e6)"
    log("import and require times")
    report.startup = {
        "import novabilling": timed_runs([sys.executable, "-c", py_import.format(m="novabilling")], s.starts),
        "import httpx": timed_runs([sys.executable, "-c", py_import.format(m="httpx")], s.starts),
        "import requests": timed_runs([sys.executable, "-c", py_import.format(m="requests")], s.starts),
        "require('novabilling')": timed_runs(
            ["node", "-e", node_require.format(m=json.dumps(str(ROOT / "node")))], s.starts
        ),
    }
    wheels = sorted((ROOT / "target" / "wheels").glob("novabilling-*.whl"))
    sizes = {
        "Python wheel": wheels[-1] if wheels else None,
        "Node native module (novabilling.node)": ROOT / "node" / "novabilling.node",
        "Kotlin/Swift native library (libnovabilling_uniffi.so)": s.target / "libnovabilling_uniffi.so",
        "server binary": s.target / "novabilling-server",
    }
    report.sizes = {k: p.stat().st_size for k, p in sizes.items() if p and p.exists()}


# ---------------------------------------------------------------- server throughput


WRK_SCRIPT = r"""
-- Set by the harness: the key, the scenario and a prefix unique to this run.
local key, scenario, prefix, id, terms = %s
local n = 0
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Content-Type"] = "application/json"

local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("tno", thread_no)
end

request = function()
  n = n + 1
  if scenario == "create" then
    local u = prefix .. "_" .. tno .. "_" .. n
    return wrk.format("POST", "/api/customers", nil,
      '{"externalId":"' .. u .. '","email":"' .. u .. '@bench.example","name":"Bench ' .. u .. '","country":"DE"}')
  elseif scenario == "get" then
    return wrk.format("GET", "/api/customers/" .. id)
  else
    local t = terms[(n %% #terms) + 1]
    return wrk.format("GET", "/api/customers?limit=20" .. t)
  end
end

done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests":%%d,"duration_us":%%d,"errors":%%d,"non2xx":%%d,"p50_us":%%d,"p99_us":%%d}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
"""


def lua_str(v: str) -> str:
    return json.dumps(v)


def wrk(url: str, key: str, scenario: str, seconds: int, connections: int, id: str = "", terms: list[str] = ()) -> dict[str, Any]:
    prefix = f"b{time.time_ns()}"
    lua_terms = "{" + ",".join(lua_str(t) for t in (terms or [""])) + "}"
    script = WRK_SCRIPT % f"{lua_str(key)}, {lua_str(scenario)}, {lua_str(prefix)}, {lua_str(id)}, {lua_terms}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        threads = min(2, connections)
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name, url],
            capture_output=True, text=True, check=True,
        )
    finally:
        os.unlink(f.name)
    line = next(l for l in out.stdout.splitlines() if l.startswith('{"requests"'))
    r = json.loads(line)
    if r["non2xx"] or r["errors"]:
        raise RuntimeError(f"wrk {scenario}: {r['non2xx']} non-2xx answers, {r['errors']} socket errors")
    r["per_s"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def new_key(s: Settings, database: str, tenant: str) -> str:
    out = subprocess.run(
        [str(s.target / "novabilling-server"), "keys", "create", "--tenant", tenant, "--database", database],
        capture_output=True, text=True, check=True,
    )
    return out.stdout.strip().splitlines()[-1]


FIRST = ["Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kwame", "Lena",
         "Malik", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wanjiru", "Yusuf"]


def surname(i: int) -> str:
    """One of 500 made-up surnames, so a surname search matches 0.2% of the customers."""
    syll = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "bi"]
    k = i % 500
    return (syll[k % 10] + syll[(k // 10) % 10] + syll[(k // 100) % 10] + "nd").capitalize()


def seed(url: str, key: str, start: int, end: int) -> None:
    """Adds customers start..end through the SDK's Stripe import, 1,000 per call."""
    from concurrent.futures import ThreadPoolExecutor

    from novabilling import NovaBilling

    customers = NovaBilling(token=key, base_url=url, timeout=300).customers

    def batch(lo: int) -> None:
        hi = min(lo + 1000, end)
        customers.import_stripe([
            {
                "id": f"cus_{i:08d}",
                "email": f"c{i:08d}@{surname(i).lower()}.example",
                "name": f"{FIRST[i % len(FIRST)]} {surname(i)}",
                "address": {"country": "DE"},
                "currency": "EUR",
            }
            for i in range(lo, hi)
        ])

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(batch, range(start, end, 1000)))


def server_section(s: Settings, report: Report) -> None:
    engines = [("SQLite", None)]
    if s.pg_url:
        engines.append(("PostgreSQL", s.pg_url))
    for engine, pg in engines:
        # On the disk the checkout is on, not a tmpfs: a server's database lives on disk.
        (ROOT / "target").mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=ROOT / "target", prefix="bench-db-") as tmp:
            if pg:
                database = fresh_pg_database(pg)
            else:
                database = f"sqlite://{tmp}/bench.db"
            server = Child(
                [str(s.target / "novabilling-server"), "serve", "--bind", "127.0.0.1:0", "--dev",
                 "--dev-key-file", f"{tmp}/key", "--database", database, "--rate-limit", "1000000000"],
                env={"RUST_LOG": "warn"}, log_path=Path(tmp) / "server.log",
            )
            try:
                server_runs(s, report, engine, server.url, (Path(tmp) / "key").read_text().strip(), database)
            finally:
                server.stop()


def fresh_pg_database(url: str) -> str:
    """A new, empty database on the cluster of `url`, so every run starts from nothing."""
    m = re.match(r"(postgres(?:ql)?://[^/]+)/(\w+)", url)
    if not m:
        raise ValueError(f"--pg-url {url!r}: expected postgres://user@host:port/db")
    psql = next((str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))), "psql")
    name = "novabilling_bench"
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run([psql, f"{m.group(1)}/postgres", "-qc", sql], check=True, capture_output=True)
    return f"{m.group(1)}/{name}"


def server_runs(s: Settings, report: Report, engine: str, url: str, key: str, database: str) -> None:
    from novabilling import NovaBilling

    one = NovaBilling(token=key, base_url=url).customers.create(external_id="bench_get", email="get@bench.example", name="Get Me")
    log(f"{engine}: wrk get / create, {s.wrk_seconds} s each")
    for label, scenario, conns in [
        ("get, 1 connection", "get", 1),
        ("get, 32 connections", "get", 32),
        ("create, 1 connection", "create", 1),
        ("create, 32 connections", "create", 32),
    ]:
        report.server.append((engine, label, wrk(url, key, scenario, s.wrk_seconds, conns, id=one.id)))

    # List and search latency on a tenant of its own, as it grows.
    big_key = new_key(s, database, f"bench_{time.time_ns()}")
    have = 0
    for size in s.sizes:
        log(f"{engine}: seeding {size} customers")
        t = time.perf_counter()
        seed(url, big_key, have, size)
        report.seed_times.append((engine, size - have, time.perf_counter() - t))
        have = size
        probes = [
            ("list, first page", [""]),
            ("search a surname (0.2% match)", [f"&search={surname(i).lower()}" for i in range(7, 500, 37)]),
            ("search an email (1 match)", [f"&search=c{i:08d}@" for i in range(11, size, max(1, size // 13))]),
            ("search a surname, 3rd page", [f"&search={surname(i).lower()}&page=3" for i in range(3, 500, 41)]),
        ]
        for label, terms in probes:
            r = wrk(url, big_key, "search", s.latency_seconds, 1, terms=terms)
            report.search.append((engine, size, label, r))


# ---------------------------------------------------------------- the report


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


def fmt(v: float, digits: int = 0) -> str:
    return f"{v:,.{digits}f}"


def ratio(a: Figure | None, b: Figure | None) -> float | None:
    return a.per_s / b.per_s if a and b else None


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def goals(r: Report) -> list[tuple[str, str, str]]:
    f = r.figures
    rows: list[tuple[str, str, str]] = []

    def add(goal: str, value: float | None, shown: Callable[[float], str], ok: Callable[[float], bool]) -> None:
        rows.append((goal, "not measured" if value is None else shown(value), verdict(None if value is None else ok(value))))

    cpu = [f[(c, op, 1)].cpu_us / 1e3 for c in ("novabilling-sync", "novabilling-async") for op in ("get", "create") if (c, op, 1) in f]
    add("Python client CPU per call <= 0.1 ms (worst of sync/async, get/create)", max(cpu) if cpu else None,
        lambda v: f"{v:.3f} ms", lambda v: v <= GOALS["py_cpu_ms"])
    top = max((k[2] for k in f), default=0)
    for op in ("get", "create"):
        add(f"Python async >= 20x httpx async at {top}-way ({op})",
            ratio(f.get(("novabilling-async", op, top)), f.get(("httpx-async", op, top))),
            lambda v: f"{v:.1f}x", lambda v: v >= GOALS["py_async_vs_httpx_200"])
    for c in sorted({k[2] for k in f}):
        add(f"Node >= 1.5x global fetch at {c}-way (get)", ratio(f.get(("novabilling-node", "get", c)), f.get(("node-fetch", "get", c))),
            lambda v: f"{v:.1f}x", lambda v: v >= GOALS["node_vs_fetch"])
    add("import novabilling <= 10 ms", r.startup.get("import novabilling"), lambda v: f"{v:.1f} ms", lambda v: v <= GOALS["import_ms"])
    add("require('novabilling') <= 20 ms", r.startup.get("require('novabilling')"), lambda v: f"{v:.1f} ms",
        lambda v: v <= GOALS["require_ms"])
    for client, samples in r.rss.items():
        growth = rss_growth(samples)
        rows.append((f"flat RSS: {client}, over the second half of the calls", f"{growth:+,d} kB", verdict(growth <= 1024)))
    srv = {(e, label): x for e, label, x in r.server}
    add("SQLite: get p50 <= 0.5 ms (1 connection)", ms(srv.get(("SQLite", "get, 1 connection")), "p50_us"),
        lambda v: f"{v:.2f} ms", lambda v: v <= GOALS["get_p50_ms"])
    add("SQLite: >= 10,000 gets/s (32 connections)", (srv.get(("SQLite", "get, 32 connections")) or {}).get("per_s"),
        lambda v: f"{v:,.0f}/s", lambda v: v >= GOALS["gets_per_s"])
    add("SQLite: >= 2,000 creates/s (32 connections)", (srv.get(("SQLite", "create, 32 connections")) or {}).get("per_s"),
        lambda v: f"{v:,.0f}/s", lambda v: v >= GOALS["creates_per_s"])
    big = max((size for _, size, _, _ in r.search), default=0)
    sr = next((x for e, size, label, x in r.search if e == "SQLite" and size == big and label.startswith("search a surname (")), None)
    add(f"SQLite: search over {big:,} customers p50 <= 20 ms", ms(sr, "p50_us"), lambda v: f"{v:.2f} ms",
        lambda v: v <= GOALS["search_1m_p50_ms"])
    return rows


def ms(x: dict[str, Any] | None, key: str) -> float | None:
    return None if x is None else x[key] / 1e3


def rss_growth(samples: list[list[int]]) -> int:
    """kB gained over the second half of the calls, once caches and JITs are warm."""
    return samples[-1][1] - samples[len(samples) // 2][1]


def table(head: list[str], rows: Iterator[list[str]] | list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def client_rows(r: Report, cell: Callable[[str, str, Any], str], columns: Any, with_lang: bool = False) -> list[list[str]]:
    """A row per client: its name (and language), then `cell` for each operation and column; "-" where not measured."""

    def safe(name: str, op: str, col: Any) -> str:
        try:
            return cell(name, op, col)
        except KeyError:
            return "-"

    return [
        [name if ours else f"{name} (baseline)"] + ([lang] if with_lang else [])
        + [safe(name, op, col) for op in ("get", "create") for col in columns]
        for name, lang, ours in r.clients
    ]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}"


def write_report(s: Settings, r: Report, plots: list[str], seconds: float) -> None:
    f = r.figures
    levels = sorted({k[2] for k in f})
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
    if f:
        md += [
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
            table(
                ["client"] + [f"{op} ×{c}" for op in ("get", "create") for c in levels],
                client_rows(r, lambda name, op, c: fmt(f[(name, op, c)].per_s), levels),
            ),
            "",
            "### Ratios, same run (throughput of ours / baseline)",
            "",
            table(
                ["pair"] + [f"{op} ×{c}" for op in ("get", "create") for c in levels],
                [
                    [f"{a} / {b}"] + [
                        (lambda x: f"{x:.1f}x" if x else "-")(ratio(f.get((a, op, c)), f.get((b, op, c))))
                        for op in ("get", "create") for c in levels
                    ]
                    for a, b in [
                        ("novabilling-async", "httpx-async"),
                        ("novabilling-sync", "httpx-sync"),
                        ("novabilling-sync", "requests"),
                        ("novabilling-node", "node-fetch"),
                    ]
                ],
            ),
            "",
        ]
    if r.rss:
        md += [
            "### Memory over 100,000 calls" if not s.smoke else "### Memory",
            "",
            table(
                ["client", "RSS at start (kB)", "after 10% (kB)", "after 50% (kB)", "after 100% (kB)", "growth, second half"],
                [[c, fmt(v[0][1]), fmt(v[1][1]), fmt(v[len(v) // 2][1]), fmt(v[-1][1]), f"{rss_growth(v):+,d} kB"]
                 for c, v in r.rss.items()],
            ),
            "",
        ]
    if r.startup:
        md += [
            "## Start-up and size",
            "",
            f"Median of {s.starts} fresh processes, timed inside the process around the import alone.",
            "",
            table(["", "ms"], [[k, f"{v:.1f}"] for k, v in r.startup.items()]),
            "",
            table(["artifact", "size"], [[k, f"{v / 1e6:.1f} MB"] for k, v in r.sizes.items()]),
            "",
        ]
    if r.server:
        md += [
            "## Server",
            "",
            f"`novabilling-server` ({s.profile}) with `wrk` on loopback, {s.wrk_seconds} s per row, both sharing the "
            "machine's CPUs; rate limit on (set high), access logs off (RUST_LOG=warn). Creates make a new customer each.",
            "",
            table(
                ["database", "load", "requests/s", "p50 (ms)", "p99 (ms)"],
                [[e, label, fmt(x["per_s"]), f"{x['p50_us'] / 1e3:.2f}", f"{x['p99_us'] / 1e3:.2f}"] for e, label, x in r.server],
            ),
            "",
            "### List and search as the tenant grows",
            "",
            f"One connection, {s.latency_seconds} s per row, a page of 20 with its total; terms rotate. Customers are seeded "
            "through the SDK's Stripe import (1,000 per call, 4 calls in flight): "
            + ", ".join(f"{e} {n:,} in {t:.0f} s" for e, n, t in r.seed_times) + ".",
            "",
            table(
                ["database", "customers", "query", "p50 (ms)", "p99 (ms)", "requests/s"],
                [[e, fmt(n), label, f"{x['p50_us'] / 1e3:.2f}", f"{x['p99_us'] / 1e3:.2f}", fmt(x["per_s"])] for e, n, label, x in r.search],
            ),
            "",
        ]
    if plots:
        md += ["## Plots", ""] + [f"![{Path(p).stem}]({os.path.relpath(p, s.out.parent)})" for p in plots] + [""]
    s.out.parent.mkdir(parents=True, exist_ok=True)
    s.out.write_text("\n".join(md))


def draw(s: Settings, r: Report) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s.plots.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    f = r.figures
    if f:
        levels = sorted({k[2] for k in f})
        names = [n for n, _, _ in r.clients]
        fig, axes = plt.subplots(1, 2, figsize=(13, 5))
        for ax, op in zip(axes, ("get", "create")):
            width = 0.8 / len(levels)
            for j, c in enumerate(levels):
                xs = [i + j * width for i in range(len(names))]
                ax.bar(xs, [f[(n, op, c)].per_s if (n, op, c) in f else 0 for n in names], width, label=f"{c} in flight")
            ax.set_xticks([i + 0.4 - width / 2 for i in range(len(names))], names, rotation=35, ha="right", fontsize=8)
            ax.set_yscale("log")
            annotate(ax, f"client throughput: {op}", "calls/s (log)")
        out.append(save(fig, s.plots / "client_throughput.png"))

        fig, ax = plt.subplots(figsize=(9, 5))
        for j, op in enumerate(("get", "create")):
            xs = [i + j * 0.4 for i in range(len(names))]
            ax.bar(xs, [f[(n, op, 1)].cpu_us if (n, op, 1) in f else 0 for n in names], 0.4, label=op)
        ax.axhline(GOALS["py_cpu_ms"] * 1e3, color="red", linestyle="--", linewidth=1, label="Python goal (100 µs)")
        ax.set_xticks([i + 0.2 for i in range(len(names))], names, rotation=35, ha="right", fontsize=8)
        annotate(ax, "client CPU per sequential call", "client CPU per call (µs)")
        out.append(save(fig, s.plots / "client_cpu.png"))
    if r.rss:
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for c, samples in r.rss.items():
            ax.plot([x for x, _ in samples], [kb / 1024 for _, kb in samples], marker="o", markersize=3, label=c)
        ax.set_xlabel("calls")
        annotate(ax, "client memory over repeated gets", "RSS (MiB)")
        out.append(save(fig, s.plots / "client_rss.png"))
    if r.server:
        fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
        labels = sorted({label for _, label, _ in r.server}, key=[l for _, l, _ in r.server].index)
        engines = sorted({e for e, _, _ in r.server}, key=[e for e, _, _ in r.server].index)
        srv = {(e, label): x for e, label, x in r.server}
        for j, e in enumerate(engines):
            xs = [i + j * 0.4 for i in range(len(labels))]
            axes[0].bar(xs, [srv[(e, l)]["per_s"] if (e, l) in srv else 0 for l in labels], 0.4, label=e)
            axes[1].bar(xs, [srv[(e, l)]["p50_us"] / 1e3 if (e, l) in srv else 0 for l in labels], 0.4, label=f"{e} p50")
            axes[1].scatter(xs, [srv[(e, l)]["p99_us"] / 1e3 if (e, l) in srv else 0 for l in labels], marker="_", s=200,
                            color="black", label="p99" if j == 0 else None)
        for ax, title, unit in ((axes[0], "server throughput", "requests/s"), (axes[1], "server latency", "ms (log)")):
            ax.set_xticks([i + 0.2 for i in range(len(labels))], labels, rotation=20, ha="right", fontsize=8)
            annotate(ax, title, unit)
        axes[1].set_yscale("log")
        out.append(save(fig, s.plots / "server.png"))
    if r.search:
        fig, ax = plt.subplots(figsize=(10, 4.5))
        keys = sorted({(e, label) for e, _, label, _ in r.search})
        sizes = sorted({n for _, n, _, _ in r.search})
        for e, label in keys:
            pts = {n: x for ee, n, ll, x in r.search if ee == e and ll == label}
            ax.plot(sizes, [pts[n]["p50_us"] / 1e3 if n in pts else None for n in sizes], marker="o",
                    linestyle="-" if e == "SQLite" else "--", label=f"{e}: {label}")
        ax.axhline(GOALS["search_1m_p50_ms"], color="red", linestyle=":", linewidth=1, label="goal at 1M (20 ms)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("customers in the tenant")
        annotate(ax, "list and search latency", "p50 (ms, log)")
        out.append(save(fig, s.plots / "search.png"))
    plt.close("all")
    return out


def annotate(ax: Any, title: str, ylabel: str) -> None:
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7)


def save(fig: Any, path: Path) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return str(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--profile", choices=["release", "dev"], default="release")
    ap.add_argument("--pg-url")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--plots", type=Path)
    ap.add_argument("--sections", default="client,startup,server")
    a = ap.parse_args()
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
    unknown = s.sections - {"client", "startup", "server"}
    if unknown:
        ap.error(f"unknown sections {sorted(unknown)}")
    start = time.perf_counter()
    report = Report()
    for name, run in (("client", client_section), ("startup", startup_section), ("server", server_section)):
        if name in s.sections:
            run(s, report)
    plots = draw(s, report)
    write_report(s, report, plots, time.perf_counter() - start)
    log(f"wrote {s.out} and {len(plots)} plots in {s.plots}")
    for g in goals(report):
        log(" | ".join(g))


if __name__ == "__main__":
    main()
