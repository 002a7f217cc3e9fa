"""Each diagnosis against the stand-in's district: every cause key, clear, and what it checked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from canvas import errors
from canvas.access import Authoriser
from canvas.diagnoses import Diagnoser, Diagnosis, Suspect
from canvas.urls import CourseRef
from tests.canvas.conftest import Canvas
from tests.canvas.diagnosed_causes import DIAGNOSED_CAUSES
from tests.canvas.standin.district import FULL_RIGHTS, Token

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


async def diagnose(
    canvas: Canvas,
    entry: str,
    course: str = "101",
    assignment: str | None = None,
    token: str | None = None,
    **fields: str,
) -> Diagnosis:
    client = canvas.client(token) if token else canvas.client()
    diagnoser = Diagnoser(client, Authoriser())
    return await diagnoser.diagnose(
        [Suspect(entry, fields)], CourseRef(course, assignment), now=NOW
    )


@pytest.mark.parametrize(
    ("assignment", "cause", "words"),
    [
        ("2", "no-due-date", "'Lab 4' has no due date"),
        (
            "3",
            "differentiated-due-dates",
            "'Lab 5' has due dates for Period 1 and Period 2 and no Everyone-else date",
        ),
        ("4", "student-dates", "separate due date for 1 student"),
        ("5", "module-dates", "from a module's Assign To"),
    ],
)
async def test_unable_to_process_score_names_the_date_shape(
    canvas: Canvas, assignment: str, cause: str, words: str
) -> None:
    result = await diagnose(canvas, "unable-to-process-score", assignment=assignment)
    (check,) = result.checks
    assert (check.status, check.cause) == ("found", cause)
    assert words in check.summary
    assert [i.id for i in check.items] == [assignment]
    assert check.items[0].url.endswith(f"/courses/101/assignments/{assignment}/edit")


async def test_course_wide_every_culprit_is_listed_the_documented_cause_first(
    canvas: Canvas,
) -> None:
    (check,) = (await diagnose(canvas, "unable-to-process-score")).checks
    assert check.cause == "no-due-date"
    assert [i.name for i in check.items] == ["Lab 4", "Lab 5", "Quiz 2", "Unit 2 Test"]
    assert "Draft lab" not in check.summary and "Homework 1" not in check.summary


async def test_clear_when_canvas_looks_right(canvas: Canvas) -> None:
    for entry in DIAGNOSED_CAUSES:
        (check,) = (await diagnose(canvas, entry, course="105")).checks
        assert check.status == "clear", (entry, check)
        assert check.cause is None and check.items == ()


async def test_an_assignment_that_does_not_sync_is_clear(canvas: Canvas) -> None:
    (check,) = (await diagnose(canvas, "unable-to-process-score", assignment="16")).checks
    assert check.status == "clear" and "not set to sync" in check.summary


async def test_scores_export_lists_what_the_integration_reads_as_undated(canvas: Canvas) -> None:
    (check,) = (await diagnose(canvas, "assignment-scores-export")).checks
    assert check.cause == "no-due-date"
    assert {i.name for i in check.items} == {"Lab 4", "Lab 5", "Unit 2 Test"}
    assert "dates for some sections only" in check.summary


async def test_assignment_id_finds_the_section_without_an_sis_id(canvas: Canvas) -> None:
    (check,) = (await diagnose(canvas, "assignment-id", assignment_app_id="ic-li-7731")).checks
    assert check.cause == "section-without-sis-id"
    assert [i.name for i in check.items] == ["Extra help (added in Canvas)"]
    assert check.items[0].url.endswith("/courses/101/sections/12")
    assert "The app id ic-li-7731 is 'Essay 3'" in check.summary


async def test_assignment_dates_outside_the_class(canvas: Canvas) -> None:
    (check,) = (await diagnose(canvas, "assignment-dates")).checks
    assert check.cause == "dates-outside-class"
    assert [i.name for i in check.items] == ["Final Project"]
    assert "due Jan 30, 2027 for Everyone, but the class ends Jan 17, 2027" in check.summary


async def test_class_or_grading_period_names_both_sides(canvas: Canvas) -> None:
    (check,) = (await diagnose(canvas, "could-not-determine-class-or-grading-period")).checks
    assert check.cause == "section-without-sis-id"
    assert "'Essay 3' is due Oct 28, 2026 for Everyone, between grading periods Q1 and Q2" in (
        check.summary
    )
    assert {i.type for i in check.items} == {"section", "assignment"}
    (only_period,) = (
        await diagnose(canvas, "could-not-determine-class-or-grading-period", assignment="7")
    ).checks
    canvas.district.sections = [s for s in canvas.district.sections if s["id"] != 12]
    (period,) = (
        await diagnose(canvas, "could-not-determine-class-or-grading-period", assignment="7")
    ).checks
    assert period.cause == "outside-grading-period"
    assert [i.name for i in period.items] == ["Essay 3"]
    assert only_period.status == "found"


async def test_removed_score_from_the_grade_change_log(canvas: Canvas) -> None:
    (check,) = (await diagnose(canvas, "put-oneroster", result_sourced_id="s12345")).checks
    assert check.cause == "score-removed"
    history, *removed = check.items
    assert history.url.endswith("/courses/101/gradebook/history")
    # excused, changed-not-removed, not-synced and older than 30 days do not count
    assert [i.name for i in removed] == ["Lab 1: score removed Nov 14, 2026"]
    assert removed[0].private and "student_id=511" in removed[0].url
    assert "Jordan" not in check.summary and "511" not in check.summary


@pytest.mark.parametrize("assignment", [None, "8", "9"])
async def test_duplicate_names(canvas: Canvas, assignment: str | None) -> None:
    """A pasted assignment link compares it with the course's other synced assignments."""
    (check,) = (
        await diagnose(canvas, "assignment-scores-export-put-oneroster", assignment=assignment)
    ).checks
    assert (check.status, check.cause) == ("found", "duplicate-name")
    assert [i.id for i in check.items] == ["8", "9"]
    assert "'Quiz 3' is the name of more than one assignment" in check.summary


