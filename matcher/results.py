"""What the matcher returns: frozen values, no platform types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# A match at or above this confidence is an answer; below it, at most a suggestion.
CONFIDENT = 0.6
SUGGEST = 0.3


@dataclass(frozen=True, slots=True)
class Match:
    """One catalog entry found in the text.

    `fields` are the values of the first occurrence, exactly as pasted; `values` lists every
    distinct value of each field across all occurrences, in order of appearance (the same error
    for 30 students gives 30 result ids and `occurrences == 30`).
    """

    entry_id: str
    title: str
    confidence: float
    fields: Mapping[str, str]
    occurrences: int = 1
    values: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    excerpt: str = ""  # the matched text of the first occurrence, after cleaning
    start: int = 0  # offset of the first occurrence in MatchResult.text


@dataclass(frozen=True, slots=True)
class Suggestion:
    entry_id: str
    title: str
    confidence: float
    # Set when the text has this entry's message with a value the catalog does not document
    # (HTTP 500 where only 422 is documented): the values that differ, {"http_status": "500"}.
    undocumented: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class MatchResult:
    matches: tuple[Match, ...]
    suggestions: tuple[Suggestion, ...]
    text: str  # the cleaned text the matcher read
    truncated: bool = False  # the input was longer than the limit and was cut
    looks_like_error: bool = False  # error-shaped text, whether or not it is in the catalog
    small_talk: bool = False  # only a greeting or thanks: nothing to answer or escalate

    @property
    def unlisted(self) -> bool:
        """An error that is not in the catalog: report it to Canvas Support (the source says so)."""
        return not self.matches and self.looks_like_error

    def to_json(self) -> dict[str, object]:
        """The shape `passback match` prints."""
        return {
            "matches": [
                {
                    "id": m.entry_id,
                    "title": m.title,
                    "confidence": round(m.confidence, 3),
                    "fields": dict(m.fields),
                    "occurrences": m.occurrences,
                }
                for m in self.matches
            ],
            "suggestions": [
                {"id": s.entry_id, "title": s.title, "confidence": round(s.confidence, 3)}
                for s in self.suggestions
            ],
        }
