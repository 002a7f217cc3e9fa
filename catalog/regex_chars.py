"""The characters a piece of a parsed regex may match, for catalog/regex_safety.py: exact over
Latin-1 (letters in both cases, as the matcher ignores case), and beyond it only "some"."""

from __future__ import annotations

import re

# The standard library's own regex parser (Python 3.11+; typeshed has no stubs for it).
import re._constants as _c  # type: ignore[import-not-found]
from dataclasses import dataclass
from functools import cache
from typing import Any

_UNIVERSE = 256
_CATEGORY = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}


@dataclass(frozen=True, slots=True)
class Chars:
    low: frozenset[int]  # code points below _UNIVERSE
    wide: bool  # may match some code point at or above it

    def __or__(self, other: Chars) -> Chars:
        return Chars(self.low | other.low, self.wide or other.wide)

    def overlaps(self, other: Chars) -> bool:
        return bool(self.low & other.low) or (self.wide and other.wide)


NONE = Chars(frozenset(), False)
ALL = Chars(frozenset(range(_UNIVERSE)), True)


def union(parts: Any) -> Chars:
    out = NONE
    for part in parts:
        out = out | part
    return out


def chars_of(op: Any, av: Any) -> Chars:
    """What one character-matching item may match, with or without IGNORECASE: letters in both
    cases, and a negation leaves out only what it names (the larger set either way)."""
    if op is _c.LITERAL:
        return _cased({av}, av >= _UNIVERSE)
    if op is _c.NOT_LITERAL:
        return Chars(ALL.low - {av}, True)
    if op is _c.IN:
        negate = bool(av) and av[0][0] is _c.NEGATE
        inside = NONE
        for kind, value in av[1:] if negate else av:
            if kind is _c.LITERAL:
                inside = inside | _cased({value}, value >= _UNIVERSE, fold=not negate)
            elif kind is _c.RANGE:
                lo, hi = value
                span = set(range(lo, min(hi, _UNIVERSE - 1) + 1))
                inside = inside | _cased(span, hi >= _UNIVERSE, fold=not negate)
            elif kind is _c.CATEGORY and not negate:
                inside = inside | _category(value)
            elif not negate:
                inside = ALL
        return Chars(ALL.low - inside.low, True) if negate else inside
    return ALL  # ANY and whatever else consumes a character


@cache
def _category(value: Any) -> Chars:
    probe = re.compile(_CATEGORY.get(value, r"[\s\S]"))
    return Chars(frozenset(c for c in range(_UNIVERSE) if probe.match(chr(c))), True)


def _cased(points: set[int], wide: bool, fold: bool = True) -> Chars:
    low = {p for p in points if p < _UNIVERSE}
    if fold:
        low |= {ord(chr(p).swapcase()) for p in low if len(chr(p).swapcase()) == 1}
    return Chars(frozenset(p for p in low if p < _UNIVERSE), wide)
