"""'Check in Canvas' from a card, for every chat platform: who asks, which course, the finding.

The adapters give the stored paste, the person's e-mail as their platform knows it (never
from the message text), and the course they picked, if any; this decides the rest and says
every failure in one sentence. One check per person and card at a time; the whole check is
bounded by `seconds`. Counted by catalog entry, platform and outcome; logged without e-mails,
course names or ids.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bots.answer import Answer, build_answer
from bots.canvas_check import CanvasChecker, CourseChoice, checkable
from canvas.settings import CanvasSettings
from canvas.urls import CourseRef, CourseRefError
from catalog import Catalog
from matcher import Matcher, MatchResult

if TYPE_CHECKING:
    from bots.metrics import Metrics

log = logging.getLogger("passback.canvas")

CHECK_SECONDS = 15.0
CHECKING = "Checking Canvas…"
NO_IDENTITY = (
    "I can't check Canvas for you: I could not confirm your school e-mail address. "
    "Ask your Canvas admin."
)
PICK_A_COURSE = "Which course? Pick one of yours, or paste a course link instead."
OUTCOMES = ("found", "clear", "not_permitted", "canvas_error")


@dataclass(frozen=True, slots=True)
class ChatCheck:
    answer: Answer  # with the findings when Canvas answered
    outcome: str  # found | clear | not_permitted | canvas_error | choose (a course menu)
    note: str | None = None  # for the person, when there is no finding
    choices: tuple[CourseChoice, ...] = ()


class CanvasChecks:
    """Built once by the server when Canvas is configured; its client opens at start-up."""

    def __init__(
        self,
        settings: CanvasSettings,
        catalog: Catalog,
        matcher: Matcher,
        metrics: Metrics | None = None,
        seconds: float = CHECK_SECONDS,
    ):
        self.settings = settings
        self.catalog = catalog
        self.matcher = matcher
        self.metrics = metrics
        self.seconds = seconds
        self.checker: CanvasChecker | None = None
        self._running: set[tuple[str, str]] = set()

    async def session(self, app: object) -> AsyncIterator[None]:
        """An aiohttp cleanup context: one HTTP session and client for the server's life."""
        import aiohttp

        from canvas.settings import open_client

        async with aiohttp.ClientSession() as session:
            self.checker = CanvasChecker(
                self.settings, open_client(self.settings, session), self.catalog
            )
            yield
            self.checker = None

    def offers(self, answer: Answer) -> bool:
        return checkable(answer)

    def begin(self, person: str, card: str) -> bool:
        """False when this person's check of this card is already running (a second click)."""
        key = (person, card)
        if key in self._running:
            return False
        self._running.add(key)
        return True

    def end(self, person: str, card: str) -> None:
        self._running.discard((person, card))

    async def answer_for(self, text: str) -> Answer:
        """The card's answer before any check (for "Checking Canvas…")."""
        return build_answer(await self.matcher.match_async(text), self.catalog)

    async def run(
        self, text: str, email: str | None, *, platform: str, course_id: str | None = None
    ) -> ChatCheck:
        """The check of the paste `text` for the person with `email` (None: unknown)."""
        started = time.perf_counter()
        result = await self.matcher.match_async(text)
        answer = build_answer(result, self.catalog)
        check = await self._run(answer, result, text, email, course_id)
        if check.outcome in OUTCOMES:
            elapsed = time.perf_counter() - started
            entry = answer.entry_ids[0] if answer.entry_ids else answer.kind
            log.info(
                "canvas check: %s",
                check.outcome,
                extra={"entry_id": entry, "check_ms": round(elapsed * 1000, 1)},
            )
            if self.metrics is not None:
                self.metrics.canvas_checks.labels(
                    entry=entry, platform=platform, outcome=check.outcome
                ).inc()
                self.metrics.canvas_check_latency.labels(platform=platform).observe(elapsed)
        return check

    async def _run(
        self,
        answer: Answer,
        result: MatchResult,
        text: str,
        email: str | None,
        course_id: str | None,
    ) -> ChatCheck:
        checker = self.checker
        if checker is None:
            return ChatCheck(answer, "canvas_error", "Canvas is not ready yet; try again.")
        if not email:
            return ChatCheck(answer, "not_permitted", NO_IDENTITY)
        if not checkable(answer):
            return ChatCheck(answer, "clear", "Canvas cannot show the cause of this error.")
        try:
            async with asyncio.timeout(self.seconds):
                if course_id is not None:
                    if not (course_id.isdigit() and len(course_id) <= 20):
                        return ChatCheck(answer, "not_permitted", "That is not a Canvas course.")
                    ref: CourseRef | None = CourseRef(course_id)
                else:
                    try:
                        ref = checker.course_in(text)
                    except CourseRefError as exc:
                        return ChatCheck(answer, "not_permitted", str(exc))
                if ref is None:
                    choices = await checker.courses_of(email)
                    if not choices.courses:
                        outcome = "canvas_error" if choices.failed else "not_permitted"
                        return ChatCheck(answer, outcome, choices.note)
                    return ChatCheck(answer, "choose", PICK_A_COURSE, choices.courses)
                checked = await checker.check(answer, result, ref, email)
        except TimeoutError:
            return ChatCheck(
                answer,
                "canvas_error",
                f"Canvas at {checker.host} took longer than {self.seconds:g} seconds; "
                "try again in a minute, or escalate.",
            )
        return ChatCheck(checked.answer, checked.outcome, checked.note)
