"""Recognise an error from how people describe it: typos, partial quotes and paraphrases.

`WordingIndex` scores each entry by how much of one of its forms (its messages' words, and the
  plain-language `phrases` the catalog lists) appears close together in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from matcher.templates import STOPWORDS

_WORD = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_SUFFIXES = ("ing", "ed", "es", "s", "e")
# Extra words that carry no meaning in a question about an error.
_FILLER = STOPWORDS | frozenset(
    "i me my we our you your he she they what why how does do did can would will "
    "when where who get getting got just so keep keeps kept mean means meant says said t s "
    # Spanish, for messages written around (or instead of) the English error
    "de del la las el los lo le les al en que se un una unos unas por para con y o u me mi su "
    "sus es son esta este esto estan ni dice dijo sale aparece".split()
)
# Accented letters read as their base letter, one character for one (offsets stay put), so
# "período", "periodo" and "PERIODO" meet.
_ACCENTS = str.maketrans("áàâäãéèêëíìîïóòôöõúùûüñç", "aaaaaeeeeiiiiooooouuuunc")


def fold(text: str) -> str:
    """Lower case without accents, as long as `text`."""
    lower = text.lower()
    if lower.isascii():
        return lower
    if len(lower) != len(text):  # "İ" lowers to two characters
        lower = "".join(ch.lower()[:1] for ch in text)
    return lower.translate(_ACCENTS)


def stem(word: str) -> str:
    """A crude stemmer: enough that "timed", "timing" and "times" meet, and "dates"/"date"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] in "lt":
        word = word[:-1]  # "cancelled" and "canceled"
    return word


_stem = lru_cache(maxsize=50_000)(stem)


# "couldn't" and "can't" say what the messages' "could not" and "cannot" say.
_CONTRACTED = {"can": ("cannot",), "won": ("will", "not")}


def _uncontracted(word: str) -> tuple[str, ...]:
    """The words of a contraction's first part: "couldn" (of "couldn't") is could + not."""
    if word in _CONTRACTED:
        return _CONTRACTED[word]
    return (word[:-1], "not") if word.endswith("n") and len(word) > 2 else (word,)


def content_words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in _FILLER]


def one_edit(a: str, b: str) -> bool:
    """One letter inserted, deleted, changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (
        a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1]
    )


@dataclass(frozen=True, slots=True)
class Form:
    entry_id: str
    words: tuple[str, ...]  # distinct stems
    ceiling: float  # confidence when every word is there
    exponent: float  # how fast confidence falls as words are missing
    window: int  # how many words of text the form's words must fit in


@dataclass(frozen=True, slots=True)
class WordingHit:
    entry_id: str
    confidence: float
    start: int  # character offsets of the words that matched
    end: int


_MESSAGE_CEILING, _MESSAGE_EXPONENT = 0.85, 1.5
_PHRASE_CEILING, _PHRASE_EXPONENT = 0.8, 2.0
_TITLE_CEILING = 0.75  # "what is the Assignment ID Error?"


class WordingIndex:
    def __init__(self, forms: Iterable[Form]):
        self.forms = tuple(f for f in forms if f.words)
        # stem -> (form, word) pairs, so a text only touches the forms that share its words
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for f, form in enumerate(self.forms):
            for w, word in enumerate(form.words):
                self._postings.setdefault(word, []).append((f, w))

    @classmethod
    def from_texts(
        cls,
        messages: Iterable[tuple[str, str]],
        phrases: Iterable[tuple[str, str]],
        titles: Iterable[tuple[str, str]] = (),
    ) -> WordingIndex:
        """Forms from (entry id, text) pairs: message words, curated phrases, entry titles."""

        def form(entry_id: str, text: str, ceiling: float, exponent: float, title: bool) -> Form:
            words = tuple(dict.fromkeys(content_words(text)))
            n = len(words)
            # A title is asked about as it is written ("the Assignment Dates Error"): its words
            # close together; other forms' words may be spread over a sentence.
            window = n + 1 if title else max(2 * n, n + 4)
            return Form(entry_id, words, ceiling, exponent, window)

        return cls(
            [form(e, t, _MESSAGE_CEILING, _MESSAGE_EXPONENT, False) for e, t in messages]
            + [form(e, t, _PHRASE_CEILING, _PHRASE_EXPONENT, False) for e, t in phrases]
            + [form(e, t, _TITLE_CEILING, _PHRASE_EXPONENT, True) for e, t in titles]
        )

    def score(
        self, text: str, skip: frozenset[str] = frozenset(), floor: float = 0.0
    ) -> dict[str, WordingHit]:
        """The best hit per entry, for entries not in `skip`; none below `floor`."""
        hits: dict[int, list[tuple[int, int]]] = {}  # form -> (token position, word), in order
        spans: list[tuple[int, int]] = []
        lower = fold(text)
        for match in _WORD.finditer(lower):
            word = match.group()
            end = match.end()
            words = _uncontracted(word) if lower.startswith("'t", end) else (word,)
            for part in words:
                if part in _FILLER:
                    continue
                postings = self._postings.get(_stem(part))
                if postings:
                    position = len(spans)
                    for f, w in postings:
                        hits.setdefault(f, []).append((position, w))
                spans.append(match.span())
        best: dict[str, WordingHit] = {}
        for f, form_hits in hits.items():
            form = self.forms[f]
            if form.entry_id in skip:
                continue
            if floor and form.ceiling * (len(form_hits) / len(form.words)) ** form.exponent < floor:
                continue  # even all its words in one window would not reach the floor
            hit = self._best_window(form, form_hits, spans)
            current = best.get(form.entry_id)
            if current is None or hit.confidence > current.confidence:
                best[form.entry_id] = hit
        return best

    @staticmethod
    def _best_window(
        form: Form, hits: list[tuple[int, int]], spans: list[tuple[int, int]]
    ) -> WordingHit:
        """The window of text with most of the form's words; `hits` sorted by position."""
        size = len(form.words)
        window = form.window
        counts = [0] * size
        covered = best_covered = 0
        best_range = (hits[0][0], hits[0][0])
        left = 0
        for pos, i in hits:
            if counts[i] == 0:
                covered += 1
            counts[i] += 1
            while pos - hits[left][0] >= window:
                j = hits[left][1]
                counts[j] -= 1
                if counts[j] == 0:
                    covered -= 1
                left += 1
            if covered > best_covered:
                best_covered, best_range = covered, (hits[left][0], pos)
            if best_covered == size:
                break
        share = best_covered / size
        confidence = form.ceiling * share**form.exponent
        return WordingHit(
            form.entry_id, confidence, spans[best_range[0]][0], spans[best_range[1]][1]
        )
