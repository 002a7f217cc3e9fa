"""Text in, ranked catalog matches out. Pure: no I/O, no platform imports.

from catalog import load_catalog
from matcher import Matcher

matcher = Matcher(load_catalog())
result = matcher.match(pasted_text)          # or: await matcher.match_async(pasted_text)
for m in result.matches:                     # confident answers, in order of appearance
    m.entry_id, m.confidence, m.fields, m.occurrences
result.suggestions                           # "did you mean …?", below the threshold
result.unlisted                              # error-shaped but not in the catalog
"""

from matcher.engine import Matcher
from matcher.normalize import MAX_CHARS, normalize_paste
from matcher.results import CONFIDENT, SUGGEST, Match, MatchResult, Suggestion

__all__ = [
    "CONFIDENT",
    "MAX_CHARS",
    "SUGGEST",
    "Match",
    "MatchResult",
    "Matcher",
    "Suggestion",
    "normalize_paste",
]
