"""Fixtures for every bot test."""

from __future__ import annotations

import functools

import pytest

from canvas import transport


@pytest.fixture(autouse=True)
def quick_canvas_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Canvas clients built with the default limits try as often as in production, hundredths
    of a second apart instead of seconds: a bot test that meets a throttled or unreachable
    Canvas is about what the person is told (the waits are tests/canvas/test_transport.py's).
    The throttled and unreachable Canvas tests took 3-7 s each waiting."""
    quick = functools.partial(
        transport.Limits, backoff_base=0.02, backoff_cap=0.05, low_remaining_pause=0.02
    )
    monkeypatch.setattr(transport, "Limits", quick)
