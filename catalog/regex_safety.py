"""Patterns from a catalog file must not take more than linear time on a paste.

Python's `re` backtracks: when a match fails it retries every other way the pattern could have
matched the same text. A pattern is safe when that number of ways stays small whatever the
text, so matching costs at most (text length x pattern width x a small constant). This module
bounds it on the parsed pattern (the standard library's own parser), conservatively: a pattern
it cannot show to be unambiguous enough is refused, the packaged catalog and overlays alike.

What multiplies the ways, and how each is counted:
- adjacent variable-width pieces that can take the same characters (`\\w*\\w*!`, `.*a.*a`,
  `[a-z]{0,200}[a-z]{0,200}!`): the product of their numbers of lengths, divided by the
  largest (one such piece alone only gives back characters: linear). A piece that must match
  a character none of the run before it can take (`-` after `\\w*`) ends the run: where it
  starts is then fixed;
- alternatives that can start with the same character (`(?:a|aa)`, `(?:a|)`): one way each;
- a repeat: its body followed by its body is counted as above; repeated without bound, any
  ambiguity there is unbounded (`(?:a+)+`, `(?:a|a)*`, `(.*a){12}`); a body that can match
  nothing may be repeated any number of times for free (`(?:a*)*`), so it is refused;
- backreferences and conditionals are refused outright.
A failure is what makes the engine retry, so pieces at the very end of a pattern that cannot
fail (an optional tail, as compiled templates have) add no ways; lookarounds add their own.
Character sets are compared over Latin-1 with letters of both cases; anything wider (a class
such as `\\w`, a negation, a range past Latin-1) is assumed to overlap anything wider.
"""

from __future__ import annotations

import math

# The standard library's own regex parser (Python 3.11+; typeshed has no stubs for it).
import re._constants as _c  # type: ignore[import-not-found]
import re._parser as _parser  # type: ignore[import-not-found]
from dataclasses import dataclass, replace
from typing import Any

from catalog.regex_chars import ALL, NONE, Chars, chars_of, union

