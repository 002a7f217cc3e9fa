"""Matches and suggestions from what the templates and the wording index found.

Candidates are grouped by entry in order of first appearance, with occurrence counts and the
values of every occurrence; an error described in words is answered only where the message
is about grade passback and names no undocumented value; fields missing from a template are
looked for in running text (matcher/fields); and a wrapper described around another error
gives way to it.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from catalog import Catalog
from matcher.candidates import OK, UNDOCUMENTED, Candidate, canonical
from matcher.context import MessageContext, line_around
from matcher.fields import FieldFinder
from matcher.results import CONFIDENT, SUGGEST, Match, Suggestion
from matcher.wording import WordingHit

# A value every documented pattern must reject before we trust it to spot a wrong value in
# free text (an HTTP status is specific; a free-text description is not).
_ORDINARY_WORDS = ("word", "WORD", "Word")


class Assembler:
    def __init__(self, catalog: Catalog, fields: FieldFinder, context: MessageContext):
        self._entries = {e.id: e for e in catalog.entries}
        self._reported = frozenset(name for name, spec in catalog.fields.items() if not spec.hidden)
        self._fields = fields
        self._context = context
        self._specific_documented = {
            e.id: {
                name: re.compile(catalog.fields[name].pattern)
                for name in e.documented
                if not any(re.fullmatch(catalog.fields[name].pattern, w) for w in _ORDINARY_WORDS)
            }
            for e in catalog.entries
        }

    def assemble(
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
                    if name in self._reported and value not in values.setdefault(name, []):
                        values[name].append(value)
            found.append(
                (
                    first.start,
                    Match(
                        entry_id=entry_id,
                        title=self._entries[entry_id].title,
                        confidence=max(c.confidence for c in group),
                        fields=MappingProxyType(
                            {k: v for k, v in first.fields.items() if k in self._reported} | loose
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
