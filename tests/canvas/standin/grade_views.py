"""The stand-in's grade endpoints: the SIS integration's view and the grade change log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.canvas.standin.views import Context, _assignments_of, _course, _sections_of


def _course_attributes(course: dict) -> dict:
    """sis_api_controller.rb's CourseAttributes."""
    return {
        "id": course["id"],
        "name": course["name"],
        "sis_id": course["sis_course_id"],
        "integration_id": course["integration_id"],
    }


def sis_assignments(ctx: Context, course_id: str) -> list[dict]:
    """sis_api_controller.rb + lib/api/v1/sis_assignment.rb."""
    from tests.canvas.standin.server import Refusal

    the_course = _course(ctx, course_id)
    ctx.require("view_all_grades")
    if not ctx.district.grade_export_enabled:
        raise Refusal(
            400,
            {
                "code": "not_enabled",
                "error": "A SIS integration is not "
                "configured and the bulk SIS Grade Export feature is not enabled",
            },
        )
    if the_course["workflow_state"] != "available":
        raise Refusal(
            400,
            {
                "code": "unpublished_course",
                "error": "Grade data is not available for non-published courses",
            },
        )
    found = []
    for a in _assignments_of(ctx, the_course["id"]):
        if not (a["published"] and a["post_to_sis"]):
            continue
        by_section = {o.get("course_section_id"): o for o in a["overrides"]}
        listed = []
        for s in _sections_of(ctx, the_course["id"]):
            override = by_section.get(s["id"])
            if a["only_visible_to_overrides"] and override is None:
                continue
            origin = _course(ctx, str(s["nonxlist_course_id"] or the_course["id"]))
            entry: dict[str, Any] = {
                "id": s["id"],
                "name": s["name"],
                "sis_id": s["sis_section_id"],
                "integration_id": None,
                "origin_course": _course_attributes(origin),
            }
            if s["nonxlist_course_id"]:  # cross-listed here from its origin course
                entry["xlist_course"] = _course_attributes(the_course)
            if override is not None:
                entry["override"] = {
                    "override_title": override["title"],
                    "due_at": override["due_at"],
                    "unlock_at": override["unlock_at"],
                    "lock_at": None,
                }
            listed.append(entry)
        found.append(
            {
                "id": a["id"],
                "course_id": a["course_id"],
                "name": a["name"],
                "created_at": a["created_at"],
                "due_at": a["due_at"],
                "unlock_at": a["unlock_at"],
                "lock_at": None,
                "points_possible": a["points_possible"],
                "submission_types": a["submission_types"],
                "integration_id": a["integration_id"],
                "integration_data": a["integration_data"] or None,
                "include_in_final_grade": True,
                "assignment_group": {
                    "id": 1,
                    "name": "Labs",
                    "group_weight": 20,
                    "sis_source_id": None,
                    "integration_data": {},
                },
                "sections": listed,
            }
        )
    return found


def grade_changes(ctx: Context, course_id: str) -> dict:
    """grade_change_audit_api_controller.rb: a compound document, newest first."""
    ctx.require("view_grade_changes", "view_all_grades")
    cid = _course(ctx, course_id)["id"]
    since = ctx.query.get("start_time")
    start = datetime.fromisoformat(since) if since else None
    events = [
        dict(e)
        for e in ctx.district.grade_changes
        if e["links"]["course"] == cid
        and (start is None or datetime.fromisoformat(e["created_at"]) >= start)
    ]
    events.sort(key=lambda e: datetime.fromisoformat(e["created_at"]), reverse=True)
    return {
        "links": {
            "events.assignment": ctx.host_url(
                "/api/v1/courses/{events.course}/assignments/{events.assignment}"
            ),
            "events.course": ctx.host_url("/api/v1/courses/{events.course}"),
            "events.student": {"href": None, "type": "user"},
            "events.grader": {"href": None, "type": "user"},
            "events.page_view": None,
        },
        "events": events,
        "linked": {"assignments": [], "courses": [], "page_views": [], "users": []},
    }
