"""Text about something else that shares our words: other vendors, other tools, success lines."""

from __future__ import annotations

import pytest

from matcher import Matcher


def ids(matcher: Matcher, text: str) -> list[str]:
    return [m.entry_id for m in matcher.match(text).matches]


@pytest.mark.parametrize(
    "text",
    [
        "Skyward export: assignment dates fall outside the marking period",
        "PowerTeacher Pro sync: 403 Error: Forbidden Rate Limit, try later",
        "ClassLink roster sync failed, rate limit exceeded",
        "the printer job timed out and was cancelled twice",
        "my script hitting /api/v1/courses gets 403 Forbidden (Rate Limit Exceeded)",
        "ASSIGNMENT_SCORES_EXPORT - 7730112 - completed successfully",
        "ASSIGNMENT_SCORES_EXPORT - 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d - 88 scores posted",
        "job timed out and got cancelled",  # nothing says it is about grades at all
    ],
)
def test_not_ours(matcher: Matcher, text: str) -> None:
    assert ids(matcher, text) == []


def test_the_documented_message_is_ours_wherever_it_is(matcher: Matcher) -> None:
    text = (
        "Aeries schools are fine, but our Campus schools get A Kimono Job has timed out and "
        "been cancelled."
    )
    assert ids(matcher, text) == ["kimono-job"]


def test_a_described_error_about_grade_sync_is_ours(matcher: Matcher) -> None:
    assert ids(matcher, "grade sync: the kimono job timed out") == ["kimono-job"]
    assert ids(matcher, "ASSIGNMENT_SCORES_EXPORT - 7730112 - no due date") == [
        "assignment-scores-export"
    ]


def test_the_current_headings_of_renamed_errors(matcher: Matcher) -> None:
    # Canvas renamed "Kimono Job Error" to "Data Sync Job Timed Out", and "Assignment ID
    # Error" is now "Assignment Cannot Be Created" (see the SIS Error Code Dictionary).
    assert ids(matcher, "what do I do about Data Sync Job Timed Out?") == ["kimono-job"]
    assert ids(matcher, "what does the Assignment Cannot Be Created error mean") == [
        "assignment-id"
    ]
    # PowerTeacher Pro has a heading of that name too
    assert ids(matcher, "PowerTeacher Pro says Assignment Cannot Be Created") == []


@pytest.mark.parametrize(
    ("text", "small_talk"),
    [
        ("hi", True),
        ("thanks Maria, the resync worked!", True),
        ("Gracias, ya funcionó", True),
        ("thanks, but now it says error 500", False),  # an error in it
        ("The printer says PC LOAD LETTER", False),  # not a greeting: support may help
        ("hello, the sync page shows a red icon next to every section of my 3rd period", False),
    ],
)
def test_greetings_and_thanks_are_small_talk(matcher: Matcher, text: str, small_talk: bool) -> None:
    assert matcher.match(text).small_talk is small_talk


def test_an_error_code_with_digits_looks_like_an_error(matcher: Matcher) -> None:
    result = matcher.match("Grade sync stopped with QUOKKA_A138A2D5_STALL on the district bridge")
    assert result.matches == () and result.unlisted
    assert not matcher.match("The printer says PC LOAD LETTER").looks_like_error
