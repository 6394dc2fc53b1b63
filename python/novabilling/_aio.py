"""Resolves asyncio futures from the core's runtime threads."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable


def resolve(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    # The caller may have cancelled the future in the meantime.
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


async def call(native: Awaitable[Any]) -> Any:
    """Makes a native call a coroutine, so it behaves like any ``async def``."""
    return await native
