"""Several errors in one Slack message, read at a glance.

A first line counts and names them; the first error is shown in full (its facts, causes, fix
and guides); each of the others is one section, its title and what it means, with its own
Escalate button when its fix is to contact support. Each button opens, or joins, the case for
its error alone. Sending one error on its own shows its fix in full.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    SectionBlock,
)

from bots.answer import Answer, ErrorAnswer
from bots.answer_canvas import CanvasFinding
from bots.cards import sentences
from bots.cards.slack_markup import MAX_SECTION_TEXT, button, header, mrkdwn, user_text
from bots.escalation.model import Case

ESCALATE_ACTION_ID = "passback_escalate"  # a card of several: passback_escalate_<n>
MAX_FULL_ERRORS = 5


def escalate_action_id(n: int) -> str:
    """Unique in the message, as Block Kit requires; the listener takes every one of them."""
    return ESCALATE_ACTION_ID if n < 0 else f"{ESCALATE_ACTION_ID}_{n}"


def _token_for(tokens: str | Mapping[str, str] | None, error: ErrorAnswer) -> str | None:
    if tokens is None or isinstance(tokens, str):
        return tokens
    return tokens.get(error.entry_id)


def _escalation(
    error: ErrorAnswer,
    n: int,
    tokens: str | Mapping[str, str] | None,
    case: Case | None,
    joined: bool,
) -> tuple[Block | None, ButtonElement | None]:
    """The case line for the error that was escalated, or its Escalate button, or neither."""
    if case is not None and error.entry_id in case.entry_ids:
        return SectionBlock(text=user_text(sentences.case_note(case, joined))), None
    token = _token_for(tokens, error)
    if error.escalation.button and token:
        return None, button(sentences.ESCALATE_ONE_BUTTON, escalate_action_id(n), token, "primary")
    return None, None


def several_errors(
    answer: Answer,
    tokens: str | Mapping[str, str] | None,
    case: Case | None,
    joined: bool,
    full_error: Callable[[ErrorAnswer, int], list[Block]],
    canvas_blocks: Callable[[CanvasFinding, int], list[Block]] | None = None,
) -> list[Block]:
    """`canvas_blocks`: what Canvas showed for an error after the first (the first shows it in
    full), so a checked card never hides a finding."""
    shown = answer.errors[:MAX_FULL_ERRORS]
    blocks: list[Block] = [
        header(sentences.count_title(answer)),
        SectionBlock(text=mrkdwn(sentences.count_line(answer))),
        DividerBlock(),
        *full_error(shown[0], 0),
    ]
    line, first_button = _escalation(shown[0], 0, tokens, case, joined)
    if line is not None:
        blocks.append(line)
    elif first_button is not None:
        blocks.append(ActionsBlock(elements=[first_button]))
    blocks.append(DividerBlock())
    for n, error in enumerate(shown[1:], 1):
        note = sentences.occurrence_note(error)
        title = f"{error.title} ({note})" if note else error.title
        text = f"*{title}*\n{sentences.glance_meaning(error)}"
        line, accessory = _escalation(error, n, tokens, case, joined)
        blocks.append(SectionBlock(text=mrkdwn(text, MAX_SECTION_TEXT), accessory=accessory))
        if line is not None:
            blocks.append(line)
        if error.canvas is not None and canvas_blocks is not None:
            blocks += canvas_blocks(error.canvas, n)
    hint = sentences.OTHERS_HINT
    rest = [e.title for e in answer.errors[MAX_FULL_ERRORS:]]
    if rest:
        hint = sentences.more_note(rest)
    blocks.append(ContextBlock(elements=[mrkdwn(hint)]))
    return blocks
