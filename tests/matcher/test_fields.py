"""Fields outside a documented message: retyped, described or damaged, and plainly there."""

from __future__ import annotations

from matcher import Matcher


def fields(matcher: Matcher, text: str) -> dict[str, dict[str, str]]:
    return {m.entry_id: dict(m.fields) for m in matcher.match(text).matches}


def test_a_value_named_in_passing_is_reported(matcher: Matcher) -> None:
    assert fields(
        matcher, "IC says assignment w/ app id 30417 can't be created, section app id blank"
    ) == {"assignment-id": {"assignment_app_id": "30417"}}
    assert fields(
        matcher, "the 401 thing: user not authorized on the PUT for oneroster, student s90233"
    ) == {
        "assignment-scores-export-put-oneroster": {
            "result_sourced_id": "s90233",
            "http_status": "401",
        }
    }
    assert fields(matcher, "exchange error non_retryable again, job b4c-77d-e1f") == {
        "exchange": {"exchange_id": "b4c-77d-e1f"}
    }


def test_values_in_brackets_quotes_and_asterisks(matcher: Matcher) -> None:
    for wrapped in ("[s40112]", '"s40112"', "*s40112*", "''s40112''", "(s40112)"):
        text = f'Unable to process score for {wrapped}; missing "assignment_source_id" attribute'
        assert fields(matcher, text) == {"unable-to-process-score": {"result_sourced_id": "s40112"}}


def test_when_unsure_no_value_rather_than_a_wrong_one(matcher: Matcher) -> None:
    # two students named: which one the error is about is not plain
    (m,) = matcher.match(
        "missing assignment source id, unable to process score, for s1101 or maybe s1102"
    ).matches
    assert "result_sourced_id" not in m.fields
    # a status the entry does not document is not its status
    result = matcher.match("result denied, neither score nor scoreGrade populated, HTTP 500")
    assert all("http_status" not in m.fields for m in result.matches)


def test_another_errors_values_are_not_borrowed(matcher: Matcher) -> None:
    text = (
        'Unable to process score for s5501; missing "assignment_source_id" attribute and the '
        "kimono job timed out for s7777"
    )
    found = fields(matcher, text)
    assert found["unable-to-process-score"] == {"result_sourced_id": "s5501"}
    assert found["kimono-job"] == {}


def test_a_value_wrapped_over_two_lines_reads_as_one(matcher: Matcher) -> None:
    text = (
        'PUT for ONEROSTER:Result[result/results] for "s61" failed with HTTP Status: 422 with: '
        '[{"codeMajor":"FAILURE", "severity": "ERROR", "codeMinor": "INVALID\n> DATA", '
        '"description": "Result denied."}]'
    )
    (m,) = matcher.match(text).matches
    assert (m.entry_id, m.fields["code_minor"], m.fields["http_status"]) == (
        "put-oneroster",
        "INVALID DATA",
        "422",
    )


def test_a_word_where_a_cut_off_message_has_its_id_is_not_the_id(matcher: Matcher) -> None:
    (m,) = matcher.match("Unable to process score for two students: s111 and s222").matches
    assert m.entry_id == "unable-to-process-score"
    assert dict(m.fields) == {}  # neither "two" nor one of the two students
