"""Read damaged words as the catalog spells them: typos, OCR confusions, hyphenated breaks.

`Speller.fix` rewrites only words that become a catalog word, and leaves everything else
(ids included) exactly as pasted:
- one-letter typos (a missing, extra, changed or swapped letter) of catalog words of five
  letters or more: "Kimnoo", "deterimne";
- OCR confusions: `rn` read for `m`, `1`, `|` and `I` for `l` (or `l` for `I`), `0` for `o`,
  and `O` for `0` in an HTTP status: "Assignrnent", "cance11ed", "popu|ated", "4O3";
- a word broken by hyphenation at a line end: "can-\\nnot" (the normaliser has already joined
  the lines, leaving "can-not").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import product

from matcher.wording import one_edit

# A token: letters, digits and the pipe OCR reads for `l`; never the start of "couldn't", nor
# part of a word with other letters ("rechazó"). Parts of identifiers count: ASSIGMENT_SCORES.
# (Non-ASCII letters are spelled as a range, which is much faster here than a Unicode class;
# the normaliser has already made dashes, quotes and spaces ASCII.)
_TOKEN = re.compile(
    r"(?<![A-Za-z0-9|\u00c0-\uffff])[A-Za-z0-9|]{3,30}(?![A-Za-z0-9|'\u00c0-\uffff])"
)
_HYPHENATED = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z]{2,20})-([a-z]{2,20})(?![A-Za-z0-9-])")
# An HTTP status with a letter O for a zero: "4O3".
_STATUS = re.compile(r"[1-5][0-9Oo]{2}")
# Signs of OCR damage in a token; a token without one is left to the typo fixer.
_DAMAGE = re.compile(r"[01|]|rn|(?<=[a-z])I|^l[^aeiouyl]")
_MAX_VARIANTS = 64
_INFLECTIONS = ("s", "es", "d", "ed", "ing")


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _choices(token: str) -> list[tuple[str, ...]]:
    """What each position of `token` may really be, lower case, as OCR confuses them."""
    choices: list[tuple[str, ...]] = []
    i = 0
    while i < len(token):
        ch = token[i]
        if token.startswith("rn", i):
            choices.append(("m", "rn"))
            i += 2
            continue
        if ch in "1|":
            choices.append(("l", "i"))
        elif ch == "0":
            choices.append(("o",))
        elif ch == "I" and i > 0 and token[i - 1].islower():
            choices.append(("l", "i"))
        elif ch == "l" and i == 0 and len(token) > 1 and token[1] not in "aeiouyl":
            choices.append(("i", "l"))
        else:
            choices.append((ch.lower(),))
        i += 1
    return choices


def _in_case_of(word: str, original: str) -> str:
    letters = [c for c in original if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return word.upper()
    return word.capitalize() if original[:1].isupper() else word


class Speller:
    """Corrects words to the catalog's words; other words are untouched."""

    def __init__(self, vocabulary: Iterable[str]):
        words = {w.lower() for w in vocabulary if w.isalpha()}
        self._words = {w for w in words if len(w) >= 5}  # typo fixes: long words only
        self._ocr_words = {w for w in words if len(w) >= 4}
        # Short words only in upper case, as in a code ("EXCHANGE_ERR0R_N0N_RETRYABLE"): in
        # lower case, "n0t" is more likely a part of an id ("n0t-4kd-2pq") than "not".
        self._upper_ocr_words = {w for w in words if len(w) == 3}
        self._variants: dict[str, set[str]] = {}
        for word in self._words:
            for variant in _deletions(word):
                self._variants.setdefault(variant, set()).add(word)
        self.correction = lru_cache(maxsize=20_000)(self._correction)
        self._fixed_token = lru_cache(maxsize=50_000)(self._fix_token)

    def _correction(self, lower: str) -> str | None:
        if lower in self._words or any(
            lower.endswith(end) and lower[: -len(end)] in self._words for end in _INFLECTIONS
        ):
            return None  # a catalog word, or one with an ending: "errors" is not "error" mistyped
        found: set[str] = set(self._variants.get(lower, ()))  # one letter missing
        for variant in _deletions(lower):
            if variant in self._words:  # one letter too many
                found.add(variant)
            found.update(self._variants.get(variant, ()))  # one letter changed or swapped
        # Shared deletions also find words two edits away ("resuult" ~ "results"): keep the
        # ones really one edit away, and correct only when exactly one is.
        close = {word for word in found if one_edit(lower, word)}
        return close.pop() if len(close) == 1 else None

    def ocr_reading(self, token: str) -> str | None:
        """The one catalog word `token` reads as once OCR confusions are undone, if any."""
        if token.lower() in self._ocr_words or not _DAMAGE.search(token):
            return None
        words = self._ocr_words
        if len(token) == 3 and token.isupper():
            words = self._upper_ocr_words
        choices = _choices(token)
        count = 1
        for options in choices:
            count *= len(options)
        if count > _MAX_VARIANTS:
            return None
        found = {w for w in map("".join, product(*choices)) if w in words}
        return found.pop() if len(found) == 1 else None

    def _fix_token(self, token: str) -> str:
        if _STATUS.fullmatch(token) and not token.isdigit():
            return token.replace("O", "0").replace("o", "0")
        reading = self.ocr_reading(token)
        if reading is not None:
            return _in_case_of(reading, token)
        if token.isalpha() and len(token) >= 5:
            fixed = self.correction(token.lower())
            if fixed is not None:
                return fixed.upper() if token.isupper() else fixed
        return token

    def fix(self, text: str) -> str:
        """`text` with damaged catalog words repaired."""
        return self.repair(text)[0]

    def repair(self, text: str) -> tuple[str, tuple[int, ...]]:
        """`text` with damaged catalog words repaired, and where each repaired word now starts
        (the less of a message had to be repaired, the surer its match)."""
        if "-" in text:
            text = _HYPHENATED.sub(self._join, text)
        fixed = self._fixed_token
        changes = {t: f for t in set(_TOKEN.findall(text)) if (f := fixed(t)) != t}
        if not changes:
            return text, ()
        parts: list[str] = []
        starts: list[int] = []
        length = last = 0
        for m in _TOKEN.finditer(text):
            new = changes.get(m.group())
            if new is None:
                continue
            kept = text[last : m.start()]
            parts += (kept, new)
            starts.append(length + len(kept))
            length += len(kept) + len(new)
            last = m.end()
        parts.append(text[last:])
        return "".join(parts), tuple(starts)

    def _join(self, match: re.Match[str]) -> str:
        joined = match.group(1) + match.group(2)
        return joined if joined.lower() in self._ocr_words else match.group()
