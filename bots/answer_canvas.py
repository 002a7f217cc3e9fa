"""What Canvas showed, as part of the answer: per error, the finding and where to fix it.

Platform-neutral, like the rest of the `Answer`: built from a `canvas.diagnoses.Diagnosis` and
the catalog (for the cause's label), read by every renderer. It holds only what a channel may
see: student-level items (which student's score was removed) are counted, never listed; they
belong in a private reply.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from catalog import Catalog

if TYPE_CHECKING:  # the answer view must not import the Canvas client (and aiohttp) to exist
    from bots.answer import Answer
    from canvas.diagnoses import Diagnosis

MAX_LINKS = 5


@dataclass(frozen=True, slots=True)
class CanvasLink:
    title: str  # an assignment or section name: Canvas text, shown as plain text
    url: str


@dataclass(frozen=True, slots=True)
class CanvasFinding:
    entry_id: str
    status: str  # found | clear | not-checkable | not-permitted | error
    summary: str
    cause: str | None  # the catalog cause key
    cause_label: str | None  # "Differentiated due dates", when the entry labels its causes
    course_name: str
    course_url: str
    open_url: str  # "Open in Canvas": the first thing to fix, else the course
    links: tuple[CanvasLink, ...] = ()  # the culprits, at most MAX_LINKS
    more: int = 0  # culprits beyond the links
    private: int = 0  # student-level items, for a private reply only

    @property
    def checked(self) -> bool:
        """Canvas was looked at and answered (found or clear)."""
        return self.status in ("found", "clear")


def canvas_findings(diagnosis: Diagnosis, catalog: Catalog) -> dict[str, CanvasFinding]:
    """The finding of each checked entry, by entry id."""
    course = diagnosis.course
    if course is None:
        return {}
    findings = {}
    for check in diagnosis.checks:
        entry = catalog.get(check.entry_id)
        cause = entry.cause_for(check.cause) if entry and check.cause else None
        public = [i for i in check.items if not i.private]
        culprits = [i for i in public if i.type != "course"] or public
        findings[check.entry_id] = CanvasFinding(
            entry_id=check.entry_id,
            status=check.status,
            summary=check.summary,
            cause=check.cause,
            cause_label=cause.label if cause else None,
            course_name=course.name,
            course_url=course.url,
            open_url=culprits[0].url if culprits else course.url,
            links=tuple(CanvasLink(i.name, i.url) for i in public[:MAX_LINKS]),
            more=max(0, len(public) - MAX_LINKS),
            private=len(check.items) - len(public),
        )
    return findings


def with_canvas(answer: Answer, findings: dict[str, CanvasFinding]) -> Answer:
    """The answer with each error's Canvas finding, above its documented steps."""
    if not findings or not answer.errors:
        return answer
    errors = tuple(replace(e, canvas=findings.get(e.entry_id, e.canvas)) for e in answer.errors)
    return replace(answer, errors=errors)
