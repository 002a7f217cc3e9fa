"""An `Answer` as a Slack Block Kit message: `{"text": ..., "blocks": [...]}`.

Blocks are built with `slack_sdk.models.blocks`, whose `to_dict()` checks Slack's per-block
limits; this module keeps every message within the rest (50 blocks, cut text rather than
rejected text). Anything the user pasted goes into `plain_text` objects, escaped, with links
broken: it is never parsed as mrkdwn, so it cannot ping (`<!channel>`), link or format.

Interactive elements (the Slack adapter registers a listener for each):
- `ESCALATE_ACTION_ID`: the "Escalate to support" button. Its `value` is the opaque token that
  `EscalationService.prepare(Draft(...))` returned; pass it back to `escalate(token, ...)`.
- `SHARE_ACTION_ID`: "Share in channel" on an ephemeral reply. Its `value` is the opaque token
  the adapter chose for the answer it will post to the channel.
- `GUIDE_ACTION_ID`: prefix of the guide link buttons (`passback_guide_0_1`: error 0, guide 1)
  and of the "Open in Canvas" button (`passback_guide_0_99`). They open their URL in the
  browser; Slack still sends a `block_actions` event: ack it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    PlainTextObject,
    SectionBlock,
)

from bots.answer import Answer, ErrorAnswer, Fact, Meaning, SuggestionView
from bots.answer_canvas import CanvasFinding
from bots.cards import sentences
from bots.cards.slack_canvas import check_button, status_block
from bots.cards.slack_glance import ESCALATE_ACTION_ID, several_errors
from bots.cards.slack_markup import (
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_CONTEXT_ELEMENTS,
    MAX_ELEMENT_TEXT,
    MAX_FALLBACK_TEXT,
    MAX_SECTION_TEXT,
    MAX_URL,
    slack_escape,
)
from bots.cards.slack_markup import button as _button
from bots.cards.slack_markup import fit as _fit
from bots.cards.slack_markup import header as _header
from bots.cards.slack_markup import mrkdwn as _mrkdwn
from bots.cards.slack_markup import user_text as _user_text
from bots.escalation.model import Case

SHARE_ACTION_ID = "passback_share"
GUIDE_ACTION_ID = "passback_guide"

SHARE_BUTTON = "Share in channel"
HOW_TO_ASK = (
    "*How to ask:* mention me with the error in a channel, type `/passback <error>`, "
    "or send it to me in a direct message."
)
SLACK_LIST_HINT = "Type `/passback list` to see the errors I know."

MAX_FULL_ERRORS = 5  # more errors than this in one paste: the rest are listed by title
MAX_MEANING_SECTIONS = 6
MAX_GUIDES = 5
FACTS_PER_CONTEXT = MAX_CONTEXT_ELEMENTS // 2  # each fact is a label and a value
CANVAS_BUTTON = 99  # the "Open in Canvas" button's number among an error's link buttons


@dataclass(frozen=True, slots=True)
class SlackMessage:
    text: str  # plain fallback for notifications and screen readers
    blocks: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def _fact_blocks(facts: tuple[Fact, ...]) -> list[Block]:
    blocks: list[Block] = []
    for start in range(0, len(facts), FACTS_PER_CONTEXT):
        elements: list[Any] = []
        for fact in facts[start : start + FACTS_PER_CONTEXT]:
            elements.append(_mrkdwn(f"*{fact.label}:*", MAX_ELEMENT_TEXT))
            elements.append(_user_text(" ".join(sentences.fact_value(fact).split())))
        blocks.append(ContextBlock(elements=elements))
    return blocks


def _meaning_text(meaning: Meaning) -> str:
    lines = [f"*{slack_escape(meaning.heading)}*"] if meaning.heading else []
    lines.append(f"*What it means:* {meaning.text}")
    if meaning.steps:
        lines.append("*How to fix:*")
        lines += [f"{n}. {step}" for n, step in enumerate(meaning.steps, 1)]
    return "\n".join(lines)


def _meaning_blocks(meanings: tuple[Meaning, ...]) -> list[Block]:
    texts = [_meaning_text(m) for m in meanings]
    if len(texts) > MAX_MEANING_SECTIONS:  # an overlay with many causes: keep the block count
        texts[MAX_MEANING_SECTIONS - 1 :] = ["\n\n".join(texts[MAX_MEANING_SECTIONS - 1 :])]
    return [SectionBlock(text=_mrkdwn(text)) for text in texts]


def _guide_blocks(error: ErrorAnswer, index: int) -> list[Block]:
    buttons = [
        ButtonElement(
            text=PlainTextObject(text=_fit(r.title, MAX_BUTTON_TEXT), emoji=True),
            url=r.url,
            action_id=f"{GUIDE_ACTION_ID}_{index}_{n}",  # unique in the message
        )
        for n, r in enumerate(error.resources[:MAX_GUIDES])
        if len(r.url) <= MAX_URL  # a URL cannot be cut; one this long is left off
    ]
    return [ActionsBlock(elements=buttons)] if buttons else []


def _canvas_blocks(finding: CanvasFinding, index: int) -> list[Block]:
    """What Canvas showed, above the documented steps. Canvas names (assignments, sections)
    are teachers' text: plain text with links broken, like a paste."""
    section = SectionBlock(text=_user_text(sentences.canvas_note(finding), MAX_SECTION_TEXT))
    if finding.status == "found" and len(finding.open_url) <= MAX_URL:
        section.accessory = ButtonElement(
            text=PlainTextObject(text=sentences.OPEN_IN_CANVAS, emoji=True),
            url=finding.open_url,
            action_id=f"{GUIDE_ACTION_ID}_{index}_{CANVAS_BUTTON}",
        )
    blocks: list[Block] = [section]
    more = sentences.canvas_more_note(finding)
    if more:
        blocks.append(ContextBlock(elements=[_mrkdwn(more, MAX_ELEMENT_TEXT)]))
    return blocks


