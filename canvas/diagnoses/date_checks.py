"""Checks of due dates: missing or differentiated, outside the class, between grading periods."""

from __future__ import annotations

from datetime import datetime

from canvas.assignments import Assignment
from canvas.diagnoses.dates import DateProblem, date_problem, day, names, quoted, zone
from canvas.diagnoses.facts import CourseFacts
from canvas.diagnoses.model import Check, Item, Suspect
from canvas.models import Course, GradingPeriod, Section

# First listed, first named when several causes are found in a course.
DATE_CAUSES = ("no-due-date", "differentiated-due-dates", "student-dates", "module-dates")


def assignment_item(facts: CourseFacts, a: Assignment) -> Item:
    return Item(
        "assignment", a.id, a.name, facts.links.assignment_edit(facts.course_id, a.id, a.html_url)
    )


async def unable_to_process_score(facts: CourseFacts, suspect: Suspect) -> Check:
    synced, sections = await facts.passback(), await facts.sections()
    found: list[tuple[Assignment, DateProblem]] = []
    for a in synced:
        problem = date_problem(a, sections)
        if problem is not None:
            found.append((a, problem))
    entry = suspect.entry_id
    if not found:
        return Check(
            entry,
            None,
            "clear",
            _clear(
                synced, "has an Everyone or Everyone-else due date and no dates for single students"
            ),
        )
    found.sort(key=lambda f: DATE_CAUSES.index(f[1].cause))
    sentences = " ".join(p.sentence for _, p in found[:4])
    more = f" ({len(found) - 4} more assignments too.)" if len(found) > 4 else ""
    fix = " Give each an Everyone (or Everyone-else) due date, then re-sync."
    return Check(
        entry,
        found[0][1].cause,
        "found",
        sentences + more + fix,
        tuple(assignment_item(facts, a) for a, _ in found),
    )


async def assignment_scores_export(facts: CourseFacts, suspect: Suspect) -> Check:
    """What the integration sees: synced assignments whose due date it reads as empty."""
    synced = await facts.sis_assignments()
    undated = [a for a in synced if a.due_at is None]
    if not synced:
        summary = (
            "The linked assignment is not set to sync to the SIS (it is unpublished or Sync to "
            "SIS is off), so it can't cause this error."
            if facts.assignment_id
            else "Canvas has no published assignments set to sync in this course."
        )
        return Check(suspect.entry_id, None, "clear", summary)
    if not undated:
        count = "the 1 assignment" if len(synced) == 1 else f"each of the {len(synced)} assignments"
        return Check(
            suspect.entry_id,
            None,
            "clear",
            f"Canvas looks right: {count} set to sync has a due date the integration can read.",
        )
    partly = [a.name for a in undated if any(s.has_override for s in a.sections)]
    count = "1 assignment" if len(undated) == 1 else f"{len(undated)} assignments"
    summary = f"{count} set to sync {'has' if len(undated) == 1 else 'have'} no due date: "
    summary += names([quoted(a.name) for a in undated]) + "."
    if partly:
        summary += f" ({names([quoted(n) for n in partly])}: dates for some sections only.)"
    summary += " Add a due date for Everyone, then re-sync."
    items = tuple(
        Item("assignment", a.id, a.name, facts.links.assignment_edit(facts.course_id, a.id))
        for a in undated
    )
    return Check(suspect.entry_id, "no-due-date", "found", summary, items)


def _effective_dates(
    a: Assignment, sections: list[Section]
) -> list[tuple[Section, str, datetime, str]]:
    """(section, who, moment, kind) for each due and available-from date a section gets."""
    out: list[tuple[Section, str, datetime, str]] = []
    by_section = {o.course_section_id: o for o in a.overrides or () if o.course_section_id}
    for s in sections:
        o = by_section.get(s.id)
        due = o.due_at if o else (a.due_at if a.has_everyone_date else None)
        unlock = o.unlock_at if o else (a.unlock_at if not a.only_visible_to_overrides else None)
        who = s.name if o else "Everyone"
        if due:
            out.append((s, who, due, "due"))
        if unlock:
            out.append((s, who, unlock, "available from"))
    return out


def _window(course: Course, s: Section) -> tuple[datetime | None, datetime | None, str]:
    if s.start_at or s.end_at:
        return s.start_at, s.end_at, f"{s.name}'s dates"
    if course.start_at or course.end_at:
        return course.start_at, course.end_at, "the course's dates"
    if course.term:
        return course.term.start_at, course.term.end_at, f"term '{course.term.name}'"
    return None, None, "no dates"


async def assignment_dates(facts: CourseFacts, suspect: Suspect) -> Check:
    course, synced, sections = await facts.course(), await facts.passback(), await facts.sections()
    tz = zone(course.time_zone)
    sentences: list[str] = []
    culprits: list[Assignment] = []
    for a in synced:
        for section, who, moment, kind in _effective_dates(a, sections):
            start, end, what = _window(course, section)
            if end and moment > end:
                edge = f"the class ends {day(end, tz)} ({what})"
            elif start and moment < start:
                edge = f"the class starts {day(start, tz)} ({what})"
            else:
                continue
            sentences.append(f"{quoted(a.name)} is {kind} {day(moment, tz)} for {who}, but {edge}.")
            if a not in culprits:
                culprits.append(a)
            break
    if not culprits:
        return Check(
            suspect.entry_id,
            None,
            "clear",
            "Canvas dates look fine: every due and available-from date of the "
            f"{len(synced)} assignments set to sync is inside the class dates. Infinite "
            "Campus's term dates may differ; ask your IC admin to check the section's term.",
        )
    summary = (
        " ".join(sentences[:4]) + " Change the due date (or the available-from date), then re-sync."
    )
    return Check(
        suspect.entry_id,
        "dates-outside-class",
        "found",
        summary,
        tuple(assignment_item(facts, a) for a in culprits),
    )


def _between(moment: datetime, periods: list[GradingPeriod]) -> str | None:
    """None when a grading period holds the moment; else where it falls, in words."""
    if any(p.start_date and p.end_date and p.start_date <= moment <= p.end_date for p in periods):
        return None
    before = [p for p in periods if p.end_date and p.end_date < moment]
    after = [p for p in periods if p.start_date and p.start_date > moment]
    last = max(before, key=lambda p: p.end_date or moment, default=None)
    first = min(after, key=lambda p: p.start_date or moment, default=None)
    if last and first:
        return f"between grading periods {last.title} and {first.title}"
    if last:
        return f"after the last grading period ({last.title})"
    return f"before the first grading period ({first.title if first else '?'})"


async def outside_grading_periods(facts: CourseFacts) -> tuple[list[str], list[Item]]:
    periods = [p for p in await facts.grading_periods() if p.start_date and p.end_date]
    if not periods:
        return [], []
    course, synced, sections = await facts.course(), await facts.passback(), await facts.sections()
    tz = zone(course.time_zone)
    sentences: list[str] = []
    items: list[Item] = []
    for a in synced:
        for _, who, moment, kind in _effective_dates(a, sections):
            where = _between(moment, periods) if kind == "due" else None
            if where:
                sentences.append(f"{quoted(a.name)} is due {day(moment, tz)} for {who}, {where}.")
                items.append(assignment_item(facts, a))
                break
    return sentences, items


def _clear(synced: list[Assignment], what: str) -> str:
    if not synced:
        return "Canvas has no published assignments set to sync in this course."
    count = "the 1 assignment" if len(synced) == 1 else f"each of the {len(synced)} assignments"
    return f"Canvas looks right: {count} set to sync {what}."
