"""What every platform adapter calls: text in, `Answer` out (help and list included).

Adapters stay thin: they turn a platform payload into text and a reply target, call
`Assistant.answer`, render the answer with their platform's renderer, and send it.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bots.answer import Answer, build_answer, help_answer, list_answer
from bots.logs import add_log_context
from catalog import Catalog
from matcher import Matcher, normalize_paste

if TYPE_CHECKING:  # the CLI uses the assistant without loading aiohttp or prometheus
    from bots.metrics import Metrics

log = logging.getLogger("passback.answers")
_COMMAND = re.compile(r"^\s*(help|list|\?)\s*[.!?]?\s*$", re.IGNORECASE)


@dataclass(slots=True)
class Assistant:
    catalog: Catalog
    matcher: Matcher
    metrics: Metrics | None = None

    @classmethod
    def for_catalog(cls, catalog: Catalog, metrics: Metrics | None = None) -> Assistant:
        return cls(catalog=catalog, matcher=Matcher(catalog), metrics=metrics)

    @staticmethod
    def command(text: str) -> str | None:
        """ "help" or "list" when the text is only that command (or nothing at all), else None."""
        cleaned = normalize_paste(text).text
        if not cleaned:
            return "help"
        found = _COMMAND.match(cleaned)
        if not found:
            return None
        return "list" if found.group(1).lower() == "list" else "help"

    async def answer(self, text: str, *, platform: str = "other") -> Answer:
        """The reply to a message: help for an empty message or `help`/`list`, else the match.

        Counts the answer by entry (never by its text) and how long it took, and names the
        entries in the log context of the request being answered."""
        started = time.perf_counter()
        answer = await self._build(text)
        elapsed = time.perf_counter() - started
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
        return await self._build(text)

    async def _build(self, text: str) -> Answer:
        command = self.command(text)
        if command == "list":
            return list_answer(self.catalog)
        if command is not None:
            return help_answer(self.catalog)
        return build_answer(await self.matcher.match_async(text), self.catalog)
