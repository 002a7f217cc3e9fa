"""What every platform adapter calls: text in, `Answer` out (help and list included).

Adapters stay thin: they turn a platform payload into text and a reply target, call
`Assistant.answer`, render the answer with their platform's renderer, and send it.
`Assistant.read` is the only place text becomes an `Answer`; the CLI and the adapters that
must look at a message before answering it (a mention under a thread) read it there, once.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bots.answer import Answer, build_answer, help_answer, list_answer
from bots.logs import add_log_context
from catalog import Catalog
from matcher import Matcher, MatchResult, normalize_paste

if TYPE_CHECKING:  # the CLI uses the assistant without loading aiohttp or prometheus
    from bots.metrics import Metrics

log = logging.getLogger("passback.answers")
_COMMAND = re.compile(r"^\s*(help|list|\?)\s*[.!?]?\s*$", re.IGNORECASE)

Command = Literal["help", "list"]


@dataclass(frozen=True, slots=True)
class Reading:
    """A message read once: the command it is (if any), its answer and the match behind it."""

    command: Command | None
    answer: Answer
    result: MatchResult | None  # None for a command: nothing was matched
    blank: bool  # nothing but whitespace (read as help)
    elapsed: float  # seconds it took to read

    @property
    def has_error_text(self) -> bool:
        """Whether the message carries something to answer itself: help / list, or an error
        (matched, suggested or error-shaped). A blank message has none."""
        if self.blank:
            return False
        if self.result is None:
            return True
        found = self.result
        return bool(found.matches or found.suggestions or found.looks_like_error)


@dataclass(slots=True)
class Assistant:
    catalog: Catalog
    matcher: Matcher
    metrics: Metrics | None = None

    @classmethod
    def for_catalog(cls, catalog: Catalog, metrics: Metrics | None = None) -> Assistant:
        return cls(catalog=catalog, matcher=Matcher(catalog), metrics=metrics)

    @staticmethod
    def command(text: str) -> Command | None:
        """ "help" or "list" when the text is only that command (or nothing at all), else None."""
        cleaned = normalize_paste(text).text
        if not cleaned:
            return "help"
        found = _COMMAND.match(cleaned)
        if not found:
            return None
        return "list" if found.group(1).lower() == "list" else "help"

    async def read(self, text: str) -> Reading:
        """What `text` asks and its answer: help for nothing or `help`, the list for `list`,
        else the match. Neither logged nor counted: `answer` does that for a question asked."""
        started = time.perf_counter()
        command = self.command(text)
        result: MatchResult | None = None
        if command == "list":
            answer = list_answer(self.catalog)
        elif command is not None:
            answer = help_answer(self.catalog)
        else:
            result = await self.matcher.match_async(text)
            answer = build_answer(result, self.catalog)
        blank = command == "help" and not normalize_paste(text).text
        return Reading(command, answer, result, blank, time.perf_counter() - started)

    async def answer(
        self, text: str, *, platform: str = "other", reading: Reading | None = None
    ) -> Answer:
        """The reply to a message (see `read`; pass `reading` if the message was read already).

        Counts the answer by entry (never by its text) and how long it took, and names the
        entries in the log context of the request being answered."""
        if reading is None:
            reading = await self.read(text)
        answer, elapsed = reading.answer, reading.elapsed
        entry_id = ",".join(answer.entry_ids) or answer.kind
        add_log_context(entry_id=entry_id)
        log.info(
            "answered (%s)",
            answer.kind,
            extra={"entry_id": entry_id, "answer_ms": round(elapsed * 1000, 2)},
        )
        if self.metrics is not None:
            self.metrics.answer_latency.labels(platform=platform).observe(elapsed)
            self.metrics.count_answer(answer.entry_ids, answer.kind)
        return answer

    async def redraw(self, text: str) -> Answer:
        """The answer to `text` again, for a card redrawn after a click: not a question asked,
        so neither counted nor timed."""
        return (await self.read(text)).answer
