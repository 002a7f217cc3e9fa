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

import re
from bisect import bisect_left
from collections.abc import Iterator
from types import MappingProxyType

from catalog import Catalog
from matcher.candidates import (
    OK,
    UNDOCUMENTED,
    Candidate,
    canonical,
    documented_status,
    mask,
    settle,
)
from matcher.context import ERROR_SHAPED, MessageContext, line_around
from matcher.fields import FieldFinder
from matcher.normalize import MAX_CHARS, normalize_paste
from matcher.results import CONFIDENT, SUGGEST, Match, MatchResult, Suggestion
from matcher.spelling import Speller
from matcher.templates import CompiledTemplate, compile_template
from matcher.wording import WordingHit, WordingIndex, fold

# A value every documented pattern must reject before we trust it to spot a wrong value in
# free text (an HTTP status is specific; a free-text description is not).
_ORDINARY_WORDS = ("word", "WORD", "Word")
# Inputs longer than this are matched in a worker thread by `match_async`, not on the loop.
_THREAD_THRESHOLD = 4_000


def _matches(
    template: CompiledTemplate, body: str, lower: str
) -> Iterator[tuple[re.Match[str], dict[str, int]]]:
    """Every match of `template` with where its free-text fields start, also the matches that
    begin inside another's free text (the same error twice on one line: the first one's
    reason runs into the second)."""
    pos = 0
    while True:
        m = template.regex.search(body, pos)
        if m is None:
            return
        free = {}
        for name in template.free_slots:
            start = m.start(name)
            if start >= 0 and m.end(name) > start:
                free[name] = start
        yield m, free
        pos = m.end()
        if free:  # search on inside the free text only if the message appears there again
            inside = min(free.values())
            if lower.find(template.opener, inside, pos) >= 0:
                pos = inside + 1


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
        self._openers = tuple(t.opener for t in self._templates)
        texts = [" ".join(t.words) for t in self._templates]
        texts += [p for e in catalog.entries for p in e.phrases]
        vocabulary = re.findall(r"[a-z]+", fold(" ".join(texts)))
        self._speller = Speller(vocabulary)
        self._wording = WordingIndex.from_texts(
            messages=[
                (e.id, re.sub(r"\{[^{}]*\}", " ", m)) for e in catalog.entries for m in e.messages
            ],
            phrases=[(e.id, p) for e in catalog.entries for p in e.phrases],
            titles=[(e.id, e.title) for e in catalog.entries],
        )
        self._context = MessageContext(catalog.context)
        self._fields = FieldFinder(catalog)
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
        body, repaired = self._speller.repair(cleaned.text)
        body = body[:MAX_CHARS]
        candidates, quiet = self._find_templates(body)
        if repaired:
            for c in candidates:
                c.repairs = bisect_left(repaired, c.end) - bisect_left(repaired, c.start)
        accepted, leftovers = settle(candidates)
        confident = {c.entry_id for c in accepted if c.status == OK and c.confidence >= CONFIDENT}
        # A weak partial quote leaves its words to the wording index; anything else is settled.
        settled = [c for c in accepted + leftovers if c.status != OK or c.confidence >= CONFIDENT]
        settled += [c for c in candidates if c.absorbed] + quiet
        masked = mask(body, settled)
        hits = self._wording.score(masked, skip=frozenset(confident), floor=SUGGEST)
        matches, suggestions = self._assemble(body, accepted, leftovers, hits)
        looks_like_error = bool(
            matches
            or any(c.status == UNDOCUMENTED for c in accepted + leftovers)
            or ERROR_SHAPED.search(body)
        )
        return MatchResult(
            matches=matches,
            suggestions=suggestions,
            text=body,
            truncated=cleaned.truncated,
            looks_like_error=looks_like_error,
            small_talk=not matches and self._context.small_talk(body),
        )

    async def match_async(self, text: str) -> MatchResult:
        """`match` for event loops: long pastes are matched in a worker thread."""
        if len(text) > _THREAD_THRESHOLD:
            import asyncio  # here, not at the top: `passback match` starts without it

            return await asyncio.to_thread(self.match, text)
        return self.match(text)

    # -- steps -----------------------------------------------------------------------------

    def _find_templates(self, body: str) -> tuple[list[Candidate], list[Candidate]]:
        """Candidates, and the wrappers that report success ("- 4412907 - completed")."""
        lower = body.lower()
        found = []
        quiet = []
        for template, opener in zip(self._templates, self._openers, strict=True):
            if opener not in lower:
                continue
            entry = self._entries[template.entry_id]
            for m, free in _matches(template, body, lower):
                coverage = template.coverage(m)
                if 0.2 + 0.8 * coverage < SUGGEST:
                    continue
                values = {  # a value wrapped over lines reads as one line
                    name: " ".join(m.group(name).strip(" \"'").split())
                    for name in template.slots
                    if m.group(name) is not None and m.group(name).strip(" \"'")
                }
                if coverage < 1.0:  # a partial quote: keep only values that look like values
                    matched = m.group()
                    values = {
                        name: value
                        for name, value in values.items()
                        if self._fields.plausible(name, value, matched)
                    }
                status, wrong = documented_status(entry, values)
                detail = template.detail_slot
                if detail and self._context.reports_success(values.get(detail, "")):
                    quiet.append(Candidate(template, m.start(), m.end(), coverage, {}, status))
                    continue
                found.append(
                    Candidate(
                        template=template,
                        start=m.start(),
                        end=m.end(),
                        coverage=coverage,
                        fields=values,
                        status=status,
                        undocumented=wrong,
                        detail_start=m.start(detail) if detail and m.group(detail) else None,
                        free_starts=free,
                    )
                )
        return found, quiet

    def _assemble(
        self,
        body: str,
        accepted: list[Candidate],
        leftovers: list[Candidate],
        hits: dict[str, WordingHit],
    ) -> tuple[tuple[Match, ...], tuple[Suggestion, ...]]:
        groups: dict[str, list[Candidate]] = {}
        maybe: dict[str, Suggestion] = {}
        for c in accepted + leftovers:
            if c.status == OK and c.confidence >= CONFIDENT:
                groups.setdefault(c.entry_id, []).append(c)
            else:
                confidence = min(c.confidence, CONFIDENT - 0.05)
                if c.status == UNDOCUMENTED:
                    confidence = min(confidence, 0.5)
                self._suggest(maybe, c.entry_id, confidence, c.undocumented)

        found: list[tuple[int, Match]] = []
        spans = {e: [(c.start, c.end) for c in g] for e, g in groups.items()}
        for entry_id, group in groups.items():
            first = group[0]
            loose = {}
            if self._fields.missing(entry_id, first.fields):
                window = self._window(body, spans, entry_id, first.start, first.end)
                loose = self._fields.find(entry_id, first.fields, window)
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
                            {k: v for k, v in first.fields.items() if not k.startswith("_")} | loose
                        ),
                        occurrences=len(group),
                        values=MappingProxyType({k: tuple(v) for k, v in values.items()}),
                        excerpt=body[first.start : first.end],
                        start=first.start,
                    ),
                )
            )

        described: set[str] = set()
        for entry_id, hit in hits.items():
            if entry_id in groups:
                continue
            wrong = self._wrong_value_nearby(entry_id, line_around(body, hit.start, hit.end))
            if (
                hit.confidence >= CONFIDENT
                and not wrong
                and self._context.described_here(body, hit.start, hit.end)
            ):
                described.add(entry_id)
                window = self._window(body, spans, entry_id, hit.start, hit.end)
                found.append(
                    (
                        hit.start,
                        Match(
                            entry_id=entry_id,
                            title=self._entries[entry_id].title,
                            confidence=hit.confidence,
                            fields=MappingProxyType(self._fields.find(entry_id, {}, window)),
                            excerpt=body[hit.start : hit.end],
                            start=hit.start,
                        ),
                    )
                )
            elif hit.confidence >= SUGGEST:
                self._suggest(maybe, entry_id, min(hit.confidence, CONFIDENT - 0.05), wrong)

        found = self._drop_wrappers(body, found, described)
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
            allowed = {canonical(a) for a in entry.documented[name]}
            if seen and not any(canonical(w) in allowed for w in seen):
                wrong[name] = seen[0]
        return wrong

    @staticmethod
    def _window(
        body: str, spans: dict[str, list[tuple[int, int]]], entry_id: str, start: int, end: int
    ) -> str:
        """The line around one error, with the other errors' messages blanked out."""
        others = [(s, e) for other, group in spans.items() if other != entry_id for s, e in group]
        if others:
            chars = list(body)
            for s, e in others:
                chars[s:e] = " " * (e - s)
            body = "".join(chars)
        return line_around(body, start, end)

    def _drop_wrappers(
        self, body: str, found: list[tuple[int, Match]], described: set[str]
    ) -> list[tuple[int, Match]]:
        """A wrapper whose own text holds another error (described in its detail) gives way."""
        kept = []
        for start, match in found:
            if self._entries[match.entry_id].wrapper:
                end = start + len(match.excerpt)
                if match.entry_id in described:  # not quoted: the rest of its line is its own
                    line_end = body.find("\n", end)
                    end = len(body) if line_end < 0 else line_end
                if any(s > start and s < end for s, m in found if m is not match):
                    continue
            kept.append((start, match))
        return kept
