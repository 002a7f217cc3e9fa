"""Date shapes of an assignment, and how to say dates and lists in a sentence. Pure.

Grade passback needs an "Everyone" (or "Everyone else") due date: dates for some sections
only, for single students, or set on a module's Assign To leave students without a date the
integration can send (Canvas's instructor troubleshooting guide; design note §3.9).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from canvas.assignments import Assignment
from canvas.models import Section


@dataclass(frozen=True, slots=True)
class DateProblem:
    cause: str  # no-due-date | differentiated-due-dates | student-dates | module-dates
    sentence: str


def date_problem(a: Assignment, sections: Sequence[Section]) -> DateProblem | None:
    """The first documented date problem of `a`, or None when passback can use its dates."""
    overrides = a.overrides or ()
    name = quoted(a.name)
    if a.due_at is None and not overrides:
        return DateProblem("no-due-date", f"{name} has no due date.")
    students = [o for o in overrides if o.student_count or (o.group_id and not o.course_section_id)]
    if a.has_everyone_date:
        if students:
            count = sum(o.student_count for o in students) or len(students)
            who = "1 student" if count == 1 else f"{count} students"
            return DateProblem(
                "student-dates",
                f"{name} has a separate due date for {who}; passback cannot send "
                "dates set for single students.",
            )
        return None
    modules = [o for o in overrides if o.context_module_id]
    if modules:
        return DateProblem(
            "module-dates",
            f"{name} gets its dates from a module's Assign To and has no Everyone date; "
            "change the dates on the module, not on the assignment.",
        )
    dated = {o.course_section_id for o in overrides if o.course_section_id and o.due_at}
    if dated:
        with_date = [s.name for s in sections if s.id in dated]
        without = [s.name for s in sections if s.id not in dated]
        rest = (
            f"; {names(without)} {'has' if len(without) == 1 else 'have'} none" if without else ""
        )
        return DateProblem(
            "differentiated-due-dates",
            f"{name} has due dates for {names(with_date) or 'some sections'} and no "
            f"Everyone-else date{rest}.",
        )
    if students:
        return DateProblem(
            "student-dates",
            f"{name} has due dates only for single students and no Everyone date.",
        )
    return DateProblem("no-due-date", f"{name} has no due date for Everyone.")


def quoted(name: str) -> str:
    return f"'{name}'"


def names(items: Sequence[str], limit: int = 4) -> str:
    """'A', 'A and B', 'A, B and C', or the first few and "n more"."""
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(f"{len(items) - limit} more")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def day(moment: datetime, tz: ZoneInfo) -> str:
    """'Jan 30, 2027' in the course's time zone."""
    local = moment.astimezone(tz)
    return f"{local:%b} {local.day}, {local.year}"
