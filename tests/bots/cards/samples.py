"""Answers of every kind the cards must handle, built from real pastes and from edge cases."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bots.answer import (
    Answer,
    ErrorAnswer,
    EscalationOffer,
    Fact,
    Meaning,
    SuggestionView,
    build_answer,
    error_answer,
    help_answer,
    list_answer,
)
from bots.answer_canvas import CanvasFinding
from bots.escalation.model import Case, Origin, Reporter, Status
from catalog import Catalog, Resource
from matcher import MAX_CHARS, Matcher

PASTES: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "cards" / "pastes.json").read_text(encoding="utf-8")
)
HOSTILE: list[str] = PASTES["hostile"]


def multi_paste(count: int = 40) -> str:
    """`count` errors in one paste: every documented message, with different values."""
    templates = PASTES["multi_templates"]
    return "\n".join(templates[i % len(templates)].format(n=1000 + i) for i in range(count))


def long_paste() -> str:
    """A paste longer than the matcher reads, with an error at the start."""
    head = PASTES["canonical"]["kimono-job"] + "\n"
    filler = "Sync log line: nothing to report for this section.\n"
    return head + filler * (MAX_CHARS // len(filler) + 100)


def answer_for(matcher: Matcher, catalog: Catalog, text: str) -> Answer:
    return build_answer(matcher.match(text), catalog)


def make_case(reference: str = "PB-1042", reporters: int = 3) -> Case:
    now = datetime(2024, 9, 3, 14, 0, tzinfo=UTC)
    return Case(
        reference=reference,
        entry_ids=("kimono-job",),
        text="A Kimono Job has timed out and been cancelled.",
        fields={},
        origin=Origin(platform="slack", workspace="T1", channel="C1"),
        reporters=tuple(Reporter(user_id=f"U{n}") for n in range(reporters)),
        status=Status.OPEN,
        created_at=now,
        updated_at=now,
    )


def hostile_answer(value: str) -> Answer:
    """An answer whose every user-derived part is `value`: facts, a note, the excerpt, and
    what Canvas showed (assignment names are teachers' text)."""
    error = ErrorAnswer(
        entry_id="put-oneroster",
        title="PUT for OneRoster Error",
        meanings=(Meaning(text="The sync includes an assignment with no score.", steps=("A",)),),
        resources=(),
        facts=(
            Fact(label="Student result", value=value, field="result_sourced_id"),
            Fact(label="Description", value=f"{value} and {value}", field="description"),
        ),
        occurrences=1,
        confidence=1.0,
        escalation=EscalationOffer(
            to="the Canvas SIS Support Team", when="Always.", admin_only=False, button=True
        ),
        canvas=CanvasFinding(
            entry_id="put-oneroster",
            status="clear",
            summary=f"No score on '{value}' was removed.",
            cause=None,
            cause_label=None,
            course_name=value,
            course_url="https://community.canvaslms.com/courses/1",
            open_url="https://community.canvaslms.com/courses/1",
        ),
    )
    note = f"HTTP status {value}, not the documented 422"
    return Answer(
        kind="errors",
        errors=(error,),
        suggestions=(SuggestionView(entry_id="exchange", title="Exchange Error", note=note),),
        excerpt=value,
    )


def hostile_no_match(value: str, catalog: Catalog) -> Answer:
    unlisted = error_answer(catalog, catalog.unlisted)
    note = f"OneRoster code {value}, not the documented INVALID DATA"
    return Answer(
        kind="no_match",
        suggestions=(
            SuggestionView(entry_id="put-oneroster", title="PUT for OneRoster Error", note=note),
        ),
        unlisted=unlisted,
        excerpt=f"Error: {value}\nsecond line {value}",
    )


def oversized_answer(errors: int = 60) -> Answer:
    """Everything too big at once: long titles, values, steps, many causes, guides and facts."""
    huge = "x" * 40_000
    error = ErrorAnswer(
        entry_id="big",
        title="T" * 400,
        meanings=tuple(
            Meaning(text="m" * 5000, steps=tuple("s" * 900 for _ in range(8)), label="L" * 300)
            for _ in range(20)
        ),
        resources=(
            *(Resource(title="R" * 300, url=f"https://example.org/{n}") for n in range(30)),
            Resource(title="too long", url="https://example.org/" + "u" * 3000),
        ),
        facts=tuple(
            Fact(label=f"Field {n}", value=huge + "&<>" * 1000, field=f"f{n}") for n in range(12)
        ),
        occurrences=30,
        confidence=1.0,
        escalation=EscalationOffer(to="t" * 3000, when="w" * 3000, admin_only=True, button=True),
    )
    return Answer(
        kind="errors",
        errors=(error,) * errors,
        suggestions=tuple(
            SuggestionView(entry_id=f"s{n}", title="S" * 200, note="n" * 3000) for n in range(20)
        ),
        excerpt="e" * 500,
        truncated=True,
    )


def every_answer(catalog: Catalog, matcher: Matcher) -> dict[str, Answer]:
    """Every kind of answer the cards must handle, by name."""
    answers = {
        f"entry:{entry_id}": answer_for(matcher, catalog, text)
        for entry_id, text in PASTES["canonical"].items()
    }
    answers["multi-40"] = answer_for(matcher, catalog, multi_paste())
    answers["no-match-unlisted"] = answer_for(matcher, catalog, PASTES["unlisted_with_suggestions"])
    answers["no-match-negative"] = answer_for(matcher, catalog, PASTES["negative"])
    answers["help"] = help_answer(catalog)
    answers["list"] = list_answer(catalog)
    answers["long-paste"] = answer_for(matcher, catalog, long_paste())
    answers["oversized"] = oversized_answer()
    for n, value in enumerate(HOSTILE):
        answers[f"hostile-{n}"] = hostile_answer(value)
        answers[f"hostile-no-match-{n}"] = hostile_no_match(value, catalog)
    return answers


def answer_names() -> list[str]:
    """The keys of `every_answer`, known before the catalog is loaded (for parametrize)."""
    names = [f"entry:{entry_id}" for entry_id in PASTES["canonical"]]
    names += ["multi-40", "no-match-unlisted", "no-match-negative", "help", "list"]
    names += ["long-paste"]
    names += ["oversized"]
    for n in range(len(HOSTILE)):
        names += [f"hostile-{n}", f"hostile-no-match-{n}"]
    return names
