"""What every platform adapter calls: text in, `Answer` out (help and list included).

Adapters stay thin: they turn a platform payload into text and a reply target, call
`Assistant.answer`, render the answer with their platform's renderer, and send it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bots.answer import Answer, build_answer, help_answer
from catalog import Catalog
from matcher import Matcher, normalize_paste

_COMMAND = re.compile(r"^\s*(help|list|\?)\s*[.!?]?\s*$", re.IGNORECASE)


@dataclass(slots=True)
class Assistant:
    catalog: Catalog
    matcher: Matcher

    @classmethod
    def for_catalog(cls, catalog: Catalog) -> Assistant:
        return cls(catalog=catalog, matcher=Matcher(catalog))

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

    async def answer(self, text: str) -> Answer:
        """The reply to a message: help for an empty message or `help`/`list`, else the match."""
        if self.command(text) is not None:
            return help_answer(self.catalog)
        result = await self.matcher.match_async(text)
        return build_answer(result, self.catalog)
