"""Canvas configuration: off when unset, https only (http for loopback), both URL and token."""

from __future__ import annotations

import pytest

from canvas.settings import CanvasSettings
from canvas.urls import CourseRef, CourseRefError, course_in_text, parse_course


def settings(**env: str) -> tuple[CanvasSettings | None, list[str]]:
    problems: list[str] = []
    return CanvasSettings.from_env(env, problems), problems


def test_off_when_unset() -> None:
    assert settings() == (None, [])


@pytest.mark.parametrize(
    "url",
    [
        "https://district.instructure.com",
        "http://127.0.0.1:8900",
        "http://localhost:1",
        "http://[::1]:9000",
    ],
)
def test_https_or_loopback(url: str) -> None:
    found, problems = settings(
        PASSBACK_CANVAS_URL=url + "/",
        PASSBACK_CANVAS_TOKEN="tok-9f8e7d",
        PASSBACK_CANVAS_ADMINS=" a@d.org, b@d.org ,",
    )
    assert problems == [] and found is not None
    assert found.url == url and found.admins == ("a@d.org", "b@d.org")
    assert "tok-9f8e7d" not in repr(found) and found.token == "tok-9f8e7d"


@pytest.mark.parametrize(
    ("env", "words"),
    [
        (
            {"PASSBACK_CANVAS_URL": "http://canvas.district.org", "PASSBACK_CANVAS_TOKEN": "t"},
            "must use https",
        ),
        (
            {
                "PASSBACK_CANVAS_URL": "https://d.instructure.com/api/v1",
                "PASSBACK_CANVAS_TOKEN": "t",
            },
            "without a path",
        ),
        (
            {"PASSBACK_CANVAS_URL": "https://u:p@d.instructure.com", "PASSBACK_CANVAS_TOKEN": "t"},
            "just the Canvas address",
        ),
        ({"PASSBACK_CANVAS_URL": "ftp://d.org", "PASSBACK_CANVAS_TOKEN": "t"}, "https:// URL"),
        ({"PASSBACK_CANVAS_URL": "https://d.instructure.com"}, "PASSBACK_CANVAS_TOKEN is needed"),
        ({"PASSBACK_CANVAS_TOKEN": "t"}, "PASSBACK_CANVAS_URL is needed"),
        ({"PASSBACK_CANVAS_ADMINS": "a@d.org"}, "Canvas is not configured"),
        (
            {
                "PASSBACK_CANVAS_URL": "https://d.instructure.com",
                "PASSBACK_CANVAS_TOKEN": "t",
                "PASSBACK_CANVAS_ADMINS": "Pat Teacher",
            },
            "e-mail addresses",
        ),
    ],
)
def test_problems(env: dict[str, str], words: str) -> None:
    _, problems = settings(**env)
    assert len(problems) == 1 and words in problems[0]


BASE = "https://district.instructure.com"


def test_course_references() -> None:
    assert parse_course("101", BASE) == CourseRef("101")
    assert parse_course(f"{BASE}/courses/101/assignments/3?module_item_id=9", BASE) == (
        CourseRef("101", "3")
    )
    assert parse_course("HTTPS://District.Instructure.com:443/courses/7", BASE) == CourseRef("7")
    assert course_in_text(f"see <{BASE}/courses/12/assignments/4>.", BASE) == CourseRef("12", "4")
    assert course_in_text("no link here", BASE) is None
    for bad in (
        f"{BASE}.evil.example/courses/1",
        "http://district.instructure.com/courses/1",
        f"{BASE}/accounts/1",
        "12a",
        "https://evil.example\\@district.instructure.com/courses/101",  # urllib3: evil.example
        "https://evil.example@district.instructure.com/courses/101",
        "https://district.instructure.com:abc/courses/1",
        "https://[::1/courses/1",
    ):
        with pytest.raises(CourseRefError):
            parse_course(bad, BASE)


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"PASSBACK_CANVAS_TOKEN": "t", "PASSBACK_CANVAS_CLIENT_ID": "1"}, "not both"),
        (
            {"PASSBACK_CANVAS_CLIENT_ID": "1", "PASSBACK_CANVAS_REFRESH_TOKEN": "r"},
            "PASSBACK_CANVAS_CLIENT_SECRET needed too",
        ),
    ],
)
def test_a_developer_key_needs_all_three_and_not_a_token_too(
    env: dict[str, str], words: str
) -> None:
    _, problems = settings(PASSBACK_CANVAS_URL="https://d.instructure.com", **env)
    assert len(problems) == 1 and words in problems[0]


@pytest.mark.parametrize(
    "url", ["https://[::1", "https://d.instructure.com:99999", "https://d.instructure.com:abc"]
)
def test_a_malformed_host_or_port_is_a_problem_not_a_crash(url: str) -> None:
    found, problems = settings(PASSBACK_CANVAS_URL=url, PASSBACK_CANVAS_TOKEN="t")
    assert found is None and problems == [
        "PASSBACK_CANVAS_URL is not a valid URL: its host or port is malformed"
    ]
