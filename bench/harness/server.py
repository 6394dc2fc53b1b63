"""Server throughput: the real server on SQLite and PostgreSQL, a seeded tenant, and wrk's loads on it."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from .processes import Child, output
from .results import Report
from .settings import ROOT, Settings, log
from .wrk import wrk

LOADS = [
    ("get, 1 connection", "get", 1),
    ("get, 32 connections", "get", 32),
    ("create, 1 connection", "create", 1),
    ("create, 32 connections", "create", 32),
]

FIRST = ["Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kwame", "Lena",
         "Malik", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wanjiru", "Yusuf"]


# Each tenth of the customers lives in one of these.
COUNTRIES = ["DE", "FR", "US", "GB", "NL", "ES", "IT", "SE", "PL", "AT"]


def surname(i: int) -> str:
    """One of 500 made-up surnames, so a surname search matches 0.2% of the customers."""
    syll = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "bi"]
    k = i % 500
    return (syll[k % 10] + syll[(k // 10) % 10] + syll[(k // 100) % 10] + "nd").capitalize()


def deep_page(size: int) -> int:
    """Page 5,000 of 50,000 at a million; the middle page of a smaller tenant."""
    return min(5000, max(2, size // 40))


def probes(size: int, before_deep: str) -> list[tuple[str, list[str]]]:
    """The list and search queries on a tenant of `size` customers, each with the terms it rotates through;
    `before_deep` is the last customer of the page before the deep one."""
    deep = deep_page(size)
    return [
        ("list, first page", [""]),
        ("list, first page, one country (10%)", [f"&country={c}" for c in COUNTRIES]),
        ("list, first page, a status and a country", [f"&status=active&country={c}" for c in COUNTRIES]),
        (f"list, page {deep:,} by startingAfter (as the SDKs page)", [f"&page={deep}&startingAfter={before_deep}"]),
        (f"list, page {deep:,} by page number", [f"&page={deep}"]),
        ("search a surname (0.2% match)", [f"&search={surname(i).lower()}" for i in range(7, 500, 37)]),
        ("search an email (1 match)", [f"&search=c{i:08d}@" for i in range(11, size, max(1, size // 13))]),
        ("search a surname, 3rd page", [f"&search={surname(i).lower()}&page=3" for i in range(3, 500, 41)]),
    ]


# The admin page's customers list (HTML, through the API in process), as a person opens it.
ADMIN_PROBES = [
    ("admin page: customers list, first page", [""]),
    ("admin page: customers list, one country", [f"country={c}" for c in COUNTRIES]),
]


def signed_in(url: str, key: str) -> None:
    """wrk counts only 4xx and 5xx as failures: make sure the page answers 200, not a redirect to sign-in."""
    import http.client
    from urllib.parse import urlsplit

    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port)
    conn.request("GET", "/admin/customers", headers={"Cookie": f"nb_admin={key}"})
    status = conn.getresponse().status
    conn.close()
    if status != 200:
        raise RuntimeError(f"the admin page answered {status} to a signed-in list, not 200")


def seed(url: str, key: str, start: int, end: int) -> None:
    """Adds customers start..end through the SDK's Stripe import, 1,000 per call."""
    from concurrent.futures import ThreadPoolExecutor

    from novabilling import ApiError, NovaBilling

    customers = NovaBilling(token=key, base_url=url, timeout=300).customers

    def batch(lo: int) -> None:
        hi = min(lo + 1000, end)
        # The import is idempotent by Stripe id: a batch that waited out the
        # server's 30 s request timeout behind the others is sent again.
        for attempt in range(3):
            try:
                return send(lo, hi)
            except ApiError as e:
                if e.status != 408 or attempt == 2:
                    raise
                log(f"a batch of the seed timed out (408); again ({e})")

    def send(lo: int, hi: int) -> None:
        customers.import_stripe([
            {
                "id": f"cus_{i:08d}",
                "email": f"c{i:08d}@{surname(i).lower()}.example",
                "name": f"{FIRST[i % len(FIRST)]} {surname(i)}",
                "address": {"country": COUNTRIES[i % len(COUNTRIES)]},
                "currency": "EUR",
            }
            for i in range(lo, hi)
        ])

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(batch, range(start, end, 1000)))


def new_key(s: Settings, database: str, tenant: str) -> str:
    cmd = [str(s.target / "novabilling-server"), "keys", "create", "--tenant", tenant, "--database", database]
    return output(cmd).strip().splitlines()[-1]


def psql() -> str:
    return next((str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))), "psql")


def settle(database: str) -> None:
    """What autovacuum does after a bulk insert, done before the timing rather than during it, so the probes time a
    settled tenant with fresh statistics (it takes about half a second after a million Stripe imports)."""
    t = time.perf_counter()
    output([psql(), database, "-qc", "VACUUM (ANALYZE) customers"])
    log(f"VACUUM (ANALYZE) customers: {time.perf_counter() - t:.1f} s")


def fresh_pg_database(url: str) -> str:
    """A new, empty database on the cluster of `url`, so every run starts from nothing."""
    m = re.match(r"(postgres(?:ql)?://[^/]+)/(\w+)", url)
    if not m:
        raise ValueError(f"--pg-url {url!r}: expected postgres://user@host:port/db")
    name = "novabilling_bench"
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        output([psql(), f"{m.group(1)}/postgres", "-qc", sql])
    return f"{m.group(1)}/{name}"


def engines(s: Settings) -> list[tuple[str, str | None]]:
    """SQLite, and PostgreSQL when a cluster was given."""
    return [("SQLite", None)] + ([("PostgreSQL", s.pg_url)] if s.pg_url else [])


def start_server(s: Settings, tmp: Path, database: str, *extra: str) -> tuple[Child, str]:
    """The release server on `database` with its dev key; rate limit set high, access logs off."""
    server = Child(
        [str(s.target / "novabilling-server"), "serve", "--bind", "127.0.0.1:0", "--dev",
         "--dev-key-file", f"{tmp}/key", "--database", database, "--rate-limit", "1000000000", *extra],
        env={"RUST_LOG": "warn"}, log_path=tmp / "server.log",
    )
    return server, (tmp / "key").read_text().strip()


def server_section(s: Settings, report: Report) -> None:
    for engine, pg in engines(s):
        # On the disk the checkout is on, not a tmpfs: a server's database lives on disk.
        (ROOT / "target").mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=ROOT / "target", prefix="bench-db-") as tmp:
            database = fresh_pg_database(pg) if pg else f"sqlite://{tmp}/bench.db"
            server, key = start_server(s, Path(tmp), database)
            try:
                server_runs(s, report, engine, server.url, key, database)
            finally:
                server.stop()


def server_runs(s: Settings, report: Report, engine: str, url: str, key: str, database: str) -> None:
    from novabilling import NovaBilling

    one = NovaBilling(token=key, base_url=url).customers.create(external_id="bench_get", email="get@bench.example", name="Get Me")
    log(f"{engine}: wrk get / create, {s.wrk_seconds} s each")
    for label, scenario, conns in LOADS:
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
        if database.startswith("postgres"):
            settle(database)
        before = NovaBilling(token=big_key, base_url=url).customers.list(page=deep_page(size) - 1, limit=20)
        for label, terms in probes(size, before.data[-1].id):
            report.search.append((engine, size, label, wrk(url, big_key, "search", s.latency_seconds, 1, terms=terms)))
        signed_in(url, big_key)
        for label, terms in ADMIN_PROBES:
            report.search.append((engine, size, label, wrk(url, big_key, "admin", s.latency_seconds, 1, terms=terms)))