async def test_a_linked_assignment_without_a_twin_is_clear(canvas: Canvas) -> None:
    (check,) = (
        await diagnose(canvas, "assignment-scores-export-put-oneroster", assignment="2")
    ).checks
    assert check.status == "clear" and check.items == ()


@pytest.mark.parametrize("entry", ["exchange", "kimono-job"])
async def test_what_canvas_cannot_show_is_said_honestly(canvas: Canvas, entry: str) -> None:
    (check,) = (await diagnose(canvas, entry)).checks
    assert check.status == "not-checkable" and "Canvas cannot show this cause" in check.summary
    assert canvas.paths() == ["/api/v1/courses/101"]


async def test_every_cause_a_check_names_is_a_catalog_cause_key(canvas: Canvas) -> None:
    named: dict[str, set[str]] = {}
    for entry in DIAGNOSED_CAUSES:
        for assignment in (None, "2", "3", "4", "5", "6", "7", "8"):
            for check in (await diagnose(canvas, entry, assignment=assignment)).checks:
                assert check.status in ("found", "clear"), (entry, assignment, check)
                assert (check.status == "found") == bool(check.cause), (entry, assignment)
                if check.cause:
                    named.setdefault(entry, set()).add(check.cause)
        if entry == "could-not-determine-class-or-grading-period":  # the class side fixed
            kept = canvas.district.sections
            canvas.district.sections = [s for s in kept if s["sis_section_id"]]
            (check,) = (await diagnose(canvas, entry)).checks
            named[entry].add(str(check.cause))
            canvas.district.sections = kept
    assert named == DIAGNOSED_CAUSES


async def test_missing_rights_are_not_permitted_with_what_is_needed(canvas: Canvas) -> None:
    (sis,) = (await diagnose(canvas, "assignment-id", token="svc-no-sis")).checks
    assert sis.status == "not-permitted" and "SIS Data - read" in sis.summary
    (grades,) = (await diagnose(canvas, "put-oneroster", token="svc-no-grades")).checks
    assert grades.status == "not-permitted" and "view all grades" in grades.summary


async def test_grade_export_off_and_unpublished_course(canvas: Canvas) -> None:
    canvas.district.grade_export_enabled = False
    (off,) = (await diagnose(canvas, "assignment-scores-export")).checks
    assert off.status == "error" and "SIS grade export is off" in off.summary
    canvas.district.grade_export_enabled = True
    (draft,) = (await diagnose(canvas, "assignment-scores-export", course="103")).checks
    assert draft.status == "error" and "not published" in draft.summary


async def test_a_scoped_key_without_includes_reads_overrides_one_by_one(canvas: Canvas) -> None:
    (check,) = (
        await diagnose(canvas, "unable-to-process-score", token="svc-scoped-noinclude")
    ).checks
    assert [i.name for i in check.items] == ["Lab 4", "Lab 5", "Quiz 2", "Unit 2 Test"]
    assert any(p.endswith("/date_details") for p in canvas.paths())


async def test_all_checks_at_once_stay_within_two_requests_and_the_budget(canvas: Canvas) -> None:
    client = canvas.client()
    result = await Diagnoser(client, Authoriser()).diagnose(
        [Suspect(e) for e in DIAGNOSED_CAUSES], CourseRef("101"), "pteacher@district.org", NOW
    )
    assert all(c.status == "found" for c in result.checks)
    assert canvas.district.peak_in_flight <= 2
    assert result.requests == len(canvas.district.requests) <= 40


async def test_a_slow_canvas_stops_the_diagnosis_in_time(canvas: Canvas) -> None:
    client = canvas.client()
    await client.reader().course("101")  # cached: only the checks' requests are slow
    canvas.district.delay = 0.5
    result = await Diagnoser(client, Authoriser(), seconds=0.3).diagnose(
        [Suspect("assignment-id")], CourseRef("101"), now=NOW
    )
    (check,) = result.checks
    assert check.status == "error" and "took too long" in check.summary


async def test_scores_export_for_a_linked_assignment_that_does_not_sync(canvas: Canvas) -> None:
    (check,) = (await diagnose(canvas, "assignment-scores-export", assignment="16")).checks
    assert check.status == "clear"
    assert check.summary.startswith("The linked assignment is not set to sync to the SIS")


async def test_one_deadline_bounds_authorisation_course_and_checks_together(
    canvas: Canvas,
) -> None:
    """Every answer slow, nothing cached: authorisation (2 requests) fits the bound on its own,
    and so does the course read, but not both; the diagnosis stops at the one deadline."""
    canvas.district.delay = 0.35
    diagnoser = Diagnoser(canvas.client(), Authoriser(), seconds=0.9)
    with pytest.raises(errors.Unreachable) as raised:
        await diagnoser.diagnose(
            [Suspect("assignment-id")], CourseRef("101"), "pteacher@district.org", NOW
        )
    assert "the diagnosis stopped after 0.9 seconds" in str(raised.value)


async def test_without_course_content_view_the_whole_diagnosis_is_not_permitted(
    canvas: Canvas,
) -> None:
    """Every check needs the course (its name, time zone, dates): README's table says so."""
    canvas.district.tokens["svc-no-content"] = Token(
        user_id=1, rights=FULL_RIGHTS - {"read_course"}
    )
    with pytest.raises(errors.NotPermitted):
        await diagnose(canvas, "put-oneroster", token="svc-no-content")
    assert canvas.paths() == ["/api/v1/courses/101"]
