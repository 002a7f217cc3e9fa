"""Reading the bot's Slack messages: buttons, blocks, text, the support channel's posts."""

from __future__ import annotations

import json
from typing import Any

from tests.bots.slack.harness import SUPPORT_CHANNEL
from tests.bots.slack.standin import SlackStandIn


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """action_id -> value of every button in the message (in actions blocks and accessories)."""
    found = {}
    for block in message.get("blocks", []):
        elements = block.get("elements", []) if block.get("type") == "actions" else []
        accessory = block.get("accessory")
        for element in [*elements, *([accessory] if accessory else [])]:
            found[element["action_id"]] = element.get("value", "")
    return found


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


def texts(message: dict[str, Any]) -> str:
    return message.get("text", "") + json.dumps(message.get("blocks", []), ensure_ascii=False)


def support_posts(standin: SlackStandIn) -> list[dict[str, Any]]:
    return [a for a in standin.sent("chat.postMessage") if a.get("channel") == SUPPORT_CHANNEL]
