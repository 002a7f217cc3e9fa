"""The Canvas objects a diagnosis reads, as frozen dataclasses (shapes: Canvas's API models).

Ids are strings: the client asks for `application/json+canvas-string-ids`, and an id is only
ever compared or put into a URL. Dates are timezone-aware datetimes (Canvas sends ISO 8601).
`sis_*` fields are None when Canvas says null and MISSING when Canvas left them out because
the token may not read SIS data: a diagnosis must tell "no SIS id" from "cannot see it".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

MISSING: Final = "\0missing"  # a field Canvas did not send at all


def _id(value: Any) -> str:
    return "" if value is None else str(value)


def _opt_id(value: Any) -> str | None:
    return None if value is None else str(value)


def when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _sis(data: dict[str, Any], key: str) -> str | None:
    if key not in data:
        return MISSING
    return _opt_id(data[key])


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    login_id: str | None
    email: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> User:
        return cls(
            _id(data.get("id")),
            str(data.get("name") or ""),
            data.get("login_id"),
            data.get("email"),
        )


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    name: str
    start_at: datetime | None
    end_at: datetime | None


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    name: str
    sis_course_id: str | None
    workflow_state: str
    start_at: datetime | None
    end_at: datetime | None
    time_zone: str | None
    term: Term | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Course:
        raw_term = data.get("term")
        term = None
        if isinstance(raw_term, dict):
            term = Term(
                _id(raw_term.get("id")),
                str(raw_term.get("name") or ""),
                when(raw_term.get("start_at")),
                when(raw_term.get("end_at")),
            )
        return cls(
            id=_id(data.get("id")),
            name=str(data.get("name") or ""),
            sis_course_id=_sis(data, "sis_course_id"),
            workflow_state=str(data.get("workflow_state") or ""),
            start_at=when(data.get("start_at")),
            end_at=when(data.get("end_at")),
            time_zone=data.get("time_zone"),
            term=term,
        )


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    name: str
    sis_section_id: str | None
    start_at: datetime | None
    end_at: datetime | None
    nonxlist_course_id: str | None
    total_students: int | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Section:
        total = data.get("total_students")
        return cls(
            id=_id(data.get("id")),
            name=str(data.get("name") or ""),
            sis_section_id=_sis(data, "sis_section_id"),
            start_at=when(data.get("start_at")),
            end_at=when(data.get("end_at")),
            nonxlist_course_id=_opt_id(data.get("nonxlist_course_id")),
            total_students=total if isinstance(total, int) else None,
        )


@dataclass(frozen=True, slots=True)
class Enrollment:
    user_id: str
    type: str
    enrollment_state: str
    course_section_id: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Enrollment:
        return cls(
            _id(data.get("user_id")),
            str(data.get("type") or ""),
            str(data.get("enrollment_state") or ""),
            _id(data.get("course_section_id")),
        )


@dataclass(frozen=True, slots=True)
class GradingPeriod:
    id: str
    title: str
    start_date: datetime | None
    end_date: datetime | None
    is_closed: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GradingPeriod:
        return cls(
            _id(data.get("id")),
            str(data.get("title") or ""),
            when(data.get("start_date")),
            when(data.get("end_date")),
            bool(data.get("is_closed")),
        )


@dataclass(frozen=True, slots=True)
class GradeChange:
    """One grade-change audit event; the student is a Canvas user id, kept for private use."""

    assignment_id: str
    student_id: str
    created_at: datetime | None
    grade_before: str | None
    grade_after: str | None
    excused_after: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GradeChange:
        links = data.get("links") if isinstance(data.get("links"), dict) else {}
        assert isinstance(links, dict)
        return cls(
            assignment_id=_id(links.get("assignment")),
            student_id=_id(links.get("student")),
            created_at=when(data.get("created_at")),
            grade_before=_opt_id(data.get("grade_before")),
            grade_after=_opt_id(data.get("grade_after")),
            excused_after=bool(data.get("excused_after")),
        )

    @property
    def score_removed(self) -> bool:
        return bool(self.grade_before) and not self.grade_after and not self.excused_after
