"""Who may see a course's facts. Fail closed: anything unclear is a no.

A person sees a course only if exactly one Canvas user has their e-mail as login id or e-mail
(exact, case-insensitive) and holds an active Teacher or TA enrollment in that course, or the
e-mail is on the district's admin list. A refusal says the same whether or not the course
exists. Decisions are cached for minutes, never longer.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from canvas import errors
from canvas.api import CanvasReader

TEACHING = frozenset({"TeacherEnrollment", "TaEnrollment"})
DECISION_SECONDS = 120.0
REFUSAL = (
    "You can check a course in Canvas only if you teach it (as its teacher or TA) "
    "or are one of the district's Canvas admins for passback."
)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    why: str  # for the person: never says whether the course exists


class Authoriser:
    def __init__(self, admins: Iterable[str] = (), seconds: float = DECISION_SECONDS):
        self.admins = frozenset(a.strip().casefold() for a in admins if a.strip())
        self.seconds = seconds
        self._decisions: dict[tuple[str, str], tuple[float, Decision]] = {}

    async def decide(self, reader: CanvasReader, email: str | None, course_id: str) -> Decision:
        """`email` None: the operator on the server, who is trusted."""
        if email is None:
            return Decision(True, "the operator on the server")
        person = email.strip().casefold()
        if not person or "@" not in person:
            return Decision(False, REFUSAL)
        if person in self.admins:
            return Decision(True, "a district Canvas admin for passback")
        now = time.monotonic()
        cached = self._decisions.get((person, course_id))
        if cached and cached[0] > now:
            return cached[1]
        decision = await self._ask_canvas(reader, person, course_id)
        self._decisions[(person, course_id)] = (now + self.seconds, decision)
        return decision

    async def _ask_canvas(self, reader: CanvasReader, person: str, course_id: str) -> Decision:
        user_id = await canvas_user_id(reader, person)
        if user_id is None:
            return Decision(False, REFUSAL)
        try:
            enrollments = await reader.teaching_enrollments(course_id, user_id)
        except errors.NotFound:
            return Decision(False, REFUSAL)
        teaching = any(
            e.user_id == user_id and e.type in TEACHING and e.enrollment_state == "active"
            for e in enrollments
        )
        if teaching:
            return Decision(True, "teaches the course")
        return Decision(False, REFUSAL)


async def canvas_user_id(reader: CanvasReader, email: str) -> str | None:
    """The one Canvas user whose login id or e-mail is `email` (exact, case-insensitive);
    None for no match or several."""
    person = email.strip().casefold()
    if not person or "@" not in person:
        return None
    users = await reader.users_matching(person)
    ids = {
        u.id
        for u in users
        if (u.login_id or "").casefold() == person or (u.email or "").casefold() == person
    }
    return ids.pop() if len(ids) == 1 else None
