"""Iteration over every item of every page (the next page comes from the core)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Generator, Iterator

if TYPE_CHECKING:
    from ._native import AsyncCustomerPage, Customer, CustomerPage


class AsyncPageRequest:
    """What an async ``list()`` returns: ``await`` it for the first page, or
    ``async for`` over it for every customer of every page."""

    __slots__ = ("_first",)

    def __init__(self, first: Awaitable[AsyncCustomerPage]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncCustomerPage]:
        return self._first.__await__()

    def __aiter__(self) -> AsyncIterator[Customer]:
        return self._walk()

    async def _walk(self) -> AsyncIterator[Customer]:
        async for customer in await self._first:
            yield customer


def iterate(page: CustomerPage) -> Iterator[Customer]:
    current = page
    while True:
        yield from current.data
        following = current.next_page()
        if following is None:
            return
        current = following


async def aiterate(page: AsyncCustomerPage) -> AsyncIterator[Customer]:
    current = page
    while True:
        for item in current.data:
            yield item
        following = await current.next_page()
        if following is None:
            return
        current = following
