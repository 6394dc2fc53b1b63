"""Fixtures: the project's server on a free loopback port, and a scripted
responder for the shapes and failures the real server does not produce."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"


def server_bin() -> str:
    env = os.environ.get("NOVABILLING_SERVER_BIN")
    if env:
        return env
    for d in ("target/x86_64-unknown-linux-gnu/debug", "target/debug"):
        p = ROOT / d / "novabilling-server"
        if p.exists():
            return str(p)
    raise RuntimeError("build the server first: cargo build -p novabilling-server")


@dataclass
class Server:
    url: str
    key: str
    db: str
    proc: subprocess.Popen[str]

    def new_key(self) -> str:
        out = subprocess.run(
            [server_bin(), "keys", "create", "--tenant", f"t{time.time_ns()}", "--test", "--database", self.db],
            check=True, capture_output=True, text=True,
        )
        return out.stdout.strip()


def start_server(tmp: Path, *extra: str) -> Server:
    db = f"sqlite://{tmp / 'test.db'}"
    key_file = tmp / "dev-key"
    proc = subprocess.Popen(
        [server_bin(), "serve", "--bind", "127.0.0.1:0", "--database", db, "--dev", "--dev-key-file", str(key_file), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "RUST_LOG": "warn"},
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("listening on "):
            url = line.split(" ", 2)[2].strip()
            return Server(url=url, key=key_file.read_text().strip(), db=db, proc=proc)
    raise RuntimeError("the server exited before it listened")


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with tempfile.TemporaryDirectory() as tmp:
        s = start_server(Path(tmp))
        yield s
        s.proc.terminate()
        s.proc.wait(10)


@pytest.fixture
def tenant_key(server: Server) -> str:
    """A key of a fresh tenant, so a test sees only its own customers."""
    return server.new_key()


@pytest.fixture
def client(server: Server, tenant_key: str) -> Any:
    from novabilling import NovaBilling

    return NovaBilling(token=tenant_key, base_url=server.url)


@pytest.fixture
def aclient(server: Server, tenant_key: str) -> Any:
    from novabilling import AsyncNovaBilling

    return AsyncNovaBilling(token=tenant_key, base_url=server.url)


@dataclass
class Reply:
    status: int
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @staticmethod
    def json(status: int, body: Any, **headers: str) -> Reply:
        return Reply(status, json.dumps(body).encode(), {"content-type": "application/json", **headers})


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Canned:
    """Answers each request with the next reply; the last one repeats."""

    def __init__(self, replies: list[Reply], idle_timeout: float | None = None) -> None:
        self.replies = list(replies)
        self.seen: list[Seen] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = idle_timeout  # closes a kept-alive connection idle this long, as proxies do

            def log_message(self, *args: Any) -> None:
                pass

            def handle_any(self) -> None:
                n = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(n) if n else b""
                canned.seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                reply = canned.replies.pop(0) if len(canned.replies) > 1 else canned.replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("content-length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass

            do_GET = do_POST = do_PATCH = do_DELETE = handle_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def canned() -> Iterator[Any]:
    made: list[Canned] = []

    def make(*replies: Reply, idle_timeout: float | None = None) -> Canned:
        c = Canned(list(replies), idle_timeout)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def load_vectors(name: str) -> list[dict[str, Any]]:
    return json.loads((VECTORS / name).read_text())["cases"]  # type: ignore[no-any-return]
