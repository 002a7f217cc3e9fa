"""The tests' one way to wait for something that happens in the background: ask again and
again, briefly apart, until it is true or a generous bound passes. Never a sleep that hopes.

`eventually` is for async tests (the check may be a coroutine function, and the event loop keeps
serving stand-ins in between); `eventually_blocking` is for plain functions and fixtures.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any

WITHIN_SECONDS = 20.0  # a bound for a failing test, generous for a busy machine
INTERVAL_SECONDS = 0.02


async def eventually(
    check: Callable[[], Any], within: float = WITHIN_SECONDS, what: str = ""
) -> Any:
    """Call (and await, when it gives a coroutine) `check` until its value is truthy; that
    value. Fails saying `what` it waited for when `within` seconds pass first."""
    deadline = time.monotonic() + within
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {within:g} s waiting for {what or check}")
        await asyncio.sleep(INTERVAL_SECONDS)


def eventually_blocking(
    check: Callable[[], Any], within: float = WITHIN_SECONDS, what: str = ""
) -> Any:
    """`eventually` for code without an event loop: blocks between calls."""
    deadline = time.monotonic() + within
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {within:g} s waiting for {what or check}")
        time.sleep(INTERVAL_SECONDS)
