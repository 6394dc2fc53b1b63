"""The NovaBilling server inside your tests.

``LocalServer`` is the production server on an in-memory SQLite database, on
``127.0.0.1`` and a free port, in this process: it starts in milliseconds,
each instance is isolated (pytest-xdist workers never collide), and it adds
what a real service cannot give a test: injected failures and delays, seeded
ids and timestamps, keys of every kind, and the webhooks it delivered.

    from novabilling.testing import local_server

    with local_server() as srv:
        client = srv.client()
        client.customers.create(external_id="user_1", email="a@example.com")
        event = srv.webhooks.wait_for("customer.created")

The pytest plugin (installed with this package) adds the fixtures
``novabilling_server`` (one per session) and ``novabilling`` (a client on it,
the server emptied before each test).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Optional

from novabilling import AsyncNovaBilling, NovaBilling

from ._testing_native import CapturedWebhook, TestServer, __version__

__all__ = ["LocalServer", "local_server", "Webhooks", "CapturedWebhook", "__version__"]


class Webhooks:
    """The deliveries of the receiver a server subscribes to every event."""

    def __init__(self, server: TestServer) -> None:
        self._server = server

    @property
    def url(self) -> Optional[str]:
        """Where the receiver listens; ``None`` when the server captures nothing."""
        return self._server.webhook_url

    def wait_for(self, event_type: str, *, timeout: float = 5.0) -> CapturedWebhook:
        """The first delivery of ``event_type`` (``"*"``: any) not returned
        before, waiting up to ``timeout`` seconds.

        Raises ``TimeoutError`` when none came, with what did.
        """
        got = self._server.wait_for_webhook(event_type, timeout)
        if got is None:
            seen = [d.type for d in self._server.webhook_deliveries()]
            raise TimeoutError(f"no {event_type!r} webhook within {timeout} s; deliveries so far: {seen}")
        return got

    def all(self) -> list[CapturedWebhook]:
        """Every delivery since the start or the last reset, oldest first."""
        return self._server.webhook_deliveries()

    @staticmethod
    def payload(delivery: CapturedWebhook) -> Any:
        """The delivery's body, parsed."""
        return json.loads(delivery.body)


class LocalServer:
    """A NovaBilling server running in this process until ``close()``.

    ``seed``: seeded ids and a clock that starts at 2026-01-01T00:00:00Z and
    steps one second per request, for stable snapshots. ``capture_webhooks``:
    subscribe a receiver to every event (``webhooks``); it shows in the
    endpoint list. ``rate_limit``: requests per minute, 0 for none.
    """

    def __init__(self, *, seed: Optional[int] = None, capture_webhooks: bool = True, rate_limit: int = 0) -> None:
        self._server = TestServer(seed=seed, capture_webhooks=capture_webhooks, rate_limit=rate_limit)
        self.webhooks = Webhooks(self._server)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``"""
        return self._server.base_url

    @property
    def api_key(self) -> str:
        """The tenant's secret key (``sk_test_...``), with every scope."""
        return self._server.api_key

    def client(
        self,
        *,
        api_key: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **options: Any,
    ) -> NovaBilling:
        """A client of this server (its key unless ``api_key``); ``timeout``,
        ``max_retries`` and other options as ``NovaBilling``'s."""
        return NovaBilling(**self._settings(api_key, timeout, max_retries), **options)

    def async_client(
        self,
        *,
        api_key: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        **options: Any,
    ) -> AsyncNovaBilling:
        """An async client of this server; options as ``AsyncNovaBilling``'s."""
        return AsyncNovaBilling(**self._settings(api_key, timeout, max_retries), **options)

    def _settings(self, api_key: Optional[str], timeout: Optional[float], max_retries: Optional[int]) -> dict[str, Any]:
        return {"api_key": api_key or self.api_key, "base_url": self.base_url, "timeout": timeout, "max_retries": max_retries}

    def reset(self) -> None:
        """Empties the server: customers, events, endpoints, every key but
        ``api_key``, injected failures and captured webhooks; a seeded server
        starts its ids and clock over."""
        self._server.reset()

    def fail_next(
        self, method: str, path_pattern: str, status: int, *, times: int = 1, retry_after: Optional[int] = None
    ) -> None:
        """The next ``times`` requests matching ``method`` (``"*"``: any) and
        ``path_pattern`` (``"/api/customers/{id}"``; ``*`` is one segment, a
        last ``**`` any rest) are answered ``status`` in the API's error shape,
        with ``Retry-After: retry_after`` when given. The SDK retries 429 and
        5xx as it would against a real server."""
        self._server.fail_next(method, path_pattern, status, times, retry_after)

    def delay_next(self, method: str, path_pattern: str, delay: float, *, times: int = 1) -> None:
        """The next ``times`` matching requests wait ``delay`` seconds before
        they are handled (a slow server: test your timeouts)."""
        self._server.delay_next(method, path_pattern, delay, times)

    def restricted_key(self, scopes: Sequence[str]) -> str:
        """A new restricted key (``rk_test_...``) with these scopes, e.g. ``["customers:read"]``."""
        return self._server.restricted_key(list(scopes))

    def ephemeral_key(self, customer_id: str, *, ttl: float = 3600.0) -> str:
        """A new ephemeral key (``ek_test_...``) for one customer, valid ``ttl`` seconds."""
        return self._server.ephemeral_key(customer_id, ttl)

    def close(self) -> None:
        """Stops the server; requests in flight finish first. Closing twice is fine."""
        self._server.close()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LocalServer(base_url={self.base_url!r})"


@contextmanager
def local_server(*, seed: Optional[int] = None, capture_webhooks: bool = True, rate_limit: int = 0) -> Iterator[LocalServer]:
    """A ``LocalServer`` for the ``with`` block, closed at its end."""
    srv = LocalServer(seed=seed, capture_webhooks=capture_webhooks, rate_limit=rate_limit)
    try:
        yield srv
    finally:
        srv.close()
