"""Reading the bot's Teams cards and clicking Escalate on them, for the Teams tests."""

from __future__ import annotations

from typing import Any

from tests.bots.cards.payload_checks import walk
from tests.bots.teams.conftest import Teams
from tests.bots.teams.standin import Call

# A channel @mention the bot answers with a card that offers Escalate.
KIMONO = "<at>Passback</at> A Kimono Job has timed out and been cancelled."


def texts(card: dict[str, Any]) -> str:
    """Every piece of text on a card, in order, for asserting what it says."""
    found = [
        node[key]
        for node in walk(card)
        for key in ("text", "title", "value")
        if isinstance(node.get(key), str)
    ]
    return "\n".join(found)


def only_card(call: Call) -> dict[str, Any]:
    (card,) = call.cards
    return card


def escalate_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.Submit on the card, in order: the card's own, and those inside it."""
    return [node for node in walk(card) if node.get("type") == "Action.Submit"]


async def card_reply(teams: Teams, name: str) -> tuple[str, str]:
    """Ask; the escalate token on the answer card and the id Teams gave the card's message."""
    before = len(teams.connector.calls)
    await teams.send(name)
    (call,) = teams.connector.calls[before:]
    (button,) = escalate_actions(only_card(call))
    return button["data"]["token"], call.created_id


def submit(teams: Teams, token: str, card_id: str, click_id: str) -> dict[str, Any]:
    return teams.activity(
        "submit_escalate",
        id=click_id,
        replyToId=card_id,
        value={"action": "passback.escalate", "token": token},
    )
