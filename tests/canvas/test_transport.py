"""The client against the stand-in: pages, throttling, errors by body, a slow or absent Canvas."""

from __future__ import annotations

import logging
import time

import pytest

from canvas import errors
from canvas.access import Authoriser
from canvas.diagnoses import Diagnoser, Suspect
from canvas.transport import Budget, Limits
from canvas.urls import CourseRef
from tests.canvas.conftest import FAST, Canvas
from tests.canvas.standin.district import HOST_TOKEN


async def test_every_page_is_read_and_only_canvas_is_asked(canvas: Canvas) -> None:
    sections = await canvas.client().reader().sections("101")
    assert [s.name for s in sections][:2] == ["Period 1", "Period 2"]
    assert len(sections) == 7  # 4 a page: two pages
    assert canvas.paths().count("/api/v1/courses/101/sections") == 2


async def test_a_next_link_to_another_origin_is_a_bad_response(canvas: Canvas) -> None:
    canvas.district.foreign_next_link = True
    with pytest.raises(errors.BadResponse, match="points off Canvas"):
        await canvas.client().reader().sections("101")  # never the first page as if all
    assert canvas.paths() == ["/api/v1/courses/101/sections"]  # the token stayed on Canvas


async def test_a_partial_list_is_never_diagnosed(canvas: Canvas) -> None:
    canvas.district.foreign_next_link = True
    (check,) = (
        await Diagnoser(canvas.client(), Authoriser()).diagnose(
            [Suspect("assignment-id")], CourseRef("101")
        )
    ).checks
    assert check.status == "error" and "points off Canvas" in check.summary


async def test_requests_carry_bearer_user_agent_and_no_token_in_the_url(canvas: Canvas) -> None:
    await canvas.client().reader().sections("101")
    assert all(auth == f"Bearer {HOST_TOKEN}" for _, auth in canvas.district.requests)


@pytest.mark.parametrize("status", [403, 429])
async def test_throttling_is_retried_with_back_off(canvas: Canvas, status: int) -> None:
    canvas.district.throttle_status = status
    canvas.district.throttle_next = 2
    client = canvas.client()
    user = await client.reader().users_self()
    assert user.name == "Passback Service"
    assert client.transport.stats.throttled == 2
    assert len(canvas.district.requests) == 3


async def test_throttling_that_lasts_is_a_typed_error(canvas: Canvas) -> None:
    canvas.district.throttle_next = 10
    with pytest.raises(errors.Throttled):
        await canvas.client().reader().users_self()
    assert len(canvas.district.requests) == FAST.throttle_retries + 1


async def test_a_low_bucket_slows_the_next_request(canvas: Canvas) -> None:
    canvas.district.low_remaining_next = 1
    client = canvas.client(limits=Limits(low_remaining_pause=0.2))
    reader = client.reader()
    await reader.users_self()  # answered with x-rate-limit-remaining: 20.0
    started = time.monotonic()
    await reader.users_self()
    assert time.monotonic() - started >= 0.19  # waited for the bucket to drain (a lower bound)


async def test_throttling_backs_off_before_retrying(canvas: Canvas) -> None:
    canvas.district.throttle_next = 2
    # No pause for the empty bucket the throttled answers report: the time is the backoff's.
    client = canvas.client(limits=Limits(backoff_base=0.2, backoff_cap=0.2, low_remaining_pause=0))
    started = time.monotonic()
    await client.reader().users_self()
    assert time.monotonic() - started >= 2 * 0.2 * 0.5 - 0.01  # two waits, jitter 0.5-1.5x


async def test_server_errors_are_retried_a_bounded_number_of_times(canvas: Canvas) -> None:
    canvas.district.server_errors_next = 2
    assert (await canvas.client().reader().users_self()).id == "1"
    canvas.district.server_errors_next = 5
    canvas.district.requests.clear()
    with pytest.raises(errors.Unreachable):
        await canvas.client().reader().users_self()
    assert len(canvas.district.requests) == FAST.server_retries + 1


