"""One diagnosis: authorise, then run the matched entries' checks together, within bounds.

Bounds: the whole diagnosis stops after `seconds` (~10 s) and `max_requests` requests (the
authorisation calls included); a check that did not finish says so. Canvas errors become the
check's status and a sentence; only a token Canvas refuses, or a Canvas that cannot be reached
at all, stops the whole diagnosis (raised to the caller, who says it in one sentence).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from canvas import errors
from canvas.access import Authoriser
from canvas.api import CanvasClient
from canvas.diagnoses import date_checks, record_checks
from canvas.diagnoses.facts import CourseFacts, NotSynced
from canvas.diagnoses.model import Check, CourseInfo, Diagnosis, Suspect
from canvas.diagnoses.record_checks import SisHidden
from canvas.transport import Budget
from canvas.urls import CourseRef, Links

CheckFn = Callable[[CourseFacts, Suspect], Awaitable[Check]]

CHECKS: dict[str, CheckFn] = {
    "unable-to-process-score": date_checks.unable_to_process_score,
    "assignment-scores-export": date_checks.assignment_scores_export,
    "assignment-dates": date_checks.assignment_dates,
    "assignment-id": record_checks.assignment_id,
    "could-not-determine-class-or-grading-period": record_checks.class_or_grading_period,
    "put-oneroster": record_checks.score_removed,
    "assignment-scores-export-put-oneroster": record_checks.duplicate_name,
}

# What the service account's role needs for each check (README "Canvas" says the same).
NEEDS = {
    "unable-to-process-score": "Course Content - view",
    "assignment-scores-export": "Grades - view all grades",
    "assignment-dates": "Course Content - view",
    "assignment-id": "Users - view list and SIS Data - read",
    "could-not-determine-class-or-grading-period": "Users - view list and SIS Data - read",
    "put-oneroster": "Grades - view all grades (or Grade Audit Trail - view)",
    "assignment-scores-export-put-oneroster": "Course Content - view",
}


class Denied(Exception):
    """The person may not see this course's facts; the message is safe to show them."""


class Diagnoser:
    def __init__(
        self,
        client: CanvasClient,
        authoriser: Authoriser,
        *,
        seconds: float = 10.0,
        max_requests: int = 40,
    ):
        self.client = client
        self.authoriser = authoriser
        self.seconds = seconds
        self.max_requests = max_requests

    async def diagnose(
        self,
        suspects: Sequence[Suspect],
        ref: CourseRef,
        email: str | None = None,
        now: datetime | None = None,
    ) -> Diagnosis:
        budget = Budget(self.max_requests)
        reader = self.client.reader(budget)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds  # one bound for authorisation, course and checks
        links = Links(self.client.base_url)
        facts = CourseFacts(
            reader, ref.course_id, links, now or datetime.now(UTC), ref.assignment_id
        )
        try:
            async with asyncio.timeout_at(deadline):
                decision = await self.authoriser.decide(reader, email, ref.course_id)
                if not decision.allowed:
                    raise Denied(decision.why)
                course = await facts.course()
        except TimeoutError:
            facts.cancel()
            raise errors.Unreachable(
                f"Canvas answered too slowly; the diagnosis stopped after {self.seconds:g} seconds"
            ) from None
        except errors.NotFound:
            raise Denied("Canvas has no such course.") from None
        info = CourseInfo(course.id or ref.course_id, course.name, links.course(ref.course_id))
        tasks = [asyncio.ensure_future(self._check(facts, s)) for s in suspects]
        left = max(0.0, deadline - loop.time())
        done, pending = await asyncio.wait(tasks, timeout=left) if tasks else (set(), set())
        for task in pending:
            task.cancel()
        facts.cancel()
        checks = []
        for suspect, task in zip(suspects, tasks, strict=True):
            if task in done:
                checks.append(task.result())
            else:
                checks.append(
                    Check(
                        suspect.entry_id,
                        None,
                        "error",
                        f"Canvas took too long; the diagnosis stopped after "
                        f"{self.seconds:g} seconds.",
                    )
                )
        return Diagnosis(info, tuple(checks), budget.used)

    async def _check(self, facts: CourseFacts, suspect: Suspect) -> Check:
        entry = suspect.entry_id
        check = CHECKS.get(entry)
        if check is None:
            return record_checks.not_checkable(entry)
        needs = NEEDS[entry]
        try:
            return await check(facts, suspect)
        except NotSynced as exc:
            return Check(
                entry,
                None,
                "clear",
                f"'{exc.assignment.name}' is not set to sync to the SIS (it is "
                "unpublished or Sync to SIS is off), so it can't cause this error.",
            )
        except (errors.NotPermitted, errors.ScopeMissing):
            return Check(
                entry,
                None,
                "not-permitted",
                f"passback's Canvas token may not read what this check needs "
                f"({needs}); ask your Canvas admin to add it to the passback role.",
            )
        except SisHidden:
            return Check(
                entry,
                None,
                "not-permitted",
                "passback's Canvas token may not read SIS IDs (SIS Data - read), so "
                "it can't tell which sections have none.",
            )
        except errors.GradeExportDisabled:
            return Check(
                entry,
                None,
                "error",
                "Canvas says no SIS integration is configured and SIS grade export is "
                "off for this course, so nothing syncs from it; ask your Canvas admin.",
            )
        except errors.CourseUnpublished:
            return Check(
                entry,
                None,
                "error",
                "The course is not published, and Canvas sends no grades from an "
                "unpublished course. Publish it, then re-sync.",
            )
        except errors.NotFound:
            return Check(entry, None, "error", "Canvas has no such assignment in this course.")
        except errors.TokenInvalid:
            raise
        except errors.BudgetExceeded:
            return Check(
                entry,
                None,
                "error",
                "The course is too large to check within passback's request limit.",
            )
        except errors.CanvasError as exc:
            return Check(entry, None, "error", f"Canvas did not answer the check: {exc}.")
