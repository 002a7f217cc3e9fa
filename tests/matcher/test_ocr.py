"""Text that went through OCR (a screenshot, a phone copying text out of an image)."""

from __future__ import annotations

from catalog import load_catalog
from matcher import Matcher
from matcher.spelling import Speller


def ids(matcher: Matcher, text: str) -> list[str]:
    return [m.entry_id for m in matcher.match(text).matches]


def test_character_confusions_read_as_the_catalog_words(matcher: Matcher) -> None:
    assert ids(matcher, "A Kirnono J0b has tirned out and been cance|1ed") == ["kimono-job"]
    assert ids(matcher, "Cou1d not deterrnine the c|ass or grading Period for this 1ine ltem") == [
        "could-not-determine-class-or-grading-period"
    ]
    (m,) = matcher.match(
        "Unab1e to process score for s60231; rnissing assignrnent_source_id attribute"
    ).matches
    assert dict(m.fields) == {"result_sourced_id": "s60231"}


def test_a_status_read_with_a_letter_o_is_the_status(matcher: Matcher) -> None:
    (m,) = matcher.match(
        "EXCHANGE ERROR NON RETRYABLE - 2bd-77q-x0p - HTTP response HTTP/1.1 4O3 Forbidden "
        "response: 4O3 Forbidden (Rate Lirnit Exceeded)"
    ).matches
    assert dict(m.fields) == {"exchange_id": "2bd-77q-x0p", "http_status": "403"}


def test_a_word_hyphenated_at_a_line_end_is_joined_and_an_id_is_not(matcher: Matcher) -> None:
    assert ids(matcher, "Assignment dates fall out-\nside of dates in which this class is taught")
    (m,) = matcher.match(
        "Assignment with app id 88-\n1204 can-\nnot be created for section with app id blank"
    ).matches
    assert dict(m.fields) == {"assignment_app_id": "88-1204"}


def test_only_words_that_become_catalog_words_change() -> None:
    speller = Speller(["Unable", "process", "cancelled", "timed", "Item", "fall"])
    assert speller.fix("Unab1e to process") == "Unable to process"
    assert speller.fix("cance11ed ltem") == "cancelled item"
    # ids, ordinary words and words OCR could not have produced stay as pasted
    for text in (
        "s3O9514",
        "qk3-1tz-p2m",
        "fail",
        "turn",
        "0d7e4c2a",
        "4410967",
        "P1ease",
        "items",
    ):
        assert speller.fix(text) == text


def test_ocr_damage_does_not_turn_other_text_into_our_errors() -> None:
    matcher = Matcher(load_catalog())
    for text in (
        "lnfinite Carnpus\nSession Expired\nP1ease log in again.",
        "Grade Sync History\nStatus: Cornplete   Errors (0)",
    ):
        assert ids(matcher, text) == []


def test_the_more_damage_the_less_sure(matcher: Matcher) -> None:
    clean = "Could not determine the class or grading Period for this line Item"
    light = "Cou1d not determine the class or grading Period for this line Item"
    heavy = "Cou1d not deterrnine the c1ass or grading Perlod for this 1ine ltem"
    (c,), (lo,), (hi,) = (matcher.match(t).matches for t in (clean, light, heavy))
    assert c.confidence == 1.0
    assert 0.9 < lo.confidence < c.confidence
    assert 0.6 <= hi.confidence < lo.confidence


def test_repair_says_where_each_repaired_word_starts() -> None:
    speller = Speller(["Assignment", "dates", "class"])
    text, starts = speller.repair("x Assignrnent dates in c1ass")
    assert text == "x Assignment dates in class"
    assert [text[s : s + 5] for s in starts] == ["Assig", "class"]


def test_a_catalog_word_with_an_ending_is_not_a_typo() -> None:
    speller = Speller(["error", "cancelled", "posting"])
    assert speller.fix("errors, posting, postings") == "errors, posting, postings"
    assert speller.fix("eror") == "eror"  # four letters: too short to correct safely
    assert speller.fix("postnig") == "posting"


def test_a_short_word_of_a_code_in_upper_case_is_read_through_ocr(matcher: Matcher) -> None:
    (m,) = matcher.match(
        "EXCHANGE_ERR0R_N0N_RETRYABLE - 7gh-2kk-9mm - HTTP resp0nse HTTP/1.1 403 F0rbidden"
    ).matches
    assert dict(m.fields) == {"exchange_id": "7gh-2kk-9mm", "http_status": "403"}
    # in lower case, a part of an id is left as pasted
    (m,) = matcher.match(
        "EXCHANGE_ERROR_NON_RETRYABLE - n0t-4kd-2pq - HTTP response HTTP/1.1 403 Forbidden"
    ).matches
    assert m.fields["exchange_id"] == "n0t-4kd-2pq"
