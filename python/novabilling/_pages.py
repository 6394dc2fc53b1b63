"""Iteration over every item of every page (the next page comes from the core)."""

from __future__ import annotations

from typing import TYPE_CHECKING, AsyncIterator, Iterator

if TYPE_CHECKING:
    from ._native import AsyncCustomerPage, Customer, CustomerPage


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