@pytest.mark.parametrize(
    ("token", "error", "words"),
    [
        ("not-a-token", errors.TokenInvalid, "not valid"),
        ("expired-token", errors.TokenInvalid, "expired"),
        ("revoked-token", errors.TokenInvalid, "revoked"),
        ("svc-scoped", errors.ScopeMissing, "developer key"),
    ],
)
async def test_token_problems_are_told_apart(
    canvas: Canvas, token: str, error: type, words: str
) -> None:
    with pytest.raises(error) as caught:
        await canvas.client(token).reader().sections("101")
    assert words in str(caught.value)
    assert token not in str(caught.value)


@pytest.mark.parametrize("legacy", [False, True])
async def test_not_permitted_by_body_whatever_the_status(canvas: Canvas, legacy: bool) -> None:
    canvas.district.legacy_401 = legacy
    with pytest.raises(errors.NotPermitted):
        await canvas.client("svc-no-grades").reader().sis_assignments("101")


async def test_not_found_grade_export_and_unpublished(canvas: Canvas) -> None:
    reader = canvas.client().reader()
    with pytest.raises(errors.NotFound):
        await reader.course("999")
    with pytest.raises(errors.CourseUnpublished):
        await reader.sis_assignments("103")
    canvas.district.grade_export_enabled = False
    with pytest.raises(errors.GradeExportDisabled):
        await reader.sis_assignments("101")


async def test_broken_json_is_a_typed_error_and_the_guard_prefix_is_read(canvas: Canvas) -> None:
    canvas.district.truncate_next = 1
    with pytest.raises(errors.BadResponse):
        await canvas.client().reader().users_self()
    canvas.district.hijack_prefix = True
    assert (await canvas.client().reader().users_self()).id == "1"


async def test_a_slow_canvas_is_unreachable_not_a_hang(canvas: Canvas) -> None:
    canvas.district.delay = 1.0
    client = canvas.client(limits=Limits(request_timeout=0.2, server_retries=0))
    with pytest.raises(errors.Unreachable) as caught:
        await client.reader().users_self()
    assert "too slowly" in str(caught.value)


async def test_canvas_down_is_unreachable(canvas: Canvas) -> None:
    await canvas.server.close()
    client = canvas.client(limits=Limits(server_retries=1, backoff_base=0.01))
    with pytest.raises(errors.Unreachable):
        await client.reader().users_self()


async def test_the_budget_stops_a_caller(canvas: Canvas) -> None:
    with pytest.raises(errors.BudgetExceeded):
        await canvas.client().reader(Budget(limit=1)).sections("101")


async def test_per_course_facts_are_cached(canvas: Canvas) -> None:
    client = canvas.client()
    await client.reader().sections("101")
    await client.reader().sections("101")
    assert canvas.paths().count("/api/v1/courses/101/sections") == 2  # one read, two pages


async def test_logs_carry_templates_and_statuses_only(
    canvas: Canvas, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="passback.canvas")
    reader = canvas.client().reader()
    await reader.users_matching("pteacher@district.org")
    with pytest.raises(errors.NotFound):
        await reader.course("999")
    # Only passback's own records: the stand-in's access log is Canvas's side, not ours, and
    # whether it is captured depends on what earlier tests did to the root logger.
    text = "\n".join(
        caplog.handler.format(r) for r in caplog.records if r.name.startswith("passback")
    )
    assert "/api/v1/accounts/self/users -> 200" in text
    assert "/api/v1/courses/:id -> 404" in text
    for secret in (HOST_TOKEN, "pteacher", "search_term", "999"):
        assert secret not in text


async def test_a_list_longer_than_canvas_s_page_cap_is_read_in_pages_of_100(
    canvas: Canvas,
) -> None:
    """At Canvas's cap of 100 a page, a course with 250 more sections takes three pages."""
    from tests.canvas.standin.seed import _section

    canvas.district.max_per_page = 100
    canvas.district.sections += [
        _section(1000 + n, 101, f"Lab group {n}", f"s-lg{n}", 1) for n in range(250)
    ]
    sections = await canvas.client().reader().sections("101")
    assert len(sections) == 257 and len({s.id for s in sections}) == 257
    assert canvas.paths().count("/api/v1/courses/101/sections") == 3