# Worst number of ways to match one text allowed: in all (the packaged catalog's patterns reach
# 144, counting each alternative and each optional part taken or not as a way of its own), and
# from the lengths of adjacent repeats alone (polynomial: `[a-z]{0,200}[a-z]{0,200}!` is 201;
# the packaged catalog's reach 9).
LIMIT = 256
RUN_LIMIT = 16
# The longest text one match may take. A search retries a pattern from every character of the
# paste (up to 40,000), each time as far as it can reach: `\w*!` costs seconds on one line
# of letters, `[^"]{0,600}!` (the packaged catalog's longest) a twentieth of one.
MAX_WIDTH = 1000
_WIDE = (
    f"can match more than {MAX_WIDTH} characters (a *, + or {{n,}} repeat), and a search tries "
    "it again from every character of a long paste, which can take minutes: give each repeat "
    "an upper bound, like {1,64}"
)
_VARIANTS = 64
_INF = math.inf
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | (
    {_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set()
)
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


class _Refused(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Piece:
    chars: Chars  # every character it may consume
    first: Chars  # the characters it may start with
    low: float  # shortest and longest match
    high: float
    ways: float  # worst number of ways it matches one text
    zero_width: bool = False
    always: bool = False  # cannot fail (it may match nothing)
    at_most: float = _INF  # how many different lengths it may match, when fewer than its range
    worst_run: float = 1  # the most ways adjacent repeats inside it give

    @property
    def lengths(self) -> float:
        return _INF if self.high == _INF else min(self.high - self.low + 1, self.at_most)


def backtracking_risk(pattern: str, *, tail_free: bool = True) -> str | None:
    """Why `pattern` may take more than linear time, or None when it cannot.

    `tail_free`: nothing follows the pattern that could fail (`search`, `finditer`); False for
    a pattern used with `fullmatch` or inside a larger one.
    """
    try:
        parsed = _parser.parse(pattern)
    except Exception:  # not a valid regex: said elsewhere
        return None
    try:
        checked = _sequence(list(parsed), tail_free)
        ways, worst_run = checked.ways, checked.worst_run
    except _Refused as exc:
        return str(exc)
    except RecursionError:
        return "is nested too deeply to check"
    if ways > LIMIT or worst_run > RUN_LIMIT:
        return (
            "can match the same text in too many ways (like \\w*\\w*! or (?:a|aa)+), which can "
            "take minutes on a long paste: put a character between repeats that the one "
            "before cannot match, and make alternatives start differently"
        )
    if checked.high > MAX_WIDTH:
        return _WIDE
    return None


def _sequence(items: list[tuple[Any, Any]], tail_free: bool) -> _Piece:
    variants, choices = _pieces(items, tail_free)
    combined = [_combine(v, tail_free) for v in variants]
    return replace(_union_pieces(combined), ways=choices * max(v.ways for v in combined))


def _pieces(items: list[tuple[Any, Any]], tail_free: bool) -> tuple[list[list[_Piece]], float]:
    """The sequences of pieces `items` may be, a group's own pieces among them: they run on
    into the ones around. An optional part with something after it that may fail is two
    sequences, with and without it (past _VARIANTS, one piece that may be empty); `choices`
    counts the ways those add: two where the part and what follows may start alike. Read from
    the end, as what follows a piece decides whether a failure can come after it."""
    variants: list[list[_Piece]] = [[]]
    choices = 1.0
    for op, av in reversed(items):
        options: list[list[_Piece]]
        if op is _c.SUBPATTERN:
            options, inner = _pieces(list(av[-1]), tail_free)
            choices *= inner
        elif op in _REPEATS and av[0] == 0 and not tail_free:  # taken, or not
            if av[1] == 1:
                taken, inner = _pieces(list(av[2]), False)
            else:
                taken, inner = [[_repeat((1, *av[1:]), False)]], 1.0
            after = union(_first(v, tail_free) for v in variants)
            alike = any(_low(t) == 0 or _first(t, False).overlaps(after) for t in taken)
            choices *= inner * (2 if alike else 1)
            options = [*taken, []]
        else:
            options = [[_piece(op, av, tail_free)]]
        if len(options) * len(variants) > _VARIANTS:
            options = [[_union_pieces([_combine(o, tail_free) for o in options])]]
        variants = [o + v for o in options for v in variants]
        tail_free = tail_free and all(p.always for o in options for p in o)
    return variants, choices


def _first(pieces: list[_Piece], tail_free: bool) -> Chars:
    """The characters `pieces` may start with (anything, when they may match nothing and an
    unknown pattern follows)."""
    first = NONE
    for piece in pieces:
        first = first | piece.first
        if piece.low > 0:
            return first
    return first if tail_free else ALL


def _low(pieces: list[_Piece]) -> float:
    return sum(p.low for p in pieces)


def _union_pieces(pieces: list[_Piece]) -> _Piece:
    """One piece that is any of `pieces`."""
    return _Piece(
        chars=union(p.chars for p in pieces),
        first=union(p.first for p in pieces),
        low=min(p.low for p in pieces),
        high=max(p.high for p in pieces),
        ways=sum(p.ways for p in pieces),
        always=any(p.always for p in pieces),
        worst_run=max(p.worst_run for p in pieces),
    )


def _combine(pieces: list[_Piece], tail_free: bool) -> _Piece:
    ways = math.prod(p.ways for p in pieces)
    counted = list(pieces)
    while tail_free and counted and counted[-1].always:
        counted.pop()  # cannot fail, and nothing after it can: never retried
    run: list[float] = []
    seen = NONE
    worst = max((p.worst_run for p in pieces), default=1)
    for piece in counted:
        consumes = not piece.zero_width and piece.low > 0
        if run and consumes and not piece.first.overlaps(seen):
            worst = max(worst, _run_ways(run))
            ways *= _run_ways(run)
            run, seen = [], NONE
        run.append(piece.lengths)
        seen = seen | piece.chars
    worst = max(worst, _run_ways(run))
    ways *= _run_ways(run)
    first = NONE
    for piece in pieces:
        first = first | piece.first
        if piece.low > 0:
            break
    return _Piece(
        chars=union(p.chars for p in pieces),
        first=first,
        low=sum(p.low for p in pieces),
        high=sum(p.high for p in pieces),
        ways=ways,
        always=all(p.always for p in pieces),
        worst_run=worst,
    )


def _run_ways(lengths: list[float]) -> float:
    varying = sorted(n for n in lengths if n > 1)
    if len(varying) < 2:
        return 1
    return math.prod(varying[:-1])  # inf when two of them are unbounded, or one and another


def _piece(op: Any, av: Any, tail_free: bool) -> _Piece:
    if op in _REPEATS:
        return _repeat(av, tail_free)
    if op is _c.BRANCH:
        return _branch(av[1], tail_free)
    if op in _ZERO_WIDTH:
        if op is _c.AT:
            return _Piece(NONE, NONE, 0, 0, 1, zero_width=True)
        body = _sequence(list(av[1]), True)
        if body.high > MAX_WIDTH:
            raise _Refused(_WIDE)
        return _Piece(NONE, NONE, 0, 0, body.ways, zero_width=True, worst_run=body.worst_run)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(av), tail_free)
    if op in (_c.GROUPREF, _c.GROUPREF_EXISTS) or op is getattr(_c, "GROUPREF_IGNORE", None):
        raise _Refused("refers back to a group, which cannot be checked: spell it out")
    chars = chars_of(op, av)
    return _Piece(chars, chars, 1, 1, 1)


def _repeat(av: Any, tail_free: bool) -> _Piece:
    low, high, body = av
    if high == 1:  # optional: may run on into what follows, and cannot fail
        inner = _sequence(list(body), tail_free)
        return _Piece(
            inner.chars, inner.first, low * inner.low, inner.high, inner.ways, always=low == 0
        )
    inner = _sequence(list(body), False)
    if inner.low == 0:
        raise _Refused(
            "repeats something that can match nothing, like (?:a*)* or (?:a|)+, which can take "
            "minutes on a long paste: make what is repeated match at least one character"
        )
    pair = _sequence(list(body) + list(body), False)
    twice = pair.ways
    unbounded = high >= _c.MAXREPEAT
    if unbounded:
        ways = 1.0 if twice <= 1 else _INF
    else:
        ways = twice ** max(high - 1, 1) if twice > 1 else 1.0
    return _Piece(
        chars=inner.chars,
        first=inner.first,
        low=low * inner.low,
        high=_INF if unbounded or inner.high == _INF else high * inner.high,
        ways=ways,
        always=low == 0,
        worst_run=pair.worst_run if unbounded else pair.worst_run ** max(high - 1, 1),
    )


def _branch(alternatives: list[Any], tail_free: bool) -> _Piece:
    pieces = [_sequence(list(alt), tail_free) for alt in alternatives]
    overlapping = any(
        a.low == 0 or b.low == 0 or a.first.overlaps(b.first)
        for i, a in enumerate(pieces)
        for b in pieces[i + 1 :]
    )
    ways = sum(p.ways for p in pieces) if overlapping else max(p.ways for p in pieces)
    return _Piece(
        chars=union(p.chars for p in pieces),
        first=union(p.first for p in pieces),
        low=min(p.low for p in pieces),
        high=max(p.high for p in pieces),
        ways=ways,
        always=any(p.always for p in pieces),
        worst_run=max(p.worst_run for p in pieces),
        at_most=sum(p.lengths for p in pieces),  # (?:job|export): 2, not 4
    )
