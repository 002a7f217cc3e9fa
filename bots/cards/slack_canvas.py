"""The Slack pieces of "Check in Canvas": the button, the status line and the course menu.

- `CHECK_ACTION_ID`: the "Check in Canvas" button next to Escalate; its `value` is the card's
  draft token (the paste is found again through it).
- `COURSE_ACTION_ID`: the `static_select` of the person's courses, in an ephemeral message;
  each option's `value` is a Canvas course id, the block's `block_id` carries the draft token
  (`passback_canvas_course:<token>`). At most 100 options (Slack's limit), labels cut to 75.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)

from bots.cards import sentences
from bots.cards.fit import clip
from bots.cards.slack_text import fit

if TYPE_CHECKING:  # rendering a card must not load the Canvas client
    from bots.canvas_check import CourseChoice

CHECK_ACTION_ID = "passback_canvas_check"
COURSE_ACTION_ID = "passback_canvas_course"
COURSE_BLOCK_PREFIX = "passback_canvas_course:"
CHECK_BUTTON = "Check in Canvas"
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
PASTE_HINT = "Or paste a link to the course (or the assignment) with the error, and check again."


def check_button(token: str) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=CHECK_BUTTON, emoji=True), action_id=CHECK_ACTION_ID, value=token
    )


def status_block(text: str) -> Block:
    """ "Checking Canvas…", or why there is no finding: our words, plain text."""
    return ContextBlock(elements=[PlainTextObject(text=fit(text, 2000), emoji=True)])


def _label(course: CourseChoice) -> str:
    label = f"{course.name} ({course.term})" if course.term else course.name
    label = " ".join(sentences.defang_links(label).split()) or course.id
    return clip(label, MAX_OPTION_TEXT)


def course_menu(token: str, courses: tuple[CourseChoice, ...], prompt: str) -> dict[str, Any]:
    """An ephemeral message: which course to check, and the paste-a-link hint."""
    options = [
        Option(value=c.id, text=PlainTextObject(text=_label(c), emoji=False))
        for c in courses[:MAX_OPTIONS]
    ]
    blocks: list[Block] = [
        SectionBlock(text=PlainTextObject(text=prompt, emoji=True)),
        ActionsBlock(
            block_id=f"{COURSE_BLOCK_PREFIX}{token}",
            elements=[
                StaticSelectElement(
                    action_id=COURSE_ACTION_ID,
                    placeholder=PlainTextObject(text="Choose a course", emoji=True),
                    options=options,
                )
            ],
        ),
        ContextBlock(elements=[PlainTextObject(text=PASTE_HINT, emoji=True)]),
    ]
    return {"text": prompt, "blocks": [b.to_dict() for b in blocks]}
