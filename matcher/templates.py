"""Compile a catalog message template into a regular expression that tolerates paste damage.

`Unable to process score for {result_sourced_id}; missing "assignment_source_id" attribute`
becomes a pattern where:
- words match in any letter case, with at most one whitespace character between tokens (the
  normaliser has already folded runs of spaces and newlines, which is also what keeps the
  pattern free of backtracking blow-ups);
- quotes, brackets and most punctuation are optional (people drop them, chat apps mangle them);
- each {field} is a named group using the field's pattern from the catalog, and may sit in
  brackets, quotes, backticks or asterisks the message does not have (`[s123]`, `*k2p-9zz-a1b*`);
- a name with underscores also matches with spaces or nothing in their place, as OCR and
  retyping leave it (`ASSIGNMENT SCORES EXPORT`);
- everything after a required head is optional, nested, so a truncated paste still matches and
  says how much of the message it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog import Entry, FieldSpec

_TOKEN = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z0-9_]+)|(\S)")
# Punctuation a paste must keep to be read the same way ("-" separates the job id in
# `ASSIGNMENT_SCORES_EXPORT - id - text`; "/" and "_" are parts of names).
_REQUIRED_PUNCT = frozenset("-/_")
STOPWORDS = frozenset(
    "a an and are as at be been but by for from has have in is it its of on or that the this to "
    "was were which with".split()
)
# Weights for how much of a message a match covers.
_WORD, _STOPWORD, _SLOT = 1.0, 0.25, 1.0
_HEAD_WEIGHT = 3.0
# Markup or quoting a paste may put around a value: `[s123]`, `"s123"`, `*s123*`, `''s123''`.
_OPEN_MARKS, _CLOSE_MARKS = r"[\[(\"'*]{0,2}", r"[\])\"'*]{0,2}"
# A field whose pattern takes spaces holds free text (a reason, a description, a detail):
# another message may follow inside it, so the matcher cuts it there.
_FREE_TEXT_PROBE = "two words"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "slot", "word" or "punct"
    text: str
    weight: float


@dataclass(frozen=True, slots=True)
class CompiledTemplate:
    entry_id: str
    index: int  # which of the entry's messages
    regex: re.Pattern[str]
    weights: tuple[float, ...]  # cumulative covered weight after each token
    total: float
    slots: tuple[str, ...]  # field names, in template order, each once
    detail_slot: str | None  # a wrapper's free-text slot, where inner messages live
    words: tuple[str, ...]  # the literal words, lowercased
    free_slots: tuple[str, ...] = ()  # slots whose text may run into another message
    content_words: tuple[str, ...] = ()  # the words that are not stopwords, each once

    @property
    def opener(self) -> str:
        """A lowercase word every match contains: a cheap test before running the regex."""
        return self.words[0].split("_")[0] if self.words else ""

    def rest(self, match: re.Match[str]) -> tuple[str, ...]:
        """The message's content words (lowercase) that a partial `match` did not reach."""
        seen = set(re.findall(r"[a-z0-9]+", match.group().lower()))
        return tuple(w for w in self.content_words if w not in seen)

    def coverage(self, match: re.Match[str]) -> float:
        """The share of the message (by weight) that `match` covers: 1.0 for a whole message."""
        reached = 0
        for i in range(len(self.weights) - 1, -1, -1):
            if match.group(f"t{i}") is not None:
                reached = i
                break
        return self.weights[reached] / self.total


def _tokens(template: str) -> list[_Token]:
    tokens = []
    for slot, word, punct in _TOKEN.findall(template):
        if slot:
            tokens.append(_Token("slot", slot, _SLOT))
        elif word:
            weight = _STOPWORD if word.lower() in STOPWORDS else _WORD
            tokens.append(_Token("word", word, weight))
        else:
            tokens.append(_Token("punct", punct, 0.0))
    return tokens


def _head_length(tokens: list[_Token]) -> int:
    """How many tokens a paste must have, in order, before the rest may be cut off.

    At least three words' weight, and every token up to the first field, so a field that
    identifies the error (a job id after `ASSIGNMENT_SCORES_EXPORT -`) is never guessed.
    """
    first_slot = next((i for i, t in enumerate(tokens) if t.kind == "slot"), None)
    weight = 0.0
    for i, token in enumerate(tokens):
        weight += token.weight
        if weight >= _HEAD_WEIGHT and (first_slot is None or i >= first_slot):
            return i + 1
    return len(tokens)


def _piece(token: _Token, fields: dict[str, FieldSpec], seen: set[str]) -> str:
    if token.kind == "slot":
        pattern = fields[token.text].pattern
        if token.text in seen:  # a repeated field is matched again but reported once
            return f"(?:{pattern})"
        seen.add(token.text)
        return f"{_OPEN_MARKS}(?P<{token.text}>{pattern}){_CLOSE_MARKS}"
    if token.kind == "word":
        return r"[_ ]?".join(re.escape(part) for part in token.text.split("_"))
    escaped = re.escape(token.text)
    return escaped if token.text in _REQUIRED_PUNCT else f"(?:{escaped})?"


def compile_template(entry: Entry, index: int, fields: dict[str, FieldSpec]) -> CompiledTemplate:
    tokens = _tokens(entry.messages[index])
    head = _head_length(tokens)
    seen: set[str] = set()
    parts = [f"{_piece(t, fields, seen)}(?P<t{i}>)" for i, t in enumerate(tokens)]
    # Head: tokens joined by an optional single whitespace. Tail: each token optional, nested.
    pattern = r"\s?".join(parts[:head])
    tail = ""
    for part in reversed(parts[head:]):
        tail = rf"(?:\s?{part}{tail})?"
    pattern += tail
    if tokens and tokens[0].kind == "word":
        pattern = r"(?<![A-Za-z0-9])" + pattern
    cumulative, running = [], 0.0
    for token in tokens:
        running += token.weight
        cumulative.append(running)
    slots = tuple(dict.fromkeys(t.text for t in tokens if t.kind == "slot"))
    detail = None
    if entry.wrapper:
        # The wrapper's last free-text field holds what the job reported: maybe another message.
        detail = next((t.text for t in reversed(tokens) if t.kind == "slot"), None)
    free = tuple(s for s in slots if re.fullmatch(fields[s].pattern, _FREE_TEXT_PROBE))
    return CompiledTemplate(
        entry_id=entry.id,
        index=index,
        regex=re.compile(pattern, re.IGNORECASE),
        weights=tuple(cumulative),
        total=running or 1.0,
        slots=slots,
        detail_slot=detail,
        words=tuple(t.text.lower() for t in tokens if t.kind == "word"),
        free_slots=free,
        content_words=tuple(
            dict.fromkeys(
                part
                for t in tokens
                if t.kind == "word" and t.weight == _WORD
                for part in re.findall(r"[a-z0-9]+", t.text.lower())
                if len(part) >= 3
            )
        ),
    )
