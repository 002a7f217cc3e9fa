"""The chat's Canvas check without a chat: bounded in time, and never trusting a missing e-mail."""

from __future__ import annotations

import pytest

from bots.canvas_chat import CanvasChecks
from canvas.settings import CanvasSettings
from catalog import Catalog
from matcher import Matcher
from tests.bots.conftest import Canvas
from tests.canvas.standin.district import HOST_TOKEN

UNABLE = 'Unable to process score for s12345; missing "assignment_source_id" attribute'


async def _checks(url: str, catalog: Catalog, matcher: Matcher, seconds: float) -> CanvasChecks:
    return CanvasChecks(CanvasSettings(url=url, token=HOST_TOKEN), catalog, matcher, None, seconds)


async def test_a_check_slower_than_its_bound_says_so_in_words(
    canvas: Canvas, catalog: Catalog, matcher: Matcher
) -> None:
    district, url = canvas.district, canvas.url
    district.delay = 0.5
    checks = await _checks(url, catalog, matcher, seconds=0.2)
    opened = checks.session(None)
    await anext(opened)
    try:
        check = await checks.run(
            f"{UNABLE} {url}/courses/101", "pteacher@district.org", platform="slack"
        )
    finally:
        await anext(opened, None)
    assert check.outcome == "canvas_error"
    assert "took longer than 0.2 seconds" in (check.note or "")
    assert (check.note or "").endswith("try again in a minute, or escalate.")
    assert all(e.canvas is None for e in check.answer.errors)


@pytest.mark.parametrize("email", [None, ""])
async def test_no_email_is_never_the_trusted_operator(
    canvas: Canvas, catalog: Catalog, matcher: Matcher, email: str | None
) -> None:
    district, url = canvas.district, canvas.url
    checks = await _checks(url, catalog, matcher, seconds=5)
    opened = checks.session(None)
    await anext(opened)
    try:
        check = await checks.run(f"{UNABLE} {url}/courses/101", email, platform="teams")
    finally:
        await anext(opened, None)
    assert check.outcome == "not_permitted" and "I can't check Canvas for you" in (check.note or "")
    assert district.requests == []
