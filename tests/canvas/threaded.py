"""The Canvas stand-in on its own thread and loop, for commands that run their own loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import web

from tests.canvas.standin.district import District
from tests.canvas.standin.server import CanvasStandIn
from tests.processes import free_port


@contextmanager
def standin_thread(district: District | None = None) -> Iterator[tuple[District, str]]:
    standin = CanvasStandIn(district or District(max_per_page=4))
    loop = asyncio.new_event_loop()
    port = free_port()
    runner = web.AppRunner(standin.app(), access_log=None)  # Canvas's side: not our logs

    async def start() -> None:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield standin.district, f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
