"""Candidates: the places a template matched, and how overlapping ones are settled."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from catalog import Entry
from matcher.context import ERROR_SHAPED
from matcher.templates import CompiledTemplate
from matcher.wording import one_edit

# Whether a candidate's documented values hold: all that were pasted match the catalog, the
# message was cut off before any of them, or one was pasted with a value the catalog lacks.
OK, UNDETERMINED, UNDOCUMENTED = 0, 1, 2
# A few words that introduce what a job reported: "finished with errors:", "failed -".
_LEAD_IN = re.compile(r"[^.!?;\n]{0,40}[:\u2013-]\s*")
# What each repaired word costs a match's confidence, and at most.
_REPAIR_COST, _MAX_REPAIR_COST = 0.02, 0.2
# At most what a partial quote that reads as another message is worth: a suggestion.
_UNSURE_CAP = 0.55


@dataclass(slots=True)
class Candidate:
    template: CompiledTemplate
    start: int
    end: int
    coverage: float
    fields: dict[str, str]
    status: int
    undocumented: dict[str, str] = field(default_factory=dict)
    detail_start: int | None = None
    # Where each free-text field starts: another message found inside one ends this one there.
    free_starts: dict[str, int] = field(default_factory=dict)
    absorbed: bool = False  # a wrapper that gave way to the message it holds
    repairs: int = 0  # words of it the speller had to repair (typos, OCR damage)
    # A partial quote that goes on as another message, or that another system's name precedes.
    unsure: bool = False

    @property
    def entry_id(self) -> str:
        return self.template.entry_id

    @property
    def confidence(self) -> float:
        """From how much of the message is there, less a little for each repaired word: a
        message read through heavy OCR damage is a little less sure than a clean one; a partial
        quote that is `unsure` is only worth a suggestion."""
        confidence = (0.2 + 0.8 * self.coverage) * (
            1.0 - min(_MAX_REPAIR_COST, _REPAIR_COST * self.repairs)
        )
        return min(confidence, _UNSURE_CAP) if self.unsure else confidence


def documented_status(entry: Entry, fields: dict[str, str]) -> tuple[int, dict[str, str]]:
    """Whether the documented values hold: all that were pasted match, and at least one was."""
    wrong: dict[str, str] = {}
    seen = False
    for name, allowed in entry.documented.items():
        value = fields.get(name)
        if value is None:
            continue
        seen = True
        if not documented_value(value, allowed):
            wrong[name] = value
    if wrong:
        return UNDOCUMENTED, wrong
    return (OK if seen or not entry.documented else UNDETERMINED), wrong


def documented_value(value: str, allowed: tuple[str, ...]) -> bool:
    """`value` is one of `allowed`, or a one-letter typo of a long word one ("UAUTHORIZED");
    short values such as HTTP statuses must match exactly: 401 and 404 are one edit apart."""
    pasted = canonical(value)
    documented = {canonical(a) for a in allowed}
    if pasted in documented:
        return True
    return (
        len(pasted) >= 6 and not pasted.isdigit() and any(one_edit(pasted, d) for d in documented)
    )


def canonical(value: str) -> str:
    return " ".join(value.replace("_", " ").upper().split())


def settle(candidates: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """Which candidates stand (one per stretch of text) and which only suggest."""
    by_start = sorted(candidates, key=lambda c: c.start)
    starts = [c.start for c in by_start]
    for c in candidates:
        c.absorbed = _holds_another(c, by_start, starts)
    standing = [c for c in candidates if not c.absorbed]
    for c in standing:
        _cut_free_text(c, by_start, starts)
    standing.sort(key=lambda c: (c.status, -c.coverage, -c.template.total, c.start, -c.end))
    # Accepted candidates never overlap, so sorted by start they are sorted by end too.
    accepted: list[Candidate] = []
    accepted_ends: list[int] = []
    leftovers: list[Candidate] = []
    for c in standing:
        i = bisect_right(accepted_ends, c.start)
        clash = accepted[i] if i < len(accepted) and accepted[i].start < c.end else None
        if clash is None:
            accepted.insert(i, c)
            accepted_ends.insert(i, c.end)
        elif clash.entry_id != c.entry_id and c.status != OK and clash.status != OK:
            leftovers.append(c)  # as unsure as what it clashes with: worth suggesting
    return accepted, leftovers


# A web address in a paste (a Canvas course link, say) names a place, not an error: its "http"
# and its numbers are no one's wording ("https://canvas.example.edu/courses/1" is not
# "HTTP response HTTP/1.1").
_LINK = re.compile(r"(?i)\b(?:https?|ftp)://[^\s<>\"'`]+")


def mask_links(body: str) -> str:
    """`body` with every web address blanked, its length kept (offsets stay the text's)."""
    return _LINK.sub(lambda m: " " * len(m.group()), body)


def mask(body: str, candidates: list[Candidate]) -> str:
    if not candidates:
        return body
    chars = list(body)
    for c in candidates:
        end = c.detail_start if c.detail_start is not None else c.end
        chars[c.start : end] = " " * (end - c.start)
    return "".join(chars)


def _holds_another(wrapper: Candidate, by_start: list[Candidate], starts: list[int]) -> bool:
    """A wrapper whose free-text part is another entry's message gives way to it, also after
    a few words that only introduce it ("- finished with errors: Assignment dates ...")."""
    if wrapper.detail_start is None:
        return False
    detail = wrapper.fields.get(wrapper.template.detail_slot or "", "")
    first = bisect_left(starts, wrapper.detail_start)
    last = bisect_right(starts, wrapper.detail_start + len(detail))
    for o in by_start[first:last]:
        if o.entry_id == wrapper.entry_id:
            continue
        lead = detail[: max(0, o.start - wrapper.detail_start)]
        if o.start <= wrapper.detail_start + 1 or _introduces(lead):
            return True
    return False


def _introduces(lead: str) -> bool:
    """A lead-in of a word or two, or one that says the job failed ("failed with errors:")."""
    return bool(_LEAD_IN.fullmatch(lead)) and (
        len(lead.split()) <= 2 or bool(ERROR_SHAPED.search(lead))
    )


def _cut_free_text(c: Candidate, by_start: list[Candidate], starts: list[int]) -> None:
    """A free-text part (a reason, a detail) ends where another documented message begins:
    pastes arrive on one line, and no part of one message may swallow the next."""
    if not c.free_starts:
        return
    first = bisect_right(starts, min(c.free_starts.values()))
    cut = next((o.start for o in by_start[first:] if o is not c and o.start < c.end), None)
    if cut is None or cut >= c.end:
        return
    for name, start in c.free_starts.items():
        value = c.fields.get(name)
        if value is None:
            continue
        if start >= cut:
            del c.fields[name]
        else:
            kept = value[: cut - start].strip(" \"'")
            if kept:
                c.fields[name] = kept
            else:
                del c.fields[name]
    c.end = cut
