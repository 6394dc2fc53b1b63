"""How async calls reach asyncio: each event loop gets an inbox that the
core's runtime threads fill and the loop drains on its own thread."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, Awaitable, Optional

from ._native import Inbox

_inboxes: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Optional[Inbox]]" = weakref.WeakKeyDictionary()


def inbox(loop: asyncio.AbstractEventLoop) -> Optional[Inbox]:
    """The loop's inbox, made on its first call; None for a loop that cannot
    watch a descriptor (or be weakly referenced), which then gets its results
    through ``call_soon_threadsafe``."""
    try:
        return _inboxes[loop]
    except KeyError:
        pass
    except TypeError:
        return None
    box = Inbox()
    try:
        loop.add_reader(box.fileno(), box.drain)
    except NotImplementedError:
        _inboxes[loop] = None
        return None
    _inboxes[loop] = box
    return box


async def call(native: Awaitable[Any]) -> Any:
    """Makes a native call a coroutine, so it behaves like any ``async def``."""
    return await native
