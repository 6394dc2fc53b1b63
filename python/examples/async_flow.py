"""The async client: many calls at once on one connection pool.

NOVABILLING_API_KEY=sk_test_... python async_flow.py
"""

from __future__ import annotations

import asyncio

import novabilling
from novabilling import AsyncNovaBilling


async def main() -> None:
    async with AsyncNovaBilling() as client:
        created = await asyncio.gather(*(
            client.customers.create(external_id=f"async_demo_{i}", email=f"async_demo_{i}@example.com")
            for i in range(50)
        ), return_exceptions=True)
        made = [c for c in created if isinstance(c, novabilling.Customer)]
        taken = [e for e in created if isinstance(e, novabilling.ConflictError)]
        print(f"created {len(made)} customers concurrently ({len(taken)} already existed)")

        count = 0
        async for _ in client.customers.list(search="async_demo_", limit=20):
            count += 1
        print(f"walked {count} customers page by page")

        await asyncio.gather(*(client.customers.delete(c.id) for c in made))
        print("deleted them again")


if __name__ == "__main__":
    asyncio.run(main())
