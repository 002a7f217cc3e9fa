"""Pastes whose line breaks were lost: no free-text part of one message swallows the next."""

from __future__ import annotations

from matcher import Matcher

EXCHANGE = (
    "EXCHANGE_ERROR_NON_RETRYABLE - {id} - HTTP response HTTP/1.1 403 Forbidden response: "
    "403 Forbidden (Rate Limit Exceeded)"
)
KIMONO = "A Kimono Job has timed out and been cancelled."
DATES = "Assignment dates fall outside of dates in which this class is taught"


def found(matcher: Matcher, text: str) -> dict[str, tuple[dict[str, str], int]]:
    return {m.entry_id: (dict(m.fields), m.occurrences) for m in matcher.match(text).matches}


def test_a_reason_does_not_swallow_the_next_message(matcher: Matcher) -> None:
    text = "EXCHANGE_ERROR_NON_RETRYABLE - qk3-7tz-p2m - HTTP response HTTP/1.1 403 Forbidden. "
    assert found(matcher, text + KIMONO) == {
        "exchange": ({"exchange_id": "qk3-7tz-p2m", "http_status": "403"}, 1),
        "kimono-job": ({}, 1),
    }


def test_the_same_error_twice_on_one_line_counts_twice(matcher: Matcher) -> None:
    text = EXCHANGE.format(id="a1a-2b2-3c3") + " " + EXCHANGE.format(id="d4d-5e5-6f6")
    (m,) = matcher.match(text).matches
    assert m.occurrences == 2
    assert m.values["exchange_id"] == ("a1a-2b2-3c3", "d4d-5e5-6f6")


def test_a_wrapper_detail_ends_where_the_next_message_starts(matcher: Matcher) -> None:
    text = f"ASSIGNMENT_SCORES_EXPORT - 5561203 - Assignment has no due date {DATES}"
    result = found(matcher, text)
    assert result["assignment-scores-export"][0]["export_id"] == "5561203"
    assert result["assignment-scores-export"][0]["detail"] == "Assignment has no due date"
    assert "assignment-dates" in result


def test_two_export_jobs_on_one_line_are_both_answered(matcher: Matcher) -> None:
    text = (
        "quiz: ASSIGNMENT_SCORES_EXPORT - 7120455 - due date is blank; test: "
        "ASSIGNMENT_SCORES_EXPORT - 0b9c2f1e-77aa-4b1d-9e3c-5d6f7a8b9c0d - PUT for ONEROSTER: "
        'Result[result/results] for "s90412" failed with HTTP Status: 401 with: '
        '[{"codeMajor":"FAILURE","severity":"ERROR","codeMinor":"UNAUTHORIZED",'
        '"description": "User not authorized."}]'
    )
    result = found(matcher, text)
    assert result["assignment-scores-export"][0]["export_id"] == "7120455"
    assert result["assignment-scores-export-put-oneroster"][0] == {
        "export_id": "0b9c2f1e-77aa-4b1d-9e3c-5d6f7a8b9c0d",
        "result_sourced_id": "s90412",
        "http_status": "401",
        "code_minor": "UNAUTHORIZED",
        "description": "User not authorized.",
    }


def test_an_unquoted_description_stops_at_the_next_message(matcher: Matcher) -> None:
    text = (
        "PUT for ONEROSTER:Result[result/results] for s55120 failed with HTTP Status: 422 with: "
        "[{codeMajor:FAILURE, severity: ERROR, codeMinor: INVALID DATA, description: Result "
        f"denied. Neither score nor metadata.ext_infiniteCampus_scoreGrade is populated. {KIMONO}"
    )
    result = found(matcher, text)
    assert result["put-oneroster"][0]["result_sourced_id"] == "s55120"
    assert "Kimono" not in result["put-oneroster"][0].get("description", "")
    assert "kimono-job" in result


def test_a_wrapper_that_introduces_another_message_gives_way_to_it(matcher: Matcher) -> None:
    for lead in ("failed with errors:", "terminado con errores -", "status: error -"):
        text = f"ASSIGNMENT_SCORES_EXPORT - 5561204 - {lead} {DATES}"
        assert list(found(matcher, text)) == ["assignment-dates"], lead
    # a sentence of its own before the next message is the job's own detail
    text = f"ASSIGNMENT_SCORES_EXPORT - 5561205 - Assignment has no due date. {DATES}"
    assert set(found(matcher, text)) == {"assignment-scores-export", "assignment-dates"}