def _error_blocks(error: ErrorAnswer, index: int) -> list[Block]:
    note = sentences.occurrence_note(error)
    blocks: list[Block] = [_header(f"{error.title} ({note})" if note else error.title)]
    blocks += _fact_blocks(error.facts)
    if error.canvas is not None:
        blocks += _canvas_blocks(error.canvas, index)
    blocks += _meaning_blocks(error.meanings)
    blocks += _guide_blocks(error, index)
    blocks.append(ContextBlock(elements=[_mrkdwn(sentences.escalation_note(error.escalation))]))
    return blocks


def _suggestion_blocks(suggestions: tuple[SuggestionView, ...]) -> list[Block]:
    if not suggestions:
        return []
    lines = [f"*{sentences.SUGGESTIONS_TITLE}*", *(f"• {s.title}" for s in suggestions)]
    blocks: list[Block] = [SectionBlock(text=_mrkdwn("\n".join(lines)))]
    # A note quotes values from the paste ("HTTP status 500, not the documented 422").
    notes = [_user_text(f"{s.title}: {s.note}") for s in suggestions if s.note]
    if notes:
        blocks.append(ContextBlock(elements=notes[:MAX_CONTEXT_ELEMENTS]))
    return blocks


def _errors_body(
    answer: Answer,
    budget: int,
    tokens: str | Mapping[str, str] | None,
    case: Case | None,
    joined: bool,
) -> list[Block]:
    tail = _suggestion_blocks(answer.suggestions)
    if len(answer.errors) > 1:
        return several_errors(answer, tokens, case, joined, _error_blocks, _canvas_blocks) + tail
    budget -= len(tail)
    body: list[Block] = []
    shown = 0
    for index, error in enumerate(answer.errors):
        blocks = ([DividerBlock()] if index else []) + _error_blocks(error, index)
        room_for_more = 1 if index + 1 < len(answer.errors) else 0
        if index >= MAX_FULL_ERRORS or len(body) + len(blocks) + room_for_more > budget:
            break
        body += blocks
        shown += 1
    rest = [e.title for e in answer.errors[shown:]]
    if rest:
        body.append(SectionBlock(text=_mrkdwn(sentences.more_note(rest))))
    return body + tail


