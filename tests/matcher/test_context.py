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


@pytest.mark.parametrize(
    "text",
    [
        # a documented message's beginning that goes on as another message
        "LTI 1.3: Assignment with app id 30417 cannot be opened, the deployment is not registered",
        "Canvas New Quizzes: Unable to process score for session 7712, try again later",
        # another SIS vendor's message that begins like ours
        "Skyward grade post: Unable to process score for 22871",
        "Pinnacle passback: unable to process score for s44871 - grade scale 'Letter' not found",
    ],
)
def test_a_partial_quote_that_reads_as_another_message_is_not_ours(
    matcher: Matcher, text: str
) -> None:
    result = matcher.match(text)
    assert result.matches == ()
    assert all(s.confidence < 0.6 for s in result.suggestions)


@pytest.mark.parametrize(
    "detail",
    [
        "started",
        "queued (position 2)",
        "in progress: 40/90 scores sent",
        "finished in 12s, 31 scores sent",
        "done, 0 errors",
        "finalizado, 52 calificaciones enviadas",
        "en curso",
        "iniciado, 0 errores",
        "waiting for Campus",
        "listo, se enviaron 40 calificaciones",
    ],
)
def test_a_job_status_line_is_not_an_error(matcher: Matcher, detail: str) -> None:
    assert ids(matcher, f"ASSIGNMENT_SCORES_EXPORT - 8812034 - {detail}") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ASSIGNMENT_SCORES_EXPORT - 8812035 - failed, 0 scores sent", "assignment-scores-export"),
        ("ASSIGNMENT_SCORES_EXPORT - 8812036 - terminado con errores", "assignment-scores-export"),
        # a success word undone by a negation
        ("ASSIGNMENT_SCORES_EXPORT - 8812037 - 2 scores not sent", "assignment-scores-export"),
        ("ASSIGNMENT_SCORES_EXPORT - 8812038 - nota no enviada", "assignment-scores-export"),
        (
            "ASSIGNMENT_SCORES_EXPORT - 8812039 - done, 1 score wasn't posted",
            "assignment-scores-export",
        ),
        # a truncated quote ends the line: it is ours
        ("IC says: Unable to process score for s771201", "unable-to-process-score"),
        # another product named in another sentence of the message
        (
            "We left PowerSchool last year. IC says Unable to process score for s55821; missing",
            "unable-to-process-score",
        ),
        ("the kimono job timed out. Quarter 3 just started so idk", "kimono-job"),
        # another product named in the same sentence, but not as what says the message
        (
            "we came from PowerSchool and now get Unable to process score for s88123",
            "unable-to-process-score",
        ),
        (
            "Unlike Aeries, IC just says Assignment with app id 44120 cannot be created for",
            "assignment-id",
        ),
        (
            "Clever rosters synced; grades failed: Could not determine the class or grading",
            "could-not-determine-class-or-grading-period",
        ),
    ],
)
def test_an_error_near_status_words_or_other_products_is_still_ours(
    matcher: Matcher, text: str, expected: str
) -> None:
    assert ids(matcher, text) == [expected]
