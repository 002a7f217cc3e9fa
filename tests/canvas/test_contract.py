"""The stand-in answers only with fields Canvas's own API models document.

Property names copied from the `@model` blocks in instructure/canvas-lms (read 2026-12):
app/controllers/sections_controller.rb (Section; `restrict_enrollments_to_section_dates` and
`created_at` from lib/api/v1/section.rb) and app/controllers/sis_api_controller.rb
(SisAssignment and the attribute models it nests), app/controllers/courses_controller.rb
(Course, Term) and app/controllers/assignments_api_controller.rb (Assignment, AssignmentDate).
The stored assignments_api_controller.rb is a 2014 one: the fields Canvas added since, which
the design note's §8 documents from the current API pages, are listed apart (ASSIGNMENT_LATER).
Refresh them by reading those files again, never at test time.
"""

from __future__ import annotations

from typing import Any

from tests.canvas.conftest import Canvas
from tests.canvas.standin.district import HOST_TOKEN

SECTION = {
    "id",
    "name",
    "sis_section_id",
    "integration_id",
    "sis_import_id",
    "course_id",
    "sis_course_id",
    "start_at",
    "end_at",
    "nonxlist_course_id",
    "total_students",
    "restrict_enrollments_to_section_dates",
    "created_at",
}
SIS_ASSIGNMENT = {
    "id",
    "course_id",
    "name",
    "created_at",
    "due_at",
    "unlock_at",
    "lock_at",
    "points_possible",
    "submission_types",
    "integration_id",
    "integration_data",
    "include_in_final_grade",
    "assignment_group",
    "sections",
    "user_overrides",
}
ASSIGNMENT_GROUP_ATTRIBUTES = {"id", "name", "group_weight", "sis_source_id", "integration_data"}
SECTION_ATTRIBUTES = {
    "id",
    "name",
    "sis_id",
    "integration_id",
    "origin_course",
    "xlist_course",
    "override",
}
COURSE_ATTRIBUTES = {"id", "name", "sis_id", "integration_id"}
SECTION_OVERRIDE_ATTRIBUTES = {"override_title", "due_at", "unlock_at", "lock_at"}
COURSE = {
    "id", "sis_course_id", "uuid", "integration_id", "sis_import_id", "name", "course_code",
    "original_name", "workflow_state", "account_id", "root_account_id", "enrollment_term_id",
    "grading_periods", "grading_standard_id", "grade_passback_setting", "created_at", "start_at",
    "end_at", "locale", "enrollments", "total_students", "calendar", "default_view",
    "syllabus_body", "needs_grading_count", "term", "course_progress",
    "apply_assignment_group_weights", "permissions", "is_public", "is_public_to_auth_users",
    "public_syllabus", "public_syllabus_to_auth", "public_description", "storage_quota_mb",
    "storage_quota_used_mb", "hide_final_grades", "license", "allow_student_assignment_edits",
    "allow_wiki_comments", "allow_student_forum_attachments", "open_enrollment",
    "self_enrollment", "restrict_enrollments_to_course_dates", "course_format",
    "access_restricted_by_date", "time_zone", "blueprint", "blueprint_restrictions",
    "blueprint_restrictions_by_object_type", "template",
}  # fmt: skip
TERM = {"id", "name", "start_at", "end_at"}
ASSIGNMENT = {
    "id", "name", "description", "created_at", "updated_at", "due_at", "lock_at", "unlock_at",
    "all_dates", "course_id", "html_url", "assignment_group_id", "allowed_extensions",
    "turnitin_enabled", "turnitin_settings", "grade_group_students_individually",
    "external_tool_tag_attributes", "peer_reviews", "automatic_peer_reviews",
    "peer_review_count", "peer_reviews_assign_at", "group_category_id", "needs_grading_count",
    "position", "post_to_sis", "integration_id", "integration_data", "muted", "points_possible",
    "submission_types", "grading_type", "grading_standard_id", "published", "unpublishable",
    "only_visible_to_overrides", "locked_for_user", "lock_info", "lock_explanation", "quiz_id",
    "anonymous_submissions", "discussion_topic", "freeze_on_copy", "frozen", "frozen_attributes",
    "submission", "use_rubric_for_grading", "rubric_settings", "rubric", "assignment_visibility",
}  # fmt: skip
ASSIGNMENT_LATER = {
    "has_overrides",
    "overrides",
    "all_dates_count",
    "max_name_length",
    "due_date_required",
    "in_closed_grading_period",
    "workflow_state",
}
ASSIGNMENT_DATE = {"id", "base", "title", "due_at", "unlock_at", "lock_at"}
HEADERS = {"Authorization": f"Bearer {HOST_TOKEN}", "User-Agent": "contract/1"}


async def _get(canvas: Canvas, path: str) -> Any:
    async with canvas.session.get(f"{canvas.base_url}{path}", headers=HEADERS) as response:
        assert response.status == 200
        return await response.json()


async def test_sections_carry_only_documented_fields(canvas: Canvas) -> None:
    canvas.district.max_per_page = 100
    for section in await _get(canvas, "/api/v1/courses/101/sections?include[]=total_students"):
        assert set(section) <= SECTION, set(section) - SECTION


async def test_sis_assignments_carry_only_documented_fields(canvas: Canvas) -> None:
    canvas.district.max_per_page = 100
    rows = await _get(canvas, "/api/sis/courses/101/assignments")
    assert rows
    crosslisted = 0
    for row in rows:
        assert set(row) <= SIS_ASSIGNMENT, set(row) - SIS_ASSIGNMENT
        assert set(row["assignment_group"]) <= ASSIGNMENT_GROUP_ATTRIBUTES
        for section in row["sections"]:
            assert set(section) <= SECTION_ATTRIBUTES, set(section) - SECTION_ATTRIBUTES
            assert set(section["origin_course"]) <= COURSE_ATTRIBUTES
            if "override" in section:
                assert set(section["override"]) <= SECTION_OVERRIDE_ATTRIBUTES
            if "xlist_course" in section:  # origin: the course it came from
                crosslisted += 1
                assert section["origin_course"]["id"] == 102
                assert section["xlist_course"]["id"] == 101
    assert crosslisted


async def test_a_course_carries_only_documented_fields(canvas: Canvas) -> None:
    course = await _get(canvas, "/api/v1/courses/101?include[]=term&include[]=total_students")
    assert set(course) <= COURSE, set(course) - COURSE
    assert set(course["term"]) <= TERM, set(course["term"]) - TERM


async def test_assignments_carry_only_documented_fields(canvas: Canvas) -> None:
    canvas.district.max_per_page = 100
    rows = await _get(
        canvas, "/api/v1/courses/101/assignments?include[]=overrides&include[]=all_dates"
    )
    assert rows
    for row in rows:
        assert set(row) <= ASSIGNMENT | ASSIGNMENT_LATER, set(row) - ASSIGNMENT - ASSIGNMENT_LATER
        for date in row.get("all_dates", ()):
            assert set(date) <= ASSIGNMENT_DATE, set(date) - ASSIGNMENT_DATE
