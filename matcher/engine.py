"""The matcher: cleaned text in, ranked catalog matches with extracted fields out.

Order of work, for one message:
1. clean the paste (normalize_paste) and fix one-letter typos of catalog words;
2. find every documented message by its template (exact, or cut off after its head);
3. settle overlaps: a wrapper that holds another message gives way to it, a message whose
   documented values do not hold (HTTP 500 where 422 is documented) becomes a suggestion;
4. in what is left of the text, look for errors described in other words (wording index);
5. group by entry, in order of first appearance, with occurrence counts.
No I/O and no shared mutable state beyond a typo cache: safe to call from any thread.
"""

from __future__ import annotations

import asyncio
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from types import MappingProxyType

from catalog import Catalog, Entry
from matcher.normalize import MAX_CHARS, normalize_paste
from matcher.results import CONFIDENT, SUGGEST, Match, MatchResult, Suggestion
from matcher.templates import CompiledTemplate, compile_template
from matcher.wording import Speller, WordingHit, WordingIndex, one_edit

_OK, _UNDETERMINED, _UNDOCUMENTED = 0, 1, 2
# A value every documented pattern must reject before we trust it to spot a wrong value in
# free text (an HTTP status is specific; a free-text description is not).
_ORDINARY_WORDS = ("word", "WORD", "Word")
_ERROR_SHAPED = re.compile(
    r"\berror\b|\bfail(?:ed|ure|s)?\b|\bexception\b|\bcannot\b|\bcould not\b|\bunable\b"
    r"|\bnot found\b|\bdenied\b|\btimed out\b|\bhttp(?:/\d)?\b|\b[A-Z]{3,40}_[A-Z_]{3,60}"
    r"|\b[45]\d\d\b",
    re.IGNORECASE,
)
# Inputs longer than this are matched in a worker thread by `match_async`, not on the loop.
_THREAD_THRESHOLD = 4_000


@dataclass(slots=True)
class _Candidate:
    template: CompiledTemplate
    start: int
    end: int
    coverage: float
    fields: dict[str, str]
    status: int
    undocumented: dict[str, str] = field(default_factory=dict)
    detail_start: int | None = None

    @property
    def entry_id(self) -> str:
        return self.template.entry_id

    @property
    def confidence(self) -> float:
        return 0.2 + 0.8 * self.coverage

    def overlaps(self, other: _Candidate) -> bool:
        return self.start < other.end and other.start < self.end


def _documented_status(entry: Entry, fields: dict[str, str]) -> tuple[int, dict[str, str]]:
    """Whether the documented values hold: all that were pasted match, and at least one was."""
    wrong: dict[str, str] = {}
    seen = False
    for name, allowed in entry.documented.items():
        value = fields.get(name)
        if value is None:
            continue
        seen = True
        if not _documented_value(value, allowed):
            wrong[name] = value
    if wrong:
        return _UNDOCUMENTED, wrong
    return (_OK if seen or not entry.documented else _UNDETERMINED), wrong


def _holds_another(wrapper: _Candidate, by_start: list[_Candidate], starts: list[int]) -> bool:
    """A wrapper whose free-text part holds another entry's message gives way to it."""
    if wrapper.detail_start is None:
        return False
    first = bisect_left(starts, wrapper.detail_start)
    last = bisect_left(starts, wrapper.end)
    return any(o.entry_id != wrapper.entry_id for o in by_start[first:last])


def _line_around(body: str, start: int, end: int, reach: int = 300) -> str:
    """The line holding body[start:end], at most `reach` characters either side."""
    left = body.rfind("\n", max(0, start - reach), start) + 1 or max(0, start - reach)
    right = body.find("\n", end, end + reach)
    return body[left : right if right >= 0 else end + reach]


def _documented_value(value: str, allowed: tuple[str, ...]) -> bool:
    """`value` is one of `allowed`, or a one-letter typo of a long word one ("UAUTHORIZED");
    short values such as HTTP statuses must match exactly: 401 and 404 are one edit apart."""
    pasted = _canonical(value)
    documented = {_canonical(a) for a in allowed}
    if pasted in documented:
        return True
    return (
        len(pasted) >= 6 and not pasted.isdigit() and any(one_edit(pasted, d) for d in documented)
    )


def _canonical(value: str) -> str:
    return " ".join(value.replace("_", " ").upper().split())


