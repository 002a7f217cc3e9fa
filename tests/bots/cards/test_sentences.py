from __future__ import annotations

import dataclasses

from bots.answer import Answer, ErrorAnswer, EscalationOffer, Fact, Meaning
from bots.cards import sentences
from bots.cards.fit import clip
from tests.bots.cards.samples import make_case


def _error(occurrences: int, facts: tuple[Fact, ...] = ()) -> ErrorAnswer:
    return ErrorAnswer(
        entry_id="e",
        title="Some Error",
        meanings=(Meaning(text="It broke.", steps=("Fix it.",)),),
        resources=(),
        facts=facts,
        occurrences=occurrences,
        confidence=1.0,
        escalation=EscalationOffer(
            to="your admins", when="If it comes back.", admin_only=False, button=False
        ),
    )


def test_occurrences_are_counted_in_students_when_each_is_a_student() -> None:
    students = Fact(label="Learner", value="s1, s2", field="learner", count=30, student=True)
    assert sentences.occurrence_note(_error(1, (students,))) is None
    assert sentences.occurrence_note(_error(30, (students,))) == "for 30 students"
    assert sentences.occurrence_note(_error(40, (students,))) == "40 times, for 30 students"
    job = Fact(label="Job id", value="a", field="export_id", count=3)
    assert sentences.occurrence_note(_error(3, (job,))) == "3 times"
    # The catalog's flag decides, not the field's name.
    unflagged = Fact(label="Student result", value="s1", field="result_sourced_id", count=3)
    assert sentences.occurrence_note(_error(3, (unflagged,))) == "3 times"


def test_escalation_note_reads_as_one_sentence() -> None:
    offer = EscalationOffer(
        to="the Canvas SIS Support Team",
        when="If the error continues after a re-sync.",
        admin_only=False,
        button=True,
    )
    assert sentences.escalation_note(offer) == (
        "Still stuck? If the error continues after a re-sync, "
        "escalate to the Canvas SIS Support Team."
    )
    ask = dataclasses.replace(offer, to="your district's Canvas admins", button=False)
    assert sentences.escalation_note(ask).endswith(", ask your district's Canvas admins.")
    always = dataclasses.replace(offer, when="Always.", admin_only=True)
    assert sentences.escalation_note(always) == (
        "Still stuck? Always. Escalate to the Canvas SIS Support Team. "
        "Only Canvas admins can do this."
    )


def test_case_note_counts_reporters() -> None:
    assert (
        sentences.case_note(make_case("PB-9", 1))
        == "Escalated as PB-9 · 1 person reported it · open"
    )
    assert (
        sentences.case_note(make_case("PB-9", 4))
        == "Escalated as PB-9 · 4 people reported it · open"
    )


def test_more_note_lists_titles() -> None:
    assert sentences.more_note(["A"]) == "And 1 more: A. Send it on its own to see the fix."
    assert (
        sentences.more_note(["A", "B"])
        == "And 2 more: A, B. Send one of them on its own to see the fix."
    )


def test_summary_never_quotes_the_paste() -> None:
    hostile = Fact(label="Student result", value="<!channel>", field="result_sourced_id")
    answer = Answer(kind="errors", errors=(_error(2, (hostile,)),), excerpt="<!channel>")
    assert sentences.summary(answer) == "Some Error (2 times): It broke."


def test_clip_cuts_with_an_ellipsis_within_the_limit() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcdef", 4) == "abc…"
    assert len(clip("x" * 10_000, 3000)) == 3000


def test_defang_breaks_links_but_not_ids() -> None:
    for link in (
        "https://evil.example/x",
        "www.evil.com",
        "user@evil.com",
        "mailto:a@b.co",
        "//host/x",
        "a+b.org",
    ):
        broken = sentences.defang_links(link)
        assert broken != link
        assert "//" not in broken and ".com" not in broken and ".org" not in broken
        assert broken.replace("\u2060", "").replace("\u2024", ".") == link
    for value in ("s842620", "fv5-v10-zze", "2023.S1.12345", "HTTP/1.1 403", "r0t09u", "1.5"):
        assert sentences.defang_links(value) == value
