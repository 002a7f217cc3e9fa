"""The answer as plain text for a terminal (`passback ask`), in the cards' own words."""

from __future__ import annotations

import textwrap

from bots.answer import Answer, ErrorAnswer
from bots.answer_canvas import CanvasFinding
from bots.cards.sentences import (
    ASK_SUPPORT_NOTE,
    HELP_INTRO,
    HELP_KNOWN,
    LIST_HINT,
    NO_MATCH_TITLE,
    OPEN_IN_CANVAS,
    SUGGESTIONS_TITLE,
    TRUNCATED_NOTE,
    canvas_more_note,
    canvas_note,
    escalation_note,
    occurrence_note,
)

WIDTH = 88


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [first or indent]


def _error_lines(error: ErrorAnswer) -> list[str]:
    title = error.title
    note = occurrence_note(error)
    if note:
        title += f" ({note})"
    lines = [title, "=" * min(len(title), WIDTH)]
    if error.canvas is not None:
        lines += _canvas_lines(error.canvas)
    for meaning in error.meanings:
        if meaning.heading:
            lines.append(meaning.heading)
        lines += _wrap(f"What it means: {meaning.text}")
        lines.append("How to fix:")
        for number, step in enumerate(meaning.steps, 1):
            lines += _wrap(step, indent="     ", first=f"  {number}. ")
        lines.append("")
    if error.facts:
        lines.append("From your message:")
        lines += [f"  {fact.label}: {fact.value}" for fact in error.facts]
        lines.append("")
    if error.resources:
        lines.append("Guides:")
        lines += [f"  - {r.title}: {r.url}" for r in error.resources]
        lines.append("")
    lines += _wrap(escalation_note(error.escalation))
    lines.append("")
    return lines


def _canvas_lines(finding: CanvasFinding) -> list[str]:
    lines = _wrap(canvas_note(finding))
    if finding.status == "found":
        lines.append(f"  {OPEN_IN_CANVAS}: {finding.open_url}")
        lines += [f"  - {x.title}: {x.url}" for x in finding.links if x.url != finding.open_url]
    more = canvas_more_note(finding)
    if more:
        lines += _wrap(more, indent="  ")
    lines.append("")
    return lines


def render_text(answer: Answer) -> str:
    lines: list[str] = []
    if answer.truncated:
        lines += [*_wrap(f"Note: {TRUNCATED_NOTE}"), ""]
    if answer.kind in ("help", "list"):
        # In a terminal help also names what it knows (no `list` button to point to); `list`
        # is the errors alone.
        if answer.kind == "help":
            lines += [*_wrap(HELP_INTRO), ""]
        lines.append(HELP_KNOWN)
        lines += [f"  - {title} ({entry_id})" for entry_id, title in answer.known]
        lines.append("")
        if answer.kind == "help":
            lines.append('Try: passback ask "A Kimono Job has timed out and been cancelled."')
        else:
            lines += _wrap(LIST_HINT)
        return "\n".join(lines) + "\n"
    for error in answer.errors:
        lines += _error_lines(error)
    if answer.kind == "no_match":
        lines += [f"{NO_MATCH_TITLE}.", ""]
    if answer.suggestions:
        lines.append(SUGGESTIONS_TITLE)
        for s in answer.suggestions:
            lines.append(f"  - {s.title} ({s.entry_id})" + (f": {s.note}" if s.note else ""))
        lines.append("")
    if answer.unlisted is not None:
        lines += _error_lines(answer.unlisted)
    elif answer.kind == "no_match":
        lines += _wrap(
            "Paste the full error text exactly as Canvas shows it, or run "
            "`passback catalog list` to see the errors I know."
        )
        if answer.ask_support:
            lines += _wrap(ASK_SUPPORT_NOTE)
    return "\n".join(lines).rstrip() + "\n"
