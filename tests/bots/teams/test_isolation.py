"""One Bot Connector service's turns take at most a few slots; others are not held up."""

from __future__ import annotations

import asyncio

from bots.teams.isolation import ServiceSlots
from tests.polling import eventually


async def test_one_service_takes_at_most_its_slots_and_others_go_past() -> None:
    slots = ServiceSlots(per_service=2, services=2)
    stuck = asyncio.Event()
    inside: dict[str, int] = {}

    async def turn(url: str, wait: bool) -> None:
        async with slots.turn(url):
            inside[url] = inside.get(url, 0) + 1
            if wait:
                await stuck.wait()

    slow = [asyncio.create_task(turn("http://127.0.0.1:1/amer/", True)) for _ in range(6)]
    await eventually(lambda: inside)  # the first turns are in
    assert inside == {"http://127.0.0.1:1/amer/": 2}  # the other four wait their turn
    for port in range(2, 6):  # more services than it remembers: none is stuck behind them
        await asyncio.wait_for(turn(f"http://127.0.0.1:{port}/", False), 1)
    stuck.set()
    await asyncio.wait_for(asyncio.gather(*slow), 1)
    assert inside["http://127.0.0.1:1/amer/"] == 6
