"""The matcher's rules, on text it has not seen: fresh ids, other wording, other damage."""

from __future__ import annotations

import random
import uuid

import pytest

from matcher import CONFIDENT, MAX_CHARS, Matcher

rng = random.Random(20261126)


def sid() -> str:
    return f"s{rng.randint(1, 9_999_999)}"


def put(status: str = "422", code: str = "INVALID DATA", student: str = "s1") -> str:
    return (
        f'PUT for ONEROSTER:Result[result/results] for "{student}" failed with HTTP Status: '
        f'{status} with: [{{"codeMajor":"FAILURE", "severity": "ERROR", "codeMinor": "{code}", '
        f'"description": "Result denied.\n\nNeither \'score\' nor '
        f"'metadata.ext_infiniteCampus_scoreGrade' is populated.\"}}]"
    )


def put401(student: str, export: str | None = None) -> str:
    body = (
        f'PUT for ONEROSTER: Result[result/results] for "{student}" failed with HTTP Status: 401 '
        'with: [{"codeMajor":"FAILURE","severity":"ERROR","codeMinor":"UNAUTHORIZED",'
        '"description": "User not authorized."}]'
    )
    return f"ASSIGNMENT_SCORES_EXPORT - {export} - {body}" if export else body


def ids(matcher: Matcher, text: str) -> list[str]:
    return [m.entry_id for m in matcher.match(text).matches]


# -- 2. documented messages, fields exactly as pasted ------------------------------------------


def test_extracts_every_field_as_pasted(matcher: Matcher) -> None:
    student, export = "S0042x", str(uuid.UUID(int=rng.getrandbits(128)))
    (m,) = matcher.match(put401(student, export)).matches
    assert m.entry_id == "assignment-scores-export-put-oneroster"
    assert dict(m.fields) == {
        "export_id": export,
        "result_sourced_id": student,
        "http_status": "401",
        "code_minor": "UNAUTHORIZED",
        "description": "User not authorized.",
    }
    assert m.confidence == pytest.approx(1.0)

    (m,) = matcher.match(
        "EXCHANGE_ERROR_NON_RETRYABLE - k2p-9zz-a1b - HTTP response HTTP/1.1 403 Forbidden "
        "response: 403 Forbidden (Rate Limit Exceeded)"
    ).matches
    assert (m.entry_id, dict(m.fields)) == (
        "exchange",
        {"exchange_id": "k2p-9zz-a1b", "http_status": "403"},
    )

    (m,) = matcher.match(
        "Assignment with app id QX-77a cannot be created for section with app id blank"
    ).matches
    assert dict(m.fields) == {"assignment_app_id": "QX-77a"}

    (m,) = matcher.match("ASSIGNMENT_SCORES_EXPORT - 9912 - due_at is required").matches
    assert dict(m.fields) == {"export_id": "9912", "detail": "due_at is required"}


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.upper(),
        lambda t: t.lower(),
        lambda t: t.replace('"', "\u201c", 1).replace('"', "\u201d"),
        lambda t: t.replace('"', "&quot;"),
        lambda t: f"<at>Grade Bot</at> <p>{t}</p>",
        lambda t: f"<@U0ABCDEF12> ```{t}```",
        lambda t: t.replace(" ", "\n", 6),
        lambda t: t.replace(" ", "\u00a0", 4),
        lambda t: f"> {t}",
        lambda t: f"2026-11-26 08:15:00 ERROR {t}",
        lambda t: f"Morning all! We see this after every sync: {t} -- any idea? thx",
    ],
)
def test_finds_the_message_through_paste_damage(matcher: Matcher, mangle) -> None:
    student = sid()
    text = f'Unable to process score for {student}; missing "assignment_source_id" attribute'
    (m,) = matcher.match(mangle(text)).matches
    assert m.entry_id == "unable-to-process-score"
    assert m.fields["result_sourced_id"].lower() == student


