"""The Canvas endpoints passback reads, each returning dataclasses (all GET, all read-only).

`CanvasClient` lives as long as the bot: one transport per token and a per-course cache of the
facts that change rarely (course with its term, sections, grading periods) for a few minutes.
`client.reader(budget)` gives one diagnosis its own request budget.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from canvas.assignments import Assignment, SisAssignment
from canvas.models import Course, Enrollment, GradeChange, GradingPeriod, Section, User
from canvas.transport import Budget, Transport, segment

CACHE_SECONDS = 300.0
T = TypeVar("T")


class CourseCache:
    def __init__(self, seconds: float = CACHE_SECONDS):
        self.seconds = seconds
        self._items: dict[tuple[str, str], tuple[float, Any]] = {}

    async def get(self, course_id: str, kind: str, load: Callable[[], Awaitable[T]]) -> T:
        now = time.monotonic()
        hit = self._items.get((course_id, kind))
        if hit is not None and hit[0] > now:
            return hit[1]
        value = await load()
        self._items[(course_id, kind)] = (now + self.seconds, value)
        if len(self._items) > 2000:  # a bound, not a policy: drop the expired
            self._items = {k: v for k, v in self._items.items() if v[0] > now}
        return value


class CanvasClient:
    def __init__(self, transport: Transport, cache: CourseCache | None = None):
        self.transport = transport
        self.cache = cache or CourseCache()

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    def reader(self, budget: Budget | None = None) -> CanvasReader:
        return CanvasReader(self, budget)


class CanvasReader:
    """One caller's view: every request it makes counts against its budget."""

    def __init__(self, client: CanvasClient, budget: Budget | None):
        self._t = client.transport
        self._cache = client.cache
        self.budget = budget

    async def _one(self, template: str, path: str, params: list[tuple[str, str]]) -> Any:
        data, _ = await self._t.get(template, self._t.url(path, params), self.budget)
        return data

    async def _all(
        self, template: str, path: str, params: list[tuple[str, str]], key: str | None = None
    ) -> list[dict[str, Any]]:
        items = await self._t.pages(template, path, params, key=key, budget=self.budget)
        return [i for i in items if isinstance(i, dict)]

    async def users_self(self) -> User:
        return User.from_json(await self._one("/api/v1/users/self", "/api/v1/users/self", []))

    async def users_matching(self, email: str) -> list[User]:
        """Account users Canvas finds for the e-mail (search on login id, e-mail, SIS id...)."""
        rows = await self._all(
            "/api/v1/accounts/self/users",
            "/api/v1/accounts/self/users",
            [("search_term", email), ("include[]", "email")],
        )
        return [User.from_json(r) for r in rows]

    async def teaching_enrollments(self, course_id: str, user_id: str) -> list[Enrollment]:
        rows = await self._all(
            "/api/v1/courses/:course_id/enrollments",
            f"/api/v1/courses/{segment(course_id)}/enrollments",
            [
                ("user_id", user_id),
                ("type[]", "TeacherEnrollment"),
                ("type[]", "TaEnrollment"),
                ("state[]", "active"),
            ],
        )
        return [Enrollment.from_json(r) for r in rows]

    async def teaching_courses(self, user_id: str) -> list[Course]:
        """The courses where the user holds an active Teacher or TA enrollment, with their term
        (an admin may list another user's courses)."""
        courses: dict[str, Course] = {}
        for kind in ("teacher", "ta"):
            rows = await self._all(
                "/api/v1/users/:user_id/courses",
                f"/api/v1/users/{segment(user_id)}/courses",
                [("enrollment_type", kind), ("enrollment_state", "active"), ("include[]", "term")],
            )
            for row in rows:
                course = Course.from_json(row)
                courses.setdefault(course.id, course)
        return list(courses.values())

    async def course(self, course_id: str) -> Course:
        async def load() -> Course:
            data = await self._one(
                "/api/v1/courses/:id",
                f"/api/v1/courses/{segment(course_id)}",
                [("include[]", "term"), ("include[]", "total_students")],
            )
            return Course.from_json(data if isinstance(data, dict) else {})

        return await self._cache.get(course_id, "course", load)

    async def sections(self, course_id: str) -> list[Section]:
        async def load() -> list[Section]:
            rows = await self._all(
                "/api/v1/courses/:course_id/sections",
                f"/api/v1/courses/{segment(course_id)}/sections",
                [("include[]", "total_students")],
            )
            return [Section.from_json(r) for r in rows]

        return await self._cache.get(course_id, "sections", load)

    async def grading_periods(self, course_id: str) -> list[GradingPeriod]:
        async def load() -> list[GradingPeriod]:
            rows = await self._all(
                "/api/v1/courses/:course_id/grading_periods",
                f"/api/v1/courses/{segment(course_id)}/grading_periods",
                [],
                key="grading_periods",
            )
            return [GradingPeriod.from_json(r) for r in rows]

        return await self._cache.get(course_id, "grading_periods", load)

    async def assignments(self, course_id: str) -> list[Assignment]:
        """Every assignment with its base dates and overrides (overrides need "Allow Include
        Parameters" on a scoped key; without it `Assignment.overrides` is None)."""
        rows = await self._all(
            "/api/v1/courses/:course_id/assignments",
            f"/api/v1/courses/{segment(course_id)}/assignments",
            [("include[]", "overrides"), ("override_assignment_dates", "false")],
        )
        return [Assignment.from_json(r) for r in rows]

    async def date_details(self, course_id: str, assignment: Assignment) -> Assignment:
        """`assignment` with its overrides from the date details endpoint (no include needed)."""
        data = await self._one(
            "/api/v1/courses/:course_id/assignments/:assignment_id/date_details",
            f"/api/v1/courses/{segment(course_id)}/assignments/{segment(assignment.id)}"
            "/date_details",
            [],
        )
        merged = {
            "id": assignment.id,
            "name": assignment.name,
            "html_url": assignment.html_url,
            "post_to_sis": assignment.post_to_sis,
            "published": assignment.published,
            "integration_id": assignment.integration_id,
            "has_overrides": assignment.has_overrides,
            **(data if isinstance(data, dict) else {}),
        }
        return Assignment.from_json(merged)

    async def sis_assignments(self, course_id: str) -> list[SisAssignment]:
        rows = await self._all(
            "/api/sis/courses/:course_id/assignments",
            f"/api/sis/courses/{segment(course_id)}/assignments",
            [],
        )
        return [SisAssignment.from_json(r) for r in rows]

    async def grade_changes(self, course_id: str, since: datetime) -> list[GradeChange]:
        rows = await self._all(
            "/api/v1/audit/grade_change/courses/:course_id",
            f"/api/v1/audit/grade_change/courses/{segment(course_id)}",
            [("start_time", since.isoformat())],
            key="events",
        )
        return [GradeChange.from_json(r) for r in rows]
