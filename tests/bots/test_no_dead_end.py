"""No dead end: whoever asked the bot and got no answer can ask support about it.

The no-match card offers "Ask support about this", an escalation of the text as an unlisted
problem, on Slack and Teams and in `passback card`; help, list, greetings and thanks do not.
"""

from __future__ import annotations

import json

import pytest

from bots.answer import build_answer
from bots.cards.slack import ESCALATE_ACTION_ID, render_slack_message
from bots.cards.teams import ESCALATE_ACTION, render_teams_card
from catalog import Catalog
from matcher import Matcher
from tests.bots.cards.payload_checks import walk
from tests.bots.cli.invoke import run

ASK = "Ask support about this"
NOT_ERRORS = [
    "The printer says PC LOAD LETTER",
    "Grade sync stopped with QUOKKA_A138A2D5_STALL on the district bridge",
    "is the gradebook slow for anyone else?",
]
SMALL_TALK = ["hi", "thanks!", "thank you so much, that fixed it", "Gracias"]


def slack_asks(payload: dict) -> list[str]:
    return [
        b["text"]["text"]
        for b in walk(payload["blocks"])
        if b.get("type") == "button" and b.get("action_id") == ESCALATE_ACTION_ID
    ]


def teams_asks(card: dict) -> list[str]:
    return [
        a["title"] for a in card.get("actions", []) if a["data"].get("action") == ESCALATE_ACTION
    ]


@pytest.mark.parametrize("text", NOT_ERRORS)
def test_an_unrecognised_message_offers_to_ask_support(
    catalog: Catalog, matcher: Matcher, text: str
) -> None:
    answer = build_answer(matcher.match(text), catalog)
    assert (answer.kind, answer.escalates) == ("no_match", True)
    assert slack_asks(render_slack_message(answer, escalate_token="t").to_dict()) == [ASK]
    assert teams_asks(render_teams_card(answer, escalate_token="t")) == [ASK]


@pytest.mark.parametrize("text", SMALL_TALK)
def test_greetings_and_thanks_offer_nothing(catalog: Catalog, matcher: Matcher, text: str) -> None:
    answer = build_answer(matcher.match(text), catalog)
    assert not answer.escalates
    assert slack_asks(render_slack_message(answer, escalate_token="t").to_dict()) == []
    assert teams_asks(render_teams_card(answer, escalate_token="t")) == []


def test_a_known_error_keeps_its_own_button(catalog: Catalog, matcher: Matcher) -> None:
    answer = build_answer(matcher.match("A Kimono Job has timed out and been cancelled."), catalog)
    assert slack_asks(render_slack_message(answer, escalate_token="t").to_dict()) == [
        "Escalate to support"
    ]


@pytest.mark.parametrize("platform", ["slack", "teams"])
def test_passback_card_shows_it(capsys, platform: str) -> None:
    code, out, _ = run(capsys, "card", "--platform", platform, NOT_ERRORS[0])
    assert code == 0
    payload = json.loads(out)
    assert (slack_asks(payload) if platform == "slack" else teams_asks(payload)) == [ASK]
    code, out, _ = run(capsys, "card", "--platform", platform, "help")
    payload = json.loads(out)
    assert (slack_asks(payload) if platform == "slack" else teams_asks(payload)) == []
