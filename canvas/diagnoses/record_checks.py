"""Checks of sections, names and the grade change log, and the errors Canvas cannot show."""

from __future__ import annotations

from canvas.diagnoses.date_checks import assignment_item, outside_grading_periods
from canvas.diagnoses.dates import day, names, quoted, zone
from canvas.diagnoses.facts import CourseFacts
from canvas.diagnoses.model import Check, Item, Suspect
from canvas.models import MISSING, Section

NOT_CHECKABLE = {
    "exchange": (
        "Canvas cannot show this cause: the rate limit that was hit belongs to the SIS "
        "integration's own Canvas token, which passback can neither see nor use. Don't re-sync "
        "repeatedly (many syncs at once make it worse); escalate it with the job id."
    ),
    "kimono-job": (
        "Canvas cannot show this cause: the sync job's log lives in Instructure's SIS "
        "integration platform, which has no API. Re-sync once; if it times out again, escalate "
        "it with the job id."
    ),
}


class SisHidden(Exception):
    """The token may not read SIS ids, so "no SIS id" cannot be told from "not shown"."""


def _without_sis(sections: list[Section]) -> list[Section]:
    if any(s.sis_section_id == MISSING for s in sections):
        raise SisHidden
    blank = [s for s in sections if s.sis_section_id is None]
    return sorted(blank, key=lambda s: -(s.total_students or 0))


def _section_items(facts: CourseFacts, sections: list[Section]) -> tuple[Item, ...]:
    return tuple(
        Item("section", s.id, s.name, facts.links.section(facts.course_id, s.id)) for s in sections
    )


def _sections_sentence(blank: list[Section], consequence: str) -> str:
    which = names([quoted(s.name) for s in blank])
    verb = "has" if len(blank) == 1 else "have"
    return f"Section{'s' if len(blank) > 1 else ''} {which} {verb} no SIS ID, so {consequence}."


async def assignment_id(facts: CourseFacts, suspect: Suspect) -> Check:
    course, blank = await facts.course(), _without_sis(await facts.sections())
    entry = suspect.entry_id
    app_id = suspect.fields.get("assignment_app_id", "")
    resolved = ""
    if app_id:
        for a in await facts.passback():
            if app_id in (a.id, a.integration_id) or app_id in a.integration_data:
                resolved = f" The app id {app_id} is {quoted(a.name)}."
    if course.sis_course_id is None:
        resolved += " The course itself has no SIS ID either (it was created in Canvas)."
    if not blank:
        return Check(
            entry,
            None,
            "clear",
            "Canvas looks right: every section of the course has an SIS ID." + resolved,
        )
    summary = _sections_sentence(blank, "Infinite Campus can't place the assignment there")
    summary += " Remove the section (or ask your Canvas admin to link it to an IC section), "
    summary += "then re-sync." + resolved
    return Check(entry, "section-without-sis-id", "found", summary, _section_items(facts, blank))


async def class_or_grading_period(facts: CourseFacts, suspect: Suspect) -> Check:
    entry = suspect.entry_id
    blank = _without_sis(await facts.sections())
    outside, outside_items = await outside_grading_periods(facts)
    periods = await facts.grading_periods()
    sentences: list[str] = []
    if blank:
        sentences.append(_sections_sentence(blank, "Infinite Campus can't find its class"))
    sentences += outside[:3]
    if not sentences:
        checked = "every section has an SIS ID"
        checked += (
            " and every due date of the assignments set to sync is inside a grading period"
            if periods
            else "; the course has no grading periods in Canvas to compare dates with"
        )
        return Check(
            entry,
            None,
            "clear",
            f"Canvas looks right: {checked}. Infinite Campus's own grading periods and "
            "its grading window may still differ; ask your IC admin to check them.",
        )
    cause = "section-without-sis-id" if blank else "outside-grading-period"
    summary = " ".join(sentences)
    if outside:
        summary += " (Canvas's grading periods stand in for Infinite Campus's terms here.)"
    items = _section_items(facts, blank) + tuple(dict.fromkeys(outside_items))
    return Check(entry, cause, "found", summary, items)


async def score_removed(facts: CourseFacts, suspect: Suspect) -> Check:
    """Grade change log: a synced assignment whose score went from a value to nothing."""
    synced = {a.id: a for a in await facts.passback()}
    changes = await facts.grade_changes()
    course = await facts.course()
    tz = zone(course.time_zone)
    removed = [c for c in changes if c.score_removed and c.assignment_id in synced]
    entry = suspect.entry_id
    if not removed:
        return Check(
            entry,
            None,
            "clear",
            "Canvas looks right: no score on an assignment set to sync was removed in "
            "the last 30 days.",
        )
    items = tuple(
        Item(
            "submission",
            f"{c.assignment_id}-{c.student_id}",
            f"{synced[c.assignment_id].name}: score removed"
            + (f" {day(c.created_at, tz)}" if c.created_at else ""),
            facts.links.speed_grader(facts.course_id, c.assignment_id, c.student_id),
            private=True,
        )
        for c in removed
    )
    which = names(list(dict.fromkeys(quoted(synced[c.assignment_id].name) for c in removed)))
    count = "1 score" if len(removed) == 1 else f"{len(removed)} scores"
    summary = (
        f"{count} removed in the last 30 days on {which}. Enter a score or turn off Sync to SIS "
        "for the assignment, then re-sync. Which students: in the private details."
    )
    history = Item(
        "course",
        facts.course_id,
        "Gradebook history",
        facts.links.gradebook_history(facts.course_id),
    )
    return Check(entry, "score-removed", "found", summary, (history, *items))


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


async def duplicate_name(facts: CourseFacts, suspect: Suspect) -> Check:
    """Two synced assignments sharing a name; with a linked assignment, its twins only."""
    synced = await facts.course_passback()
    by_name: dict[str, list[str]] = {}
    for a in synced:
        by_name.setdefault(_name_key(a.name), []).append(a.id)
    dupes = [a for a in synced if len(by_name[_name_key(a.name)]) > 1]
    if facts.assignment_id is not None:
        linked = next(a for a in synced if a.id == facts.assignment_id)
        dupes = [a for a in dupes if _name_key(a.name) == _name_key(linked.name)]
    entry = suspect.entry_id
    if not dupes:
        return Check(
            entry,
            None,
            "clear",
            "No two assignments set to sync share a name, so Canvas gives no hint which "
            "assignment to delete in Infinite Campus; follow the steps below.",
        )
    shared = names(list(dict.fromkeys(quoted(a.name) for a in dupes)))
    summary = (
        f"{shared} is the name of more than one assignment set to sync; Infinite Campus matches "
        f"assignments by name, so the assignment to delete in IC is probably {shared}."
    )
    return Check(
        entry, "duplicate-name", "found", summary, tuple(assignment_item(facts, a) for a in dupes)
    )


def not_checkable(entry_id: str) -> Check:
    summary = NOT_CHECKABLE.get(
        entry_id, "passback has no Canvas check for this error; follow the steps below."
    )
    return Check(entry_id, None, "not-checkable", summary)
