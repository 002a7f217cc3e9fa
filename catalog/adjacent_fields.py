"""Fields side by side in a catalog message (`{a}{b}`, `{a} - {b}`), checked together.

Each field's pattern is safe alone (catalog/regex_safety.py); with no word between them, a
compiled template lets one run on into the next, so they are checked as one pattern, built the
way matcher/templates.py builds it.
"""

from __future__ import annotations

import re

from catalog.regex_safety import backtracking_risk

# How matcher/templates.py reads a message: fields, words (a name with underscores is one) and
# single characters; between tokens it allows one optional whitespace character.
_TOKEN = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z0-9_]+)|(\S)")
# The punctuation a compiled template keeps as required; the rest it makes optional. A word of
# underscores alone (`{a}_{b}`) becomes `[_ ]?` per underscore: optional too.
_KEPT = frozenset("-/")


def adjacent_fields_risk(message: str, patterns: dict[str, str]) -> str | None:
    """Why fields in a catalog message with no word between them (`{a}{b}`, `{a}, {b}`,
    `{a} - {b}`) may take more than linear time together, or None.

    Each such cluster is checked as the template compiles it: the fields' patterns with the
    separators between them (`-` and `/` required, other punctuation optional, an optional
    whitespace character between tokens). A failure after the cluster is what makes the engine
    retry its fields, so it is checked as the end of a search only when nothing but optional
    punctuation follows it in the message (a word after it counts as required: conservative,
    as a template's head may run on past the cluster).
    """
    clusters: list[tuple[list[str], list[str], bool]] = []  # names, regex parts, tail free
    names: list[str] = []
    parts: list[str] = []
    between: list[str] = []
    for slot, word, punct in _TOKEN.findall(message):
        if slot:
            if names:
                parts += between
            else:
                parts = []
            names.append(slot)
            parts.append(f"(?:{patterns.get(slot, '')})")
            between = []
        elif word and word.strip("_"):
            if names:
                clusters.append((names, parts, False))
            names, parts, between = [], [], []
        elif word:
            between.append("[_ ]?" * len(word))
        else:
            between.append(re.escape(punct) if punct in _KEPT else f"(?:{re.escape(punct)})?")
    if names:
        clusters.append((names, parts, not any(p in map(re.escape, _KEPT) for p in between)))
    for names, parts, tail_free in clusters:
        if len(names) > 1 and all(n in patterns for n in names):
            risk = backtracking_risk(r"\s?".join(p for p in parts if p), tail_free=tail_free)
            if risk:
                joined = " ".join(f"{{{n}}}" for n in names)
                return f"{joined} side by side {risk}"
    return None
