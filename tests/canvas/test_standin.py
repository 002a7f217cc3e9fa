"""The stand-in behaves as Canvas documents, whoever the client is (design note §8.1)."""

from __future__ import annotations

from tests.canvas.conftest import Canvas
from tests.canvas.standin.district import FULL_RIGHTS, HOST_TOKEN, Token

AUTH = {"Authorization": f"Bearer {HOST_TOKEN}", "User-Agent": "probe/1"}


async def test_without_a_user_agent_canvas_refuses(canvas: Canvas) -> None:
    async with canvas.session.get(
        f"{canvas.base_url}/api/v1/users/self",
        headers={"Authorization": f"Bearer {HOST_TOKEN}", "User-Agent": ""},
        skip_auto_headers=["User-Agent"],
    ) as response:
        assert response.status == 403 and "User-Agent" in await response.text()


async def test_ids_are_numbers_unless_strings_are_asked_for(canvas: Canvas) -> None:
    url = f"{canvas.base_url}/api/v1/courses/101/sections"
    async with canvas.session.get(url, headers=AUTH) as response:
        assert isinstance((await response.json())[0]["id"], int)
    accept = {**AUTH, "Accept": "application/json+canvas-string-ids"}
    async with canvas.session.get(url, headers=accept) as response:
        first = (await response.json())[0]
        assert first["id"] == "7" and first["course_id"] == "101"


async def test_pages_default_to_ten_with_lowercase_opaque_links(canvas: Canvas) -> None:
    canvas.district.max_per_page = 100
    url = f"{canvas.base_url}/api/v1/courses/101/assignments"
    async with canvas.session.get(url, headers=AUTH) as response:
        assert len(await response.json()) == 10
        raw = {k: v for k, v in response.raw_headers}
        link = raw[b"link"].decode()
        assert 'rel="next"' in link and "page=bookmark" in link


async def test_scoped_keys_lose_includes_without_allow_include_parameters(canvas: Canvas) -> None:
    url = f"{canvas.base_url}/api/v1/courses/101/assignments?include[]=overrides"
    scoped = {**AUTH, "Authorization": "Bearer svc-scoped-noinclude"}
    async with canvas.session.get(url, headers=scoped) as response:
        assert all("overrides" not in a for a in await response.json())
    async with canvas.session.get(url, headers=AUTH) as response:
        assert all("overrides" in a for a in await response.json())


async def test_dates_apply_to_the_requester_unless_overrides_are_turned_off(
    canvas: Canvas,
) -> None:
    """override_assignment_dates defaults to true: an admin sees the most lenient date."""
    url = f"{canvas.base_url}/api/v1/courses/101/assignments?per_page=4"
    async with canvas.session.get(url, headers=AUTH) as response:
        quiz = next(a for a in await response.json() if a["name"] == "Quiz 2")
        assert quiz["due_at"] == "2026-09-30T23:59:00-05:00"  # the one student's later date
    async with canvas.session.get(f"{url}&override_assignment_dates=false", headers=AUTH) as r:
        quiz = next(a for a in await r.json() if a["name"] == "Quiz 2")
        assert quiz["due_at"] == "2026-09-24T23:59:00-05:00"  # the base (Everyone) date


async def test_many_overrides_give_a_count_instead_of_all_dates(canvas: Canvas) -> None:
    (quiz,) = [a for a in canvas.district.assignments if a["id"] == 4]
    quiz["overrides"] = [dict(quiz["overrides"][0], id=100 + n) for n in range(25)]
    url = f"{canvas.base_url}/api/v1/courses/101/assignments?include[]=all_dates&per_page=4"
    async with canvas.session.get(url, headers=AUTH) as response:
        quiz = next(a for a in await response.json() if a["name"] == "Quiz 2")
        assert quiz["all_dates_count"] == 25 and "all_dates" not in quiz


async def test_the_client_reads_base_dates_not_the_admins_own(canvas: Canvas) -> None:
    assignments = await canvas.client().reader().assignments("101")
    quiz = next(a for a in assignments if a.name == "Quiz 2")
    assert quiz.due_at is not None and quiz.due_at.isoformat() == "2026-09-24T23:59:00-05:00"


async def test_a_429_says_429_not_403(canvas: Canvas) -> None:
    canvas.district.throttle_status, canvas.district.throttle_next = 429, 1
    async with canvas.session.get(f"{canvas.base_url}/api/v1/users/self", headers=AUTH) as r:
        assert r.status == 429 and await r.text() == "429 Too Many Requests (Rate Limit Exceeded)\n"


async def test_a_course_that_does_not_exist_is_404_before_permission(canvas: Canvas) -> None:
    canvas.district.tokens["svc-no-content"] = Token(
        user_id=1, rights=FULL_RIGHTS - {"read_course"}
    )
    no_content = {**AUTH, "Authorization": "Bearer svc-no-content"}
    async with canvas.session.get(f"{canvas.base_url}/api/v1/courses/999", headers=no_content) as r:
        assert r.status == 404
    async with canvas.session.get(f"{canvas.base_url}/api/v1/courses/101", headers=no_content) as r:
        assert r.status == 403