# -- 3. partial pastes, typos and plain language -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A Kimono Job has timed", "kimono-job"),
        (
            "Could not determine the class or grading Period",
            "could-not-determine-class-or-grading-period",
        ),
        ("Assignment with app id 5521 cannot be created for section", "assignment-id"),
        (
            'Unable to process scor for s1; missing "assignment_source_id" atribute',
            "unable-to-process-score",
        ),
        (
            "Assignment dates fall outsdie of dates in which this calss is taught",
            "assignment-dates",
        ),
        ("the kimono job timed out", "kimono-job"),
        ("what does missing assignment_source_id mean?", "unable-to-process-score"),
        ("our sync hit the canvas rate limit exceeded thing again", "exchange"),
        ("IC says the section app id is blank for my new section", "assignment-id"),
        ("what is the Assignment Dates Error?", "assignment-dates"),
        (
            "IC couldn't determine the class or grading period",
            "could-not-determine-class-or-grading-period",
        ),
        ("the assignment can't be created, the section's app id is blank", "assignment-id"),
        ("OneRoster sent back a 401 on the grade export", "assignment-scores-export-put-oneroster"),
        ("we keep hitting the Canvas rate limit when grades sync", "exchange"),
    ],
)
def test_partial_typo_and_paraphrase(matcher: Matcher, text: str, expected: str) -> None:
    result = matcher.match(text)
    assert [m.entry_id for m in result.matches] == [expected]
    assert CONFIDENT <= result.matches[0].confidence <= 1.0


def test_weak_evidence_is_a_suggestion_not_a_match(matcher: Matcher) -> None:
    result = matcher.match("Could not determine the student's schedule")
    assert result.matches == ()
    assert [s.entry_id for s in result.suggestions] == [
        "could-not-determine-class-or-grading-period"
    ]
    assert all(s.confidence < CONFIDENT for s in result.suggestions)


@pytest.mark.parametrize(
    "link",
    [
        "https://canvas.example.edu/courses/1",
        "http://127.0.0.1:44053/courses/101/assignments/2",
        "https://district.instructure.com:8443/courses/1/gradebook",
    ],
)
def test_a_canvas_link_in_a_paste_is_no_one_s_wording(matcher: Matcher, link: str) -> None:
    """ "http" and a "1" in a link once read as Exchange's "HTTP response HTTP/1.1"."""
    alone = matcher.match(f"see {link}")
    assert alone.matches == () and alone.suggestions == ()
    paste = matcher.match(
        f'Unable to process score for s12345; missing "assignment_source_id" {link}'
    )
    assert [m.entry_id for m in paste.matches] == ["unable-to-process-score"]
    assert paste.suggestions == ()


def test_full_messages_score_above_paraphrases(matcher: Matcher) -> None:
    full = matcher.match("A Kimono Job has timed out and been cancelled.").matches[0]
    cut = matcher.match("A Kimono Job has timed out").matches[0]
    said = matcher.match("my kimono job keeps timing out").matches[0]
    assert full.confidence > cut.confidence
    assert full.confidence > said.confidence


# -- 4. several errors in one paste -------------------------------------------------------------


def test_same_error_for_thirty_students_is_one_entry(matcher: Matcher) -> None:
    students = [sid() for _ in range(30)]
    text = "\n".join(put(student=s) for s in students)
    (m,) = matcher.match(text).matches
    assert m.entry_id == "put-oneroster"
    assert m.occurrences == 30
    assert m.fields["result_sourced_id"] == students[0]
    assert m.values["result_sourced_id"] == tuple(dict.fromkeys(students))


def test_distinct_errors_in_order_of_first_appearance(matcher: Matcher) -> None:
    text = "\n".join(
        [
            "A Kimono Job has timed out and been cancelled.",
            put401(sid()),
            "Assignment with app id 77 cannot be created for section with app id blank",
            "A Kimono Job has timed out and been cancelled.",
            "Assignment dates fall outside of dates in which this class is taught",
        ]
    )
    result = matcher.match(text)
    assert [m.entry_id for m in result.matches] == [
        "kimono-job",
        "assignment-scores-export-put-oneroster",
        "assignment-id",
        "assignment-dates",
    ]
    assert result.matches[0].occurrences == 2


# -- 5. the most specific entry -----------------------------------------------------------------


def test_wrapper_gives_way_to_the_message_inside(matcher: Matcher) -> None:
    inner = put(student="s77")
    assert ids(matcher, f"ASSIGNMENT_SCORES_EXPORT - 31337 - {inner}") == ["put-oneroster"]
    unable = 'Unable to process score for s5; missing "assignment_source_id" attribute'
    assert ids(matcher, f"ASSIGNMENT_SCORES_EXPORT - 8 - {unable}") == ["unable-to-process-score"]
    assert ids(matcher, "ASSIGNMENT_SCORES_EXPORT - 8 - Assignment has no due date") == [
        "assignment-scores-export"
    ]


def test_401_without_the_wrapper_is_still_the_export_entry(matcher: Matcher) -> None:
    (m,) = matcher.match(put401("s9")).matches
    assert m.entry_id == "assignment-scores-export-put-oneroster"
    assert "export_id" not in m.fields


