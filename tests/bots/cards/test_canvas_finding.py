"""What Canvas showed, in every renderer: above the steps, with Open in Canvas, nothing private."""

from __future__ import annotations

import json
import re

from bots.answer import Answer
from bots.answer_canvas import canvas_findings, with_canvas
from bots.cards.slack import GUIDE_ACTION_ID, render_slack_message
from bots.cards.teams import render_teams_card
from bots.cards.text import render_text
from canvas.diagnoses import Check, CourseInfo, Diagnosis, Item
from catalog import Catalog
from matcher import Matcher
from tests.bots.cards.payload_checks import slack_problems, teams_problems, walk
from tests.bots.cards.samples import PASTES, answer_for

BASE = "https://district.instructure.com/courses/101"
LAB5 = Item("assignment", "3", "Lab 5", f"{BASE}/assignments/3/edit")
FOUND = Check(
    "unable-to-process-score",
    "differentiated-due-dates",
    "found",
    "'Lab 5' has due dates for Period 1 and Period 2 and no Everyone-else date.",
    (LAB5,),
)
REMOVED = Check(
    "put-oneroster",
    "score-removed",
    "found",
    "1 score removed in the last 30 days on 'Lab 1'.",
    (
        Item("course", "101", "Gradebook history", f"{BASE}/gradebook/history"),
        Item("submission", "1-511", "Lab 1: score removed", f"{BASE}/speed?student_id=511", True),
    ),
)


def _answer(catalog: Catalog, matcher: Matcher, check: Check) -> Answer:
    answer = answer_for(matcher, catalog, PASTES["canonical"][check.entry_id])
    diagnosis = Diagnosis(CourseInfo("101", "Chemistry", BASE), (check,))
    return with_canvas(answer, canvas_findings(diagnosis, catalog))


def test_the_finding_and_its_cause_label_join_the_answer(
    catalog: Catalog, matcher: Matcher
) -> None:
    (error,) = _answer(catalog, matcher, FOUND).errors
    assert error.canvas is not None
    assert error.canvas.cause_label == "Differentiated due dates"
    assert error.canvas.open_url == LAB5.url


def test_terminal_shows_it_above_the_steps(catalog: Catalog, matcher: Matcher) -> None:
    text = render_text(_answer(catalog, matcher, FOUND))
    assert text.index("Checked in Canvas: 'Lab 5' has due dates") < text.index("How to fix:")
    assert f"  Open in Canvas: {LAB5.url}" in text


def test_slack_shows_it_above_the_steps_with_an_open_in_canvas_button(
    catalog: Catalog, matcher: Matcher
) -> None:
    payload = render_slack_message(_answer(catalog, matcher, FOUND)).to_dict()
    assert slack_problems(payload) == []
    raw = json.dumps(payload)
    assert raw.index("Checked in Canvas") < raw.index("How to fix")
    buttons = [d for d in walk(payload["blocks"]) if d.get("type") == "button"]
    (button,) = [b for b in buttons if b["text"]["text"] == "Open in Canvas"]
    assert button["url"] == LAB5.url
    assert re.fullmatch(rf"{GUIDE_ACTION_ID}_[0-9_]+", button["action_id"])  # acked listener


def test_teams_shows_it_above_the_steps_with_an_open_in_canvas_action(
    catalog: Catalog, matcher: Matcher
) -> None:
    card = render_teams_card(_answer(catalog, matcher, FOUND))
    assert teams_problems(card) == []
    raw = json.dumps(card)
    assert raw.index("Checked in Canvas") < raw.index("How to fix")
    assert {"type": "Action.OpenUrl", "title": "Open in Canvas", "url": LAB5.url} in list(
        walk(card)
    )


def test_student_level_items_are_counted_never_shown(catalog: Catalog, matcher: Matcher) -> None:
    answer = _answer(catalog, matcher, REMOVED)
    for shown in (
        render_text(answer),
        json.dumps(render_slack_message(answer).to_dict()),
        json.dumps(render_teams_card(answer)),
    ):
        assert "student_id=511" not in shown and "1-511" not in shown
        assert "1 student-level detail only in a private reply" in shown
        assert f"{BASE}/gradebook/history" in shown


def test_without_canvas_the_answer_is_as_before(catalog: Catalog, matcher: Matcher) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["unable-to-process-score"])
    assert "Checked in Canvas" not in render_text(answer)
    assert with_canvas(answer, {}) is answer
