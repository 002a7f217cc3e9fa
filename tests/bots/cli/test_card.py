"""`passback card`: the exact payload the bot would send, valid for its platform."""

from __future__ import annotations

import json

import pytest

from bots.cards.slack import ESCALATE_ACTION_ID
from tests.bots.cards.payload_checks import slack_problems, teams_problems, walk
from tests.bots.cli.invoke import run

KIMONO = "A Kimono Job has timed out and been cancelled."


def test_slack_card_is_the_message_payload(capsys) -> None:
    code, out, _ = run(capsys, "card", "--platform", "slack", KIMONO)
    assert code == 0
    payload = json.loads(out)
    assert slack_problems(payload) == []
    assert payload["blocks"][0]["text"]["text"] == "Kimono Job Error"
    [button] = [d for d in walk(payload) if d.get("action_id") == ESCALATE_ACTION_ID]
    assert button["value"] == "preview"


def test_teams_card_is_a_valid_adaptive_card(capsys) -> None:
    code, out, _ = run(capsys, "card", "--platform", "teams", KIMONO)
    assert code == 0
    card = json.loads(out)
    assert teams_problems(card) == []
    assert card["actions"][0]["data"] == {"action": "passback.escalate", "token": "preview"}


@pytest.mark.parametrize("platform", ["slack", "teams"])
def test_escalated_shows_the_case_reference_instead_of_the_button(capsys, platform) -> None:
    code, out, _ = run(capsys, "card", "--platform", platform, "--escalated", "PB-1", KIMONO)
    assert code == 0
    assert "Escalated as PB-1 · 1 person reported it · open" in out
    assert "preview" not in out  # no escalate button or action


def test_help_gives_the_help_card(capsys) -> None:
    code, out, _ = run(capsys, "card", "--platform", "slack", "help")
    assert code == 0
    assert json.loads(out)["blocks"][0]["text"]["text"] == "Grade passback errors, explained"


@pytest.mark.parametrize("platform", ["slack", "teams"])
def test_list_gives_the_list_card_the_bot_sends_for_list(capsys, platform) -> None:
    """`list` in chat answers with the errors the bot knows; the preview is that card."""
    code, out, _ = run(capsys, "card", "--platform", platform, "list")
    assert code == 0
    assert "The errors I know" in out and "Kimono Job Error" in out
    assert "Grade passback errors, explained" not in out


def test_text_on_standard_input(capsys) -> None:
    code, out, _ = run(capsys, "card", "--platform", "teams", stdin=KIMONO)
    assert code == 0
    assert json.loads(out)["body"][0]["items"][0]["text"] == "Kimono Job Error"


def test_empty_standard_input_gives_the_help_card(capsys) -> None:
    code, out, _ = run(capsys, "card", "--platform", "teams", stdin="")
    assert code == 0
    assert json.loads(out)["body"][0]["text"] == "Grade passback errors, explained"


def test_usage_errors_exit_2_with_a_sentence(capsys) -> None:
    code, _, err = run(capsys, "card", "--platform", "teams", "--escalated", "<!channel>", KIMONO)
    assert code == 2
    assert "--escalated takes a case reference like PB-1042" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "card", "--platform", "email", KIMONO)
    assert code == 2 and "invalid choice" in err
    code, _, err = run(capsys, "card", KIMONO)
    assert code == 2 and "--platform" in err
