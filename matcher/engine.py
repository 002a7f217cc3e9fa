"""The matcher: cleaned text in, ranked catalog matches with extracted fields out.

Order of work, for one message:
1. clean the paste (normalize_paste) and repair damaged catalog words: one-letter typos, OCR
   confusions, hyphenated breaks (matcher/spelling);
2. find every documented message by its template (exact, or cut off after its head), also
   where one begins inside another's free text;
3. settle overlaps: a free-text part ends where another message begins, a wrapper that holds
   another message gives way to it, a message whose documented values do not hold (HTTP 500
   where 422 is documented) becomes a suggestion;
4. in what is left of the text, look for errors described in other words (wording index),
   answered only in a message about grade passback (matcher/context);
5. group by entry, in order of first appearance, with occurrence counts (matcher/assembly).
No I/O and no shared mutable state beyond a typo cache: safe to call from any thread.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from catalog import Catalog
from matcher.assembly import Assembler
from matcher.candidates import (
    OK,
    UNDOCUMENTED,
    Candidate,
    documented_status,
    mask,
    mask_links,
    settle,
)
from matcher.context import ERROR_SHAPED, MessageContext, goes_on_otherwise, label_before
from matcher.fields import FieldFinder
from matcher.normalize import MAX_CHARS, normalize_paste
from matcher.results import CONFIDENT, SUGGEST, MatchResult
from matcher.spelling import Speller
from matcher.templates import CompiledTemplate, compile_template
from matcher.wording import WordingIndex, fold

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
        self._assembler = Assembler(catalog, self._fields, self._context)

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
        masked = mask_links(mask(body, settled))
        hits = self._wording.score(masked, skip=frozenset(confident), floor=SUGGEST)
        matches, suggestions = self._assembler.assemble(body, accepted, leftovers, hits)
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
                unsure = coverage < 1.0 and (
                    goes_on_otherwise(body, m.end(), template.rest(m))
                    or self._context.elsewhere(label_before(body, m.start()))
                )
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
                        unsure=unsure,
                    )
                )
        return found, quiet
