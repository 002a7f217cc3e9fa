"""Patterns from a catalog file must not take exponential time on a paste.

A quantifier over something that is itself repeated, `(?:a+)+b`, makes Python's backtracking
engine try every way of splitting a run of `a`s between the two: 28 characters cost 22 s of
CPU. So a pattern is refused when the catalog is loaded (the packaged catalog and every overlay
alike) if it repeats without bound something that repeats (`(?:a+)+`, `(?:a{1,9})*`), or
repeats more than once something that repeats without bound (`(?:a+){2,5}`). Bounded repeats
inside bounded ones (`(?:-[A-Z]{1,16}){0,6}`, as the packaged catalog has) stay allowed.
"""

from __future__ import annotations

# The standard library's own regex parser (Python 3.11+; typeshed has no stubs for it).
import re._constants as _constants  # type: ignore[import-not-found]
import re._parser as _parser  # type: ignore[import-not-found]
from typing import Any

_UNBOUNDED = _constants.MAXREPEAT
_REPEATS = {_constants.MAX_REPEAT, _constants.MIN_REPEAT}
if hasattr(_constants, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_constants.POSSESSIVE_REPEAT)


def nested_quantifier(pattern: str) -> bool:
    """Whether `pattern` nests repeats in a way that can take exponential time (see above)."""
    try:
        parsed = _parser.parse(pattern)
    except Exception:  # not a valid regex: said elsewhere
        return False
    return _walk(list(parsed), outer=None)


def _walk(items: list[tuple[Any, Any]], outer: int | None) -> bool:
    """`outer`: the largest count of the repeat these items are inside (None: not inside)."""
    for op, av in items:
        if op in _REPEATS:
            _low, high, body = av
            if high > 1 and outer is not None and (high >= _UNBOUNDED or outer >= _UNBOUNDED):
                return True
            if _walk(list(body), high if high > 1 and outer is None else outer):
                return True
        elif op is _constants.SUBPATTERN:
            if _walk(list(av[-1]), outer):
                return True
        elif op is _constants.BRANCH:
            if any(_walk(list(branch), outer) for branch in av[1]):
                return True
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT) and _walk(list(av[1]), outer):
            return True
    return False
