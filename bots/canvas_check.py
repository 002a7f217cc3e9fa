"""An answer with what Canvas shows: diagnose the course a pasted Canvas link (or a pick) names.

Used where a person asks (`passback ask`, and the chat's "Check in Canvas"): the answer is
the catalog's either way; Canvas adds findings when it is configured, the course is known, and
the person may see that course. Any Canvas problem leaves the answer as it was, with one
sentence saying why there is no finding, and an outcome for the metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiohttp

from bots.answer import Answer
from bots.answer_canvas import canvas_findings, with_canvas
from bots.canvas_problems import sentence
from canvas import errors
from canvas.access import Authoriser, canvas_user_id
from canvas.api import CanvasClient
from canvas.diagnoses import Denied, Diagnoser, Suspect
from canvas.diagnoses.run import CHECKS
from canvas.settings import CanvasSettings, open_client
from canvas.urls import CourseRef, CourseRefError, course_in_text, host
from catalog import Catalog
from matcher import MatchResult

MAX_CHOICES = 100  # Slack's static_select holds at most 100 options


@dataclass(frozen=True, slots=True)
class Checked:
    answer: Answer
    note: str | None = None  # why Canvas added nothing, when it was asked and could not
    outcome: str = "none"  # found | clear | not_permitted | canvas_error | none (not asked)


@dataclass(frozen=True, slots=True)
class CourseChoice:
    """One course of the person's, for a menu: Canvas text, shown as plain text."""

    id: str
    name: str
    term: str


@dataclass(frozen=True, slots=True)
class Choices:
    courses: tuple[CourseChoice, ...] = ()
    note: str | None = None  # why there are none, for the person
    failed: bool = False  # Canvas could not answer (rather than: no courses)


def checkable(answer: Answer) -> bool:
    """The answer has an error Canvas can check (the others say Canvas cannot show theirs)."""
    return answer.kind == "errors" and any(e.entry_id in CHECKS for e in answer.errors)


class CanvasChecker:
    """One per server: one client (its rate limits and course cache) and one authoriser (its
    decisions cached for minutes), shared by every check."""

    def __init__(self, settings: CanvasSettings, client: CanvasClient, catalog: Catalog):
        self.settings = settings
        self.client = client
        self.catalog = catalog
        self.authoriser = Authoriser(settings.admins)

    @property
    def host(self) -> str:
        return host(self.settings.url)

    def course_in(self, text: str) -> CourseRef | None:
        """The course a Canvas URL in `text` names; CourseRefError for one on another host."""
        return course_in_text(text, self.settings.url)

    async def check(
        self,
        answer: Answer,
        result: MatchResult,
        ref: CourseRef,
        email: str | None,
        now: datetime | None = None,
    ) -> Checked:
        """`email` None: the operator on the server. Never raises for a Canvas problem."""
        suspects = [Suspect(m.entry_id, dict(m.fields)) for m in result.matches]
        diagnoser = Diagnoser(self.client, self.authoriser)
        try:
            diagnosis = await diagnoser.diagnose(suspects, ref, email, now)
        except Denied as exc:
            return Checked(answer, str(exc), "not_permitted")
        except TimeoutError:
            return Checked(answer, f"Canvas at {self.host} answered too slowly.", "canvas_error")
        except errors.CanvasError as exc:
            return Checked(answer, sentence(exc, self.host), "canvas_error")
        findings = canvas_findings(diagnosis, self.catalog)
        outcome = "found" if any(f.status == "found" for f in findings.values()) else "clear"
        return Checked(with_canvas(answer, findings), None, outcome)

    async def courses_of(self, email: str) -> Choices:
        """The person's active courses where they teach, newest term first, at most 100."""
        reader = self.client.reader()
        try:
            user_id = await canvas_user_id(reader, email)
            courses = await reader.teaching_courses(user_id) if user_id else []
        except errors.CanvasError as exc:
            return Choices(note=sentence(exc, self.host), failed=True)
        if not courses:
            return Choices(
                note="I found no active course where you teach in Canvas. "
                "Paste a link to the course (or the assignment) and check again."
            )
        newest = sorted(
            courses,
            key=lambda c: c.term.start_at.timestamp() if c.term and c.term.start_at else 0.0,
            reverse=True,
        )
        return Choices(
            tuple(
                CourseChoice(c.id, c.name, c.term.name if c.term else "")
                for c in newest[:MAX_CHOICES]
            )
        )


async def check_in_canvas(
    answer: Answer,
    text: str,
    result: MatchResult,
    catalog: Catalog,
    settings: CanvasSettings,
    session: aiohttp.ClientSession,
    email: str | None = None,
    now: datetime | None = None,
) -> Checked:
    """For one question (`passback ask`): the course from a Canvas URL in the raw paste
    (cleaning may touch a URL). `email` None: the operator on the server."""
    if answer.kind != "errors":
        return Checked(answer)
    checker = CanvasChecker(settings, open_client(settings, session), catalog)
    try:
        ref = checker.course_in(text)
    except CourseRefError as exc:
        return Checked(answer, str(exc))
    if ref is None:
        return Checked(answer)
    return await checker.check(answer, result, ref, email, now)
