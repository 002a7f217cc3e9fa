"""The facts of one course, each read from Canvas at most once per diagnosis.

Checks run concurrently and share these: the first to ask starts the request, the others wait
for it. Which assignments sync comes from the SIS integration's own view
(GET /api/sis/courses/:id/assignments); their overrides from the assignments list with
`include[]=overrides`, or, when a scoped key ignores includes, from `date_details`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from canvas import errors
from canvas.api import CanvasReader
from canvas.assignments import Assignment, SisAssignment
from canvas.models import Course, GradeChange, GradingPeriod, Section
from canvas.urls import Links

T = TypeVar("T")
GRADE_LOG_DAYS = 30  # "Sync to SIS" sends grades changed in the last 30 days
MAX_DATE_DETAILS = 15  # requests a diagnosis may spend filling in overrides one by one


class CourseFacts:
    def __init__(
        self,
        reader: CanvasReader,
        course_id: str,
        links: Links,
        now: datetime,
        assignment_id: str | None = None,
    ):
        self.reader = reader
        self.course_id = course_id
        self.links = links
        self.now = now
        self.assignment_id = assignment_id  # from a pasted assignment URL: check only it
        self._tasks: dict[str, asyncio.Task[Any]] = {}

    def _once(self, name: str, load: Callable[[], Awaitable[T]]) -> Awaitable[T]:
        task = self._tasks.get(name)
        if task is None:
            task = asyncio.ensure_future(load())
            self._tasks[name] = task
        return asyncio.shield(task)

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()

    def course(self) -> Awaitable[Course]:
        return self._once("course", lambda: self.reader.course(self.course_id))

    def sections(self) -> Awaitable[list[Section]]:
        return self._once("sections", lambda: self.reader.sections(self.course_id))

    def grading_periods(self) -> Awaitable[list[GradingPeriod]]:
        return self._once("periods", lambda: self.reader.grading_periods(self.course_id))

    def grade_changes(self) -> Awaitable[list[GradeChange]]:
        since = self.now - timedelta(days=GRADE_LOG_DAYS)
        return self._once("changes", lambda: self.reader.grade_changes(self.course_id, since))

    def sis_assignments(self) -> Awaitable[list[SisAssignment]]:
        async def load() -> list[SisAssignment]:
            rows = await self.reader.sis_assignments(self.course_id)
            return [a for a in rows if self.assignment_id in (None, a.id)]

        return self._once("sis", load)

    def passback(self) -> Awaitable[list[Assignment]]:
        """The assignments that sync (published, Sync to SIS on), with their overrides: only
        the linked one when an assignment URL was pasted."""
        return self._once("passback", self._passback)

    def course_passback(self) -> Awaitable[list[Assignment]]:
        """Every assignment of the course that syncs, even when an assignment was linked
        (a duplicate name needs the others to compare with). Overrides not filled in."""
        return self._once("course_passback", self._course_passback)

    async def _course_passback(self) -> list[Assignment]:
        rows = await self._once("assignments", lambda: self.reader.assignments(self.course_id))
        if self.assignment_id is not None:
            linked = [a for a in rows if a.id == self.assignment_id]
            if not linked:
                raise errors.NotFound("no such assignment in the course")
            if not (linked[0].published and linked[0].post_to_sis):
                raise NotSynced(linked[0])
        return [a for a in rows if a.published and a.post_to_sis]

    async def _passback(self) -> list[Assignment]:
        course_wide = await self.course_passback()
        synced = [a for a in course_wide if self.assignment_id in (None, a.id)]
        missing = [a for a in synced if a.overrides is None and a.has_overrides]
        if len(missing) > MAX_DATE_DETAILS:
            raise errors.BudgetExceeded("too many assignments to read one by one")
        filled = {
            a.id: a
            for a in await asyncio.gather(
                *(self.reader.date_details(self.course_id, a) for a in missing)
            )
        }
        return [filled.get(a.id, a) for a in synced]


class NotSynced(Exception):
    """The pasted assignment does not sync to the SIS at all."""

    def __init__(self, assignment: Assignment):
        super().__init__(assignment.name)
        self.assignment = assignment