# -- 6. documented statuses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code"), [("404", "UNKNOWN OBJECT"), ("500", "SERVER_ERROR"), ("503", "UNAVAILABLE")]
)
def test_undocumented_put_status_is_unlisted_with_suggestions(
    matcher: Matcher, status: str, code: str
) -> None:
    result = matcher.match(put(status, code))
    assert result.matches == ()
    assert result.unlisted
    suggested = {s.entry_id: s for s in result.suggestions}
    assert "put-oneroster" in suggested
    assert suggested["put-oneroster"].undocumented["http_status"] == status


def test_undocumented_exchange_status_is_unlisted(matcher: Matcher) -> None:
    result = matcher.match(
        "EXCHANGE_ERROR_NON_RETRYABLE - abc-123-xyz - HTTP response HTTP/1.1 500 Internal "
        "Server Error"
    )
    assert result.matches == ()
    assert result.unlisted
    assert result.suggestions[0].entry_id == "exchange"
    assert ids(matcher, "EXCHANGE_ERROR_NON_RETRYABLE failed with a 500 error") == []


def test_wrapper_around_an_undocumented_status_is_not_the_wrapper_entry(matcher: Matcher) -> None:
    result = matcher.match(f"ASSIGNMENT_SCORES_EXPORT - 12 - {put('503', 'UNAVAILABLE')}")
    assert result.matches == ()
    assert result.unlisted


# -- 7. not an error we know ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "\x00\x01\x02\x03\xff",
        "help",
        "good morning everyone!",
        "Can you reset my Infinite Campus password?",
        "Where do I find the gradebook settings in Canvas?",
        "PowerSchool: Unable to sync section 1201 - section not found",
        "Schoology grade sync error: Invalid grading scale for course 88",
        "Canvas says user not authorized when I log in",
        "Our Microsoft Exchange mailbox is full",
    ],
)
def test_no_confident_match(matcher: Matcher, text: str) -> None:
    assert ids(matcher, text) == []


# -- 8. size -------------------------------------------------------------------------------------


def test_long_input_is_cut_and_said(matcher: Matcher) -> None:
    text = "A Kimono Job has timed out and been cancelled.\n" + "filler " * (MAX_CHARS // 6)
    result = matcher.match(text)
    assert result.truncated
    assert ids(matcher, text) == ["kimono-job"]
    assert not matcher.match("A Kimono Job has timed out and been cancelled.").truncated


async def test_async_entry_point_agrees_with_sync(matcher: Matcher) -> None:
    short = "A Kimono Job has timed out and been cancelled."
    long = "\n".join(put(student=sid()) for _ in range(40))
    for text in (short, long):
        assert await matcher.match_async(text) == matcher.match(text)


# -- typos are fixed only when one catalog word is a single edit away ----------------------------


@pytest.mark.parametrize(
    ("text", "expected_fields"),
    [
        # "resuult" shares a deletion with both "result" and "results"; only one is one edit away
        (
            'PUT for ONEROSTER:Result[resuult/results] for "s77" failed with HTTP Status: 422 '
            'with: [{"codeMajor":"FAILURE","codeMinor":"INVALID DATA","description":"x"}]',
            {"result_sourced_id": "s77", "http_status": "422"},
        ),
        # an id that is two edits from a catalog word ("status") is left as pasted
        (
            "Assignment with app id tatugs cannot be craeted for section with app id blank",
            {"assignment_app_id": "tatugs"},
        ),
    ],
)
def test_typo_fixes_never_touch_what_is_not_a_typo(matcher: Matcher, text, expected_fields) -> None:
    (m,) = matcher.match(text).matches
    assert {k: m.fields[k] for k in expected_fields} == expected_fields


def test_a_typo_in_a_documented_code_is_still_documented(matcher: Matcher) -> None:
    text = put401("s31").replace("UNAUTHORIZED", "UAUTHORIZED")
    assert ids(matcher, text) == ["assignment-scores-export-put-oneroster"]
    assert ids(matcher, put401("s31").replace("401", "404")) == []  # statuses match exactly


def test_a_title_counts_only_as_written(matcher: Matcher) -> None:
    assert ids(matcher, "We got the Assignment Dates Error on three assignments") == [
        "assignment-dates"
    ]
    text = "error: ASSIGNMENT_SCORES_EXPORT - 9966 - assignment has no due date"
    assert ids(matcher, text) == ["assignment-scores-export"]
