"""The answer as plain text for a terminal (`passback ask`)."""

from __future__ import annotations

import textwrap

from bots.answer import Answer, ErrorAnswer

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
    if error.occurrences > 1:
        title += f" (x{error.occurrences})"
    lines = [title, "=" * min(len(title), WIDTH)]
    for meaning in error.meanings:
        if meaning.label:
            lines.append(f"If: {meaning.label}")
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
    offer = error.escalation
    who = "Canvas admins only: " if offer.admin_only else ""
    if offer.button:
        lines += _wrap(f"Escalate: {who}{offer.when} Escalate to {offer.to}.")
    else:
        lines += _wrap(f"Still stuck? {offer.when} Ask {offer.to}.")
    lines.append("")
    return lines


def render_text(answer: Answer) -> str:
    lines: list[str] = []
    if answer.truncated:
        lines += _wrap(
            "Note: your message was very long; only its first 40,000 characters were read."
        )
        lines.append("")
    if answer.kind == "help":
        lines.append("I explain Canvas to Infinite Campus grade passback errors. I know:")
        lines += [f"  - {title} ({entry_id})" for entry_id, title in answer.known]
        lines.append("")
        lines.append(
            'Paste an error after the command, e.g.: passback ask "A Kimono Job has timed out"'
        )
        return "\n".join(lines) + "\n"
    for error in answer.errors:
        lines += _error_lines(error)
    if answer.kind == "no_match":
        lines.append("I don't recognise this as an Infinite Campus grade passback error.")
        lines.append("")
    if answer.suggestions:
        lines.append("Did you mean:")
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
    return "\n".join(lines).rstrip() + "\n"