class Matcher:
    """Compiled once per catalog; `match` is pure and fast."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._entries = {e.id: e for e in catalog.entries}
        fields = dict(catalog.fields)
        self._templates = tuple(
            compile_template(entry, i, fields)
            for entry in catalog.entries
            for i in range(len(entry.messages))
        )
        # The literal text of each template gives a cheap test before running its regex.
        self._openers = tuple(t.words[0] for t in self._templates)
        texts = [" ".join(t.words) for t in self._templates]
        texts += [p for e in catalog.entries for p in e.phrases]
        vocabulary = re.findall(r"[A-Za-z]+", " ".join(texts))
        self._speller = Speller(vocabulary)
        self._wording = WordingIndex.from_texts(
            messages=[
                (e.id, re.sub(r"\{[^{}]*\}", " ", m)) for e in catalog.entries for m in e.messages
            ],
            phrases=[(e.id, p) for e in catalog.entries for p in e.phrases],
            titles=[(e.id, e.title) for e in catalog.entries],
        )
        self._specific_documented = {
            e.id: {
                name: re.compile(catalog.fields[name].pattern)
                for name in e.documented
                if not any(re.fullmatch(catalog.fields[name].pattern, w) for w in _ORDINARY_WORDS)
            }
            for e in catalog.entries
        }

    def match(self, text: str) -> MatchResult:
        cleaned = normalize_paste(text if isinstance(text, str) else "")
        body = self._speller.fix(cleaned.text)[:MAX_CHARS]
        candidates = self._find_templates(body)
        accepted, leftovers = self._settle(candidates)
        confident = {c.entry_id for c in accepted if c.status == _OK and c.confidence >= CONFIDENT}
        # A weak partial quote leaves its words to the wording index; anything else is settled.
        settled = [c for c in accepted + leftovers if c.status != _OK or c.confidence >= CONFIDENT]
        masked = self._mask(body, settled)
        hits = self._wording.score(masked, skip=frozenset(confident))
        matches, suggestions = self._assemble(body, accepted, leftovers, hits)
        looks_like_error = bool(
            matches
            or any(c.status == _UNDOCUMENTED for c in accepted + leftovers)
            or _ERROR_SHAPED.search(body)
        )
        return MatchResult(
            matches=matches,
            suggestions=suggestions,
            text=body,
            truncated=cleaned.truncated,
            looks_like_error=looks_like_error,
        )

    async def match_async(self, text: str) -> MatchResult:
        """`match` for event loops: long pastes are matched in a worker thread."""
        if len(text) > _THREAD_THRESHOLD:
            return await asyncio.to_thread(self.match, text)
        return self.match(text)

    # -- steps -----------------------------------------------------------------------------

    def _find_templates(self, body: str) -> list[_Candidate]:
        lower = body.lower()
        found = []
        for template, opener in zip(self._templates, self._openers, strict=True):
            if opener not in lower:
                continue
            entry = self._entries[template.entry_id]
            for m in template.regex.finditer(body):
                coverage = template.coverage(m)
                if 0.2 + 0.8 * coverage < SUGGEST:
                    continue
                values = {
                    name: m.group(name).strip(" \"'")
                    for name in template.slots
                    if m.group(name) is not None and m.group(name).strip(" \"'")
                }
                status, wrong = _documented_status(entry, values)
                detail = template.detail_slot
                found.append(
                    _Candidate(
                        template=template,
                        start=m.start(),
                        end=m.end(),
                        coverage=coverage,
                        fields=values,
                        status=status,
                        undocumented=wrong,
                        detail_start=m.start(detail) if detail and m.group(detail) else None,
                    )
                )
        return found

    def _settle(self, candidates: list[_Candidate]) -> tuple[list[_Candidate], list[_Candidate]]:
        """Which candidates stand (one per stretch of text) and which only suggest."""
        by_start = sorted(candidates, key=lambda c: c.start)
        starts = [c.start for c in by_start]
        standing = [c for c in candidates if not _holds_another(c, by_start, starts)]
        standing.sort(key=lambda c: (c.status, -c.coverage, -c.template.total, c.start, -c.end))
        # Accepted candidates never overlap, so sorted by start they are sorted by end too.
        accepted: list[_Candidate] = []
        accepted_ends: list[int] = []
        leftovers: list[_Candidate] = []
        for c in standing:
            i = bisect_right(accepted_ends, c.start)
            clash = accepted[i] if i < len(accepted) and accepted[i].start < c.end else None
            if clash is None:
                accepted.insert(i, c)
                accepted_ends.insert(i, c.end)
            elif clash.entry_id != c.entry_id and c.status != _OK and clash.status != _OK:
                leftovers.append(c)  # as unsure as what it clashes with: worth suggesting
        return accepted, leftovers

    @staticmethod
    def _mask(body: str, candidates: list[_Candidate]) -> str:
        if not candidates:
            return body
        chars = list(body)
        for c in candidates:
            end = c.detail_start if c.detail_start is not None else c.end
            chars[c.start : end] = " " * (end - c.start)
        return "".join(chars)

    def _assemble(
        self,
        body: str,
        accepted: list[_Candidate],
        leftovers: list[_Candidate],
        hits: dict[str, WordingHit],
    ) -> tuple[tuple[Match, ...], tuple[Suggestion, ...]]:
        groups: dict[str, list[_Candidate]] = {}
        maybe: dict[str, Suggestion] = {}
        for c in accepted + leftovers:
            if c.status == _OK and c.confidence >= CONFIDENT:
                groups.setdefault(c.entry_id, []).append(c)
            else:
                confidence = min(c.confidence, CONFIDENT - 0.05)
                if c.status == _UNDOCUMENTED:
                    confidence = min(confidence, 0.5)
                self._suggest(maybe, c.entry_id, confidence, c.undocumented)

        found: list[tuple[int, Match]] = []
        for entry_id, group in groups.items():
            first = group[0]
            values: dict[str, list[str]] = {}
            for c in group:
                for name, value in c.fields.items():
                    if not name.startswith("_") and value not in values.setdefault(name, []):
                        values[name].append(value)
            found.append(
                (
                    first.start,
                    Match(
                        entry_id=entry_id,
                        title=self._entries[entry_id].title,
                        confidence=max(c.confidence for c in group),
                        fields=MappingProxyType(
                            {k: v for k, v in first.fields.items() if not k.startswith("_")}
                        ),
                        occurrences=len(group),
                        values=MappingProxyType({k: tuple(v) for k, v in values.items()}),
                        excerpt=body[first.start : first.end],
                        start=first.start,
                    ),
                )
            )

        for entry_id, hit in hits.items():
            if entry_id in groups:
                continue
            wrong = self._wrong_value_nearby(entry_id, _line_around(body, hit.start, hit.end))
            if hit.confidence >= CONFIDENT and not wrong:
                found.append(
                    (
                        hit.start,
                        Match(
                            entry_id=entry_id,
                            title=self._entries[entry_id].title,
                            confidence=hit.confidence,
                            fields=MappingProxyType({}),
                            excerpt=body[hit.start : hit.end],
                            start=hit.start,
                        ),
                    )
                )
            elif hit.confidence >= SUGGEST:
                self._suggest(maybe, entry_id, min(hit.confidence, CONFIDENT - 0.05), wrong)

        found = self._drop_wrappers(body, found)
        found.sort(key=lambda pair: pair[0])
        matches = tuple(m for _, m in found)
        matched = {m.entry_id for m in matches}
        suggestions = sorted(
            (s for s in maybe.values() if s.entry_id not in matched),
            key=lambda s: -s.confidence,
        )
        return matches, tuple(suggestions[:3])

    def _suggest(
        self, into: dict[str, Suggestion], entry_id: str, confidence: float, wrong: dict[str, str]
    ) -> None:
        if confidence < SUGGEST and not wrong:
            return
        current = into.get(entry_id)
        if current is None or confidence > current.confidence:
            into[entry_id] = Suggestion(
                entry_id=entry_id,
                title=self._entries[entry_id].title,
                confidence=max(confidence, SUGGEST) if wrong else confidence,
                undocumented=MappingProxyType(dict(wrong)),
            )

    def _wrong_value_nearby(self, entry_id: str, window: str) -> dict[str, str]:
        """A described error that names a value the catalog does not document for it."""
        wrong = {}
        entry = self._entries[entry_id]
        for name, pattern in self._specific_documented[entry_id].items():
            seen = [w for w in re.findall(r"[A-Za-z0-9_]+", window) if pattern.fullmatch(w)]
            allowed = {_canonical(a) for a in entry.documented[name]}
            if seen and not any(_canonical(w) in allowed for w in seen):
                wrong[name] = seen[0]
        return wrong

    def _drop_wrappers(self, body: str, found: list[tuple[int, Match]]) -> list[tuple[int, Match]]:
        """A wrapper described on the same line as another error gives way to it."""
        kept = []
        for start, match in found:
            if self._entries[match.entry_id].wrapper:
                line_end = body.find("\n", start + len(match.excerpt))
                line_end = len(body) if line_end < 0 else line_end
                if any(s > start and s <= line_end for s, m in found if m is not match):
                    continue
            kept.append((start, match))
        return kept
