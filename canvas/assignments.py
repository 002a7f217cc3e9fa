"""Assignments with their dates and overrides, as Canvas and as the SIS integration see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from canvas.models import _id, _opt_id, when


@dataclass(frozen=True, slots=True)
class Override:
    """An AssignmentOverride: for a section, a set of students, a group, or from a module."""

    id: str
    title: str
    course_section_id: str | None
    student_count: int  # how many students an ad-hoc override names (never who)
    group_id: str | None
    context_module_id: str | None
    due_at: datetime | None
    unlock_at: datetime | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Override:
        students = data.get("student_ids")
        return cls(
            id=_id(data.get("id")),
            title=str(data.get("title") or ""),
            course_section_id=_opt_id(data.get("course_section_id")),
            student_count=len(students) if isinstance(students, list) else 0,
            group_id=_opt_id(data.get("group_id")),
            context_module_id=_opt_id(data.get("context_module_id")),
            due_at=when(data.get("due_at")),
            unlock_at=when(data.get("unlock_at")),
        )


@dataclass(frozen=True, slots=True)
class Assignment:
    """An assignment read with override_assignment_dates=false: `due_at` is the base date."""

    id: str
    name: str
    html_url: str
    due_at: datetime | None
    unlock_at: datetime | None
    only_visible_to_overrides: bool
    has_overrides: bool
    overrides: tuple[Override, ...] | None  # None: Canvas did not include them
    post_to_sis: bool
    published: bool
    integration_id: str | None
    integration_data: tuple[str, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Assignment:
        raw = data.get("overrides")
        overrides = (
            tuple(Override.from_json(o) for o in raw if isinstance(o, dict))
            if isinstance(raw, list)
            else None
        )
        integration = data.get("integration_data")
        values: list[str] = []
        if isinstance(integration, dict):
            values = [str(v) for pair in integration.items() for v in pair]
        return cls(
            id=_id(data.get("id")),
            name=str(data.get("name") or ""),
            html_url=str(data.get("html_url") or ""),
            due_at=when(data.get("due_at")),
            unlock_at=when(data.get("unlock_at")),
            only_visible_to_overrides=bool(data.get("only_visible_to_overrides")),
            has_overrides=bool(data.get("has_overrides")),
            overrides=overrides,
            post_to_sis=bool(data.get("post_to_sis")),
            published=bool(data.get("published")),
            integration_id=_opt_id(data.get("integration_id")),
            integration_data=tuple(values),
        )

    @property
    def has_everyone_date(self) -> bool:
        return not self.only_visible_to_overrides and self.due_at is not None


@dataclass(frozen=True, slots=True)
class SisSection:
    id: str
    name: str
    sis_id: str | None
    override_due_at: datetime | None
    has_override: bool


@dataclass(frozen=True, slots=True)
class SisAssignment:
    """An assignment as the SIS integration sees it (GET /api/sis/courses/:id/assignments)."""

    id: str
    name: str
    due_at: datetime | None  # the base date (or a mastery-path override's)
    sections: tuple[SisSection, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SisAssignment:
        sections = []
        for raw in data.get("sections") or ():
            if not isinstance(raw, dict):
                continue
            override = raw.get("override") if isinstance(raw.get("override"), dict) else None
            sections.append(
                SisSection(
                    id=_id(raw.get("id")),
                    name=str(raw.get("name") or ""),
                    sis_id=_opt_id(raw.get("sis_id")),
                    override_due_at=when(override.get("due_at")) if override else None,
                    has_override=override is not None,
                )
            )
        return cls(
            _id(data.get("id")),
            str(data.get("name") or ""),
            when(data.get("due_at")),
            tuple(sections),
        )
