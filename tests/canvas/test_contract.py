"""The stand-in answers only with fields Canvas's own API models document.

Property names copied from the `@model` blocks in instructure/canvas-lms (read 2026-12):
app/controllers/sections_controller.rb (Section; `restrict_enrollments_to_section_dates` and
`created_at` from lib/api/v1/section.rb) and app/controllers/sis_api_controller.rb
(SisAssignment and the attribute models it nests). Refresh them by reading those files again,
never at test time.
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
