"""Reading the bot's Teams cards and clicking Escalate on them, for the Teams tests."""

from __future__ import annotations

from typing import Any

from tests.bots.teams.conftest import Teams
from tests.bots.teams.standin import Call

# A channel @mention the bot answers with a card that offers Escalate.
KIMONO = "<at>Passback</at> A Kimono Job has timed out and been cancelled."


def texts(card: dict[str, Any]) -> str:
    """Every piece of text on a card, in order, for asserting what it says."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return "\n".join(found)


def only_card(call: Call) -> dict[str, Any]:
    (card,) = call.cards
    return card


def escalate_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.Submit on the card, in order: the card's own, and those inside it."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return list(walk(card))


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
