"""What every card must satisfy, checked the way the platforms would check it.

Slack: each block is parsed back with `slack_sdk.models.blocks` and validated (the SDK's copy of
Slack's limits), plus the message-level limits the SDK does not know (50 blocks, unique action
ids). Teams: the Adaptive Card 1.5 JSON schema with jsonschema's Draft 6 validator.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator
from jsonschema.exceptions import best_match
from markdown_it import MarkdownIt
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

SCHEMA_PATH = Path(__file__).parents[2] / "data" / "adaptive-card-1.5.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft6Validator(SCHEMA, format_checker=Draft6Validator.FORMAT_CHECKER)

# CommonMark plus GFM tables, strikethrough and linkify (bare URLs, www., domains), raw HTML on:
# stricter than any Adaptive Card host, so text that stays literal here stays literal there.
MARKDOWN = MarkdownIt("gfm-like", {"html": True, "linkify": True})

LIMITS = {"blocks": 50, "section": 3000, "header": 150, "button": 75, "value": 2000, "url": 3000}


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON tree, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def text_objects(payload: dict[str, Any], kind: str) -> list[str]:
    return [d["text"] for d in walk(payload["blocks"]) if d.get("type") == kind and "text" in d]


def slack_problems(payload: dict[str, Any]) -> list[str]:
    """Why Slack would reject (or cut) this message; empty when it is fine."""
    problems = []
    if set(payload) != {"text", "blocks"}:
        problems.append(f"keys {sorted(payload)}")
    if not payload.get("text", "").strip():
        problems.append("empty fallback text")
    blocks = payload["blocks"]
    if len(blocks) > LIMITS["blocks"]:
        problems.append(f"{len(blocks)} blocks")
    for d in blocks:
        block = Block.parse(d)
        try:
            if block is None or block.to_dict() != d:  # to_dict() validates first
                problems.append(f"{d.get('type')} does not round-trip through slack_sdk")
        except SlackObjectFormationError as exc:
            problems.append(f"{d.get('type')}: {exc}")
        if d["type"] == "section" and len(d["text"]["text"]) > LIMITS["section"]:
            problems.append(f"section text of {len(d['text']['text'])}")
        if d["type"] == "header" and len(d["text"]["text"]) > LIMITS["header"]:
            problems.append(f"header text of {len(d['text']['text'])}")
        if d["type"] == "context" and len(d["elements"]) > 10:
            problems.append(f"context with {len(d['elements'])} elements")
    action_ids = []
    for d in walk(blocks):
        if d.get("type") in ("plain_text", "mrkdwn") and not d["text"].strip():
            problems.append("an empty text object")
        if d.get("type") == "button":
            action_ids.append(d["action_id"])
            if len(d["text"]["text"]) > LIMITS["button"]:
                problems.append(f"button text of {len(d['text']['text'])}")
            if len(d.get("value", "")) > LIMITS["value"]:
                problems.append(f"button value of {len(d['value'])}")
            if len(d.get("url", "")) > LIMITS["url"]:
                problems.append(f"button url of {len(d['url'])}")
    if len(action_ids) != len(set(action_ids)):
        problems.append(f"repeated action ids {action_ids}")
    return problems


def _without_msteams(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_msteams(v) for k, v in node.items() if k != "msteams"}
    if isinstance(node, list):
        return [_without_msteams(v) for v in node]
    return node


def teams_problems(card: dict[str, Any]) -> list[str]:
    """Schema errors of the card (the Teams-only `msteams` property removed first)."""
    stripped = _without_msteams(card)
    problems = []
    errors = list(VALIDATOR.iter_errors(stripped))
    if errors:  # the schema nests anyOf; best_match digs out the error that explains it
        best = best_match(errors)
        problems.append(f"{'/'.join(map(str, best.absolute_path))}: {best.message[:300]}")
    if card.get("type") != "AdaptiveCard" or card.get("version") != "1.5":
        problems.append("not an Adaptive Card 1.5")
    if not card.get("fallbackText", "").strip():
        problems.append("no fallbackText")
    for d in walk(card):
        if d.get("type") == "TextBlock" and d.get("wrap") is not True:
            problems.append(f"TextBlock without wrap: {d['text'][:40]!r}")
    return problems


_TAG = re.compile(r"<[^>]+>")


def markdown_html(text: str) -> str:
    return MARKDOWN.render(text)


def markdown_visible_text(text: str) -> str:
    """What a reader sees of `text` rendered as markdown: tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", markdown_html(text)))


def markdown_tags(text: str) -> set[str]:
    return {m.group(0).split()[0].strip("</>") for m in _TAG.finditer(markdown_html(text))}
