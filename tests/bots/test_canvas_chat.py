"""The chat's Canvas check without a chat: bounded in time, and never trusting a missing e-mail."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from bots.canvas_chat import CanvasChecks
from canvas.settings import CanvasSettings
from catalog import Catalog
from matcher import Matcher
from tests.canvas.standin.district import HOST_TOKEN, District
from tests.canvas.standin.server import CanvasStandIn

UNABLE = 'Unable to process score for s12345; missing "assignment_source_id" attribute'


@pytest.fixture
async def district_url() -> AsyncIterator[tuple[District, str]]:
    standin = CanvasStandIn(District(max_per_page=4))
    server = TestServer(standin.app(), host="127.0.0.1", access_log=None)
    await server.start_server()
    yield standin.district, str(server.make_url("")).rstrip("/")
    await server.close()


async def _checks(url: str, catalog: Catalog, matcher: Matcher, seconds: float) -> CanvasChecks:
    return CanvasChecks(CanvasSettings(url=url, token=HOST_TOKEN), catalog, matcher, None, seconds)


async def test_a_check_slower_than_its_bound_says_so_in_words(
    district_url: tuple[District, str], catalog: Catalog, matcher: Matcher
) -> None:
    district, url = district_url
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
    district_url: tuple[District, str], catalog: Catalog, matcher: Matcher, email: str | None
) -> None:
    district, url = district_url
    checks = await _checks(url, catalog, matcher, seconds=5)
    opened = checks.session(None)
    await anext(opened)
    try:
        check = await checks.run(f"{UNABLE} {url}/courses/101", email, platform="teams")
    finally:
        await anext(opened, None)
    assert check.outcome == "not_permitted" and "I can't check Canvas for you" in (check.note or "")
    assert district.requests == []
