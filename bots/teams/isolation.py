"""Slow Bot Connector services cannot stall everyone else's answers.

botbuilder sends each answer through msrest and requests, which block a thread of the event
loop's default executor for the whole call. A service that never answers (or a local-mode
`serviceUrl` pointing at a port that holds connections open) used to hold every thread of that
small pool, so a normal message waited seconds behind them, and urllib3's three retries with
back-off made each failure take 5-20 s. Now each call fails fast (`fail_fast`: no retries, a
3 s connect and 10 s read timeout, inside Teams' 15 s), the pool has room, and the turns for
one service (scheme, host and port) take at most `PER_SERVICE` of its threads at a time.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

CONNECT_SECONDS = 3.0
READ_SECONDS = 10.0
THREADS = 32
PER_SERVICE = 8
MAX_SERVICES = 256


def fail_fast(client: Any) -> Any:
    """A Bot Connector client (msrest) that does not retry and gives up within the timeouts."""
    config = getattr(client, "config", None)
    if config is None:  # not an msrest client
        return client
    config.retry_policy.retries = 0
    config.connection.timeout = (CONNECT_SECONDS, READ_SECONDS)
    return client


def executor() -> ThreadPoolExecutor:
    """The default executor for the server's loop, with room for slow calls and fast ones."""
    return ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="bot-connector")


class ServiceSlots:
    """At most `per_service` turns at a time for each service origin; the others wait."""

    def __init__(self, per_service: int = PER_SERVICE, services: int = MAX_SERVICES):
        self._per_service = per_service
        self._services = services
        self._slots: OrderedDict[tuple[str, str, int | None], asyncio.Semaphore] = OrderedDict()
        self._users: dict[tuple[str, str, int | None], int] = {}  # turns holding or waiting

    @asynccontextmanager
    async def turn(self, service_url: str) -> AsyncIterator[None]:
        parts = urlsplit(service_url)
        key = (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)
        slots = self._slots.get(key)
        if slots is None:
            slots = self._slots[key] = asyncio.Semaphore(self._per_service)
        self._slots.move_to_end(key)
        self._users[key] = self._users.get(key, 0) + 1
        for oldest in list(self._slots)[: max(0, len(self._slots) - self._services)]:
            if not self._users.get(oldest):  # forget only services no turn is using
                del self._slots[oldest]
        try:
            async with slots:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
