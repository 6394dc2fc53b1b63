"""pytest fixtures, registered by the ``pytest11`` entry point:

- ``novabilling_server``: a ``LocalServer`` for the session (one per worker
  under pytest-xdist, so workers never share one);
- ``novabilling``: a ``NovaBilling`` client on it, the server emptied first,
  so each test starts from nothing.

A test that needs other options (a ``seed``, no webhook capture) starts its
own with ``local_server(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from novabilling import NovaBilling

from . import LocalServer


@pytest.fixture(scope="session")
def novabilling_server() -> Iterator[LocalServer]:
    """The session's test server. Tests share it: take ``novabilling`` to start each from empty."""
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def novabilling(novabilling_server: LocalServer) -> Iterator[NovaBilling]:
    """A client of ``novabilling_server``, which is emptied (``reset()``) first."""
    novabilling_server.reset()
    with novabilling_server.client() as client:
        yield client
