"""The Teams pieces of "Check in Canvas": the button, the status line and the course menu.

- `CHECK_ACTION`: the "Check in Canvas" button next to Escalate, an `Action.Submit` whose `data`
  is `{"action": CHECK_ACTION, "token": <the card's draft token>}` (the paste is found again
  through it).
- `COURSE_ACTION`: the menu of the person's courses, an `Input.ChoiceSet` (`id` COURSE_INPUT,
  each choice's `value` a Canvas course id) and an `Action.Submit` "Check this course" whose
  `data` is `{"action": COURSE_ACTION, "token": ...}`; Teams adds the picked value under
  COURSE_INPUT. At most 100 choices, labels cut to 75 characters, as on Slack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bots.cards import sentences
from bots.cards.fit import clip
from bots.cards.teams_markup import adaptive_escape, text_block

if TYPE_CHECKING:  # rendering a card must not load the Canvas client
    from bots.canvas_check import CourseChoice

CHECK_ACTION = "passback.canvas_check"
COURSE_ACTION = "passback.canvas_course"
COURSE_INPUT = "passback_course"
CHECK_BUTTON = "Check in Canvas"
PICK_BUTTON = "Check this course"
MAX_CHOICES = 100
MAX_CHOICE_TEXT = 75
PASTE_HINT = "Or paste a link to the course (or the assignment) with the error, and check again."


def check_action(token: str) -> dict[str, Any]:
    return {
        "type": "Action.Submit",
        "title": CHECK_BUTTON,
        "data": {"action": CHECK_ACTION, "token": token},
    }


def status_items(text: str) -> list[dict[str, Any]]:
    """ "Checking Canvas…", or why there is no finding: our words (a Canvas host at most)."""
    return [text_block(adaptive_escape(text), isSubtle=True, separator=True, spacing="medium")]


def _label(course: CourseChoice) -> str:
    label = f"{course.name} ({course.term})" if course.term else course.name
    label = " ".join(sentences.defang_links(label).split()) or course.id
    return clip(label, MAX_CHOICE_TEXT)


def course_menu_items(
    token: str, courses: tuple[CourseChoice, ...], prompt: str
) -> list[dict[str, Any]]:
    """Which course to check (Canvas names, plain text in a choice), and the paste-a-link hint."""
    choices = [{"title": _label(c), "value": c.id} for c in courses[:MAX_CHOICES]]
    menu = {
        "type": "Input.ChoiceSet",
        "id": COURSE_INPUT,
        "label": "Course",
        "style": "compact",
        "isRequired": True,
        "errorMessage": "Choose a course first.",
        "placeholder": "Choose a course",
        "choices": choices,
        "value": choices[0]["value"] if len(choices) == 1 else None,
    }
    if menu["value"] is None:
        del menu["value"]
    pick = {
        "type": "Action.Submit",
        "title": PICK_BUTTON,
        "data": {"action": COURSE_ACTION, "token": token},
    }
    return [
        text_block(f"**{adaptive_escape(prompt)}**", separator=True, spacing="medium"),
        menu,
        {"type": "ActionSet", "actions": [pick]},
        text_block(PASTE_HINT, isSubtle=True, spacing="small"),
    ]