def _no_match_body(answer: Answer) -> list[Block]:
    blocks: list[Block] = [_header(sentences.NO_MATCH_TITLE)]
    if answer.excerpt:
        label = _mrkdwn(f"*{sentences.EXCERPT_LABEL}*", MAX_ELEMENT_TEXT)
        blocks.append(ContextBlock(elements=[label, _user_text(answer.excerpt)]))
    blocks += _suggestion_blocks(answer.suggestions)
    if answer.unlisted is None:
        blocks.append(SectionBlock(text=_mrkdwn(sentences.NO_MATCH_HINT)))
        if answer.ask_support:
            blocks.append(ContextBlock(elements=[_mrkdwn(sentences.ASK_SUPPORT_NOTE)]))
        return blocks
    unlisted = answer.unlisted
    blocks.append(SectionBlock(text=_mrkdwn(f"*{unlisted.title}*")))
    blocks += _meaning_blocks(unlisted.meanings)
    blocks += _guide_blocks(unlisted, 0)
    blocks.append(ContextBlock(elements=[_mrkdwn(sentences.escalation_note(unlisted.escalation))]))
    return blocks


def _list_body(answer: Answer) -> list[Block]:
    known = [f"• {title}" for _, title in answer.known]
    listed: list[str] = []
    for n, line in enumerate(known):
        if sum(len(x) + 1 for x in listed) + len(line) > MAX_SECTION_TEXT - 200:
            listed.append(f"… and {len(known) - n} more")
            break
        listed.append(line)
    return [
        _header(sentences.LIST_TITLE),
        SectionBlock(text=_mrkdwn("\n".join(listed))),
        ContextBlock(elements=[_mrkdwn(sentences.LIST_HINT)]),
    ]


def _help_body(answer: Answer) -> list[Block]:
    return [
        _header(sentences.HELP_TITLE),
        SectionBlock(text=_mrkdwn(sentences.HELP_INTRO)),
        SectionBlock(text=_mrkdwn(HOW_TO_ASK)),
        ContextBlock(elements=[_mrkdwn(SLACK_LIST_HINT)]),
    ]


def _tail(
    answer: Answer,
    escalate_token: str | Mapping[str, str] | None,
    share_token: str | None,
    case: Case | None,
    joined: bool,
    check_token: str | None = None,
    canvas_status: str | None = None,
) -> list[Block]:
    blocks: list[Block] = []
    if canvas_status:
        blocks.append(status_block(canvas_status))
    if answer.kind == "errors" and len(answer.errors) > 1:  # each error has its own
        case, escalate_token = None, None
    if case is not None:
        blocks.append(SectionBlock(text=_user_text(sentences.case_note(case, joined))))
    buttons = []
    if answer.escalates and case is None and isinstance(escalate_token, str) and escalate_token:
        buttons.append(
            _button(
                sentences.escalate_button(answer), ESCALATE_ACTION_ID, escalate_token, "primary"
            )
        )
    if check_token and answer.kind == "errors":
        buttons.append(check_button(check_token))
    if share_token:
        buttons.append(_button(SHARE_BUTTON, SHARE_ACTION_ID, share_token))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return blocks


def render_slack_message(
    answer: Answer,
    *,
    escalate_token: str | Mapping[str, str] | None = None,
    share_token: str | None = None,
    case: Case | None = None,
    joined: bool = False,
    check_token: str | None = None,
    canvas_status: str | None = None,
) -> SlackMessage:
    """The message for `answer`, within Slack's limits however long the paste was.

    The Escalate button appears when the answer escalates, no case exists yet and a token is
    given; with `case`, a line with the case reference takes its place ("Already escalated as"
    when `joined`: the click found a case opened before). `check_token` adds "Check in
    Canvas" (the caller decides whether Canvas can check it); `canvas_status` a line above
    the buttons ("Checking Canvas…", or why Canvas added nothing). For several errors,
    `escalate_token` maps each escalating error's entry id to its own token, and `case` is
    shown on its error.
    """
    head: list[Block] = []
    if answer.truncated:
        head.append(ContextBlock(elements=[_mrkdwn(f":warning: {sentences.TRUNCATED_NOTE}")]))
    tail = _tail(answer, escalate_token, share_token, case, joined, check_token, canvas_status)
    if answer.kind == "help":
        body = _help_body(answer)
    elif answer.kind == "list":
        body = _list_body(answer)
    elif answer.kind == "errors":
        budget = MAX_BLOCKS - len(head) - len(tail)
        body = _errors_body(answer, budget, escalate_token, case, joined)
    else:
        body = _no_match_body(answer)
    blocks = [block.to_dict() for block in head + body + tail]  # to_dict() validates
    text = _fit(sentences.summary(answer, case, joined), MAX_FALLBACK_TEXT)
    return SlackMessage(text=text, blocks=blocks)
