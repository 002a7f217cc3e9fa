"""What a "Check in Canvas" found, carried into the case support receives.

Built from the answer's Canvas findings (`bots.answer_canvas.CanvasFinding`), which hold only
what a channel may see: assignment and section names with their links, never a student's name,
score or the student behind an `s…` id (student-level items are only counted). Stored as JSON
with the draft, copied into the case when it opens, shown by every destination and sent in the
webhook as the documented `diagnosis` object.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bots.answer import Answer


@dataclass(frozen=True, slots=True)
class CheckedItem:
    title: str  # an assignment or section name (teachers' text: shown as plain text)
    url: str


@dataclass(frozen=True, slots=True)
class CheckedError:
    entry_id: str
    status: str  # found | clear | not-checkable | not-permitted | error
    cause: str | None  # the catalog cause key, when found
    cause_label: str | None
    summary: str
    items: tuple[CheckedItem, ...] = ()
    more: int = 0  # culprits beyond the items
    private: int = 0  # student-level items: counted, never named


@dataclass(frozen=True, slots=True)
class CaseDiagnosis:
    checked_at: datetime
    course_name: str
    course_url: str
    checks: tuple[CheckedError, ...]

    @classmethod
    def of_answer(cls, answer: Answer, now: datetime | None = None) -> CaseDiagnosis | None:
        findings = [e.canvas for e in answer.errors if e.canvas is not None]
        if not findings:
            return None
        return cls(
            checked_at=(now or datetime.now(UTC)).replace(microsecond=0),
            course_name=findings[0].course_name,
            course_url=findings[0].course_url,
            checks=tuple(
                CheckedError(
                    entry_id=f.entry_id,
                    status=f.status,
                    cause=f.cause,
                    cause_label=f.cause_label,
                    summary=f.summary,
                    items=tuple(CheckedItem(link.title, link.url) for link in f.links),
                    more=f.more,
                    private=f.private,
                )
                for f in findings
            ),
        )

    def about(self, entry_ids: tuple[str, ...]) -> bool:
        """Some check is of one of these errors. (A case of one error from a card of several
        carries the whole card's check, as context: it was one paste.)"""
        return any(c.entry_id in entry_ids for c in self.checks)

    def shows_the_same(self, other: CaseDiagnosis | None) -> bool:
        """The same finding, whenever it was checked (a check run again changed nothing)."""
        return other is not None and replace(other, checked_at=self.checked_at) == self

    def as_json(self) -> dict[str, Any]:
        """The webhook's `diagnosis` object (README, "The webhook")."""
        return {
            "checked_at": self.checked_at.isoformat().replace("+00:00", "Z"),
            "course": {"name": self.course_name, "url": self.course_url},
            "checks": [
                {
                    "entry_id": c.entry_id,
                    "status": c.status,
                    "cause": c.cause,
                    "cause_label": c.cause_label,
                    "summary": c.summary,
                    "items": [{"title": i.title, "url": i.url} for i in c.items],
                    "more_items": c.more,
                    "student_items": c.private,
                }
                for c in self.checks
            ],
        }

    def dumps(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False)

    @classmethod
    def loads(cls, raw: str | None) -> CaseDiagnosis | None:
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return cls(
                checked_at=datetime.fromisoformat(data["checked_at"].replace("Z", "+00:00")),
                course_name=str(data["course"]["name"]),
                course_url=str(data["course"]["url"]),
                checks=tuple(
                    CheckedError(
                        entry_id=str(c["entry_id"]),
                        status=str(c["status"]),
                        cause=c.get("cause"),
                        cause_label=c.get("cause_label"),
                        summary=str(c["summary"]),
                        items=tuple(
                            CheckedItem(str(i["title"]), str(i["url"])) for i in c["items"]
                        ),
                        more=int(c.get("more_items", 0)),
                        private=int(c.get("student_items", 0)),
                    )
                    for c in data["checks"]
                ),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # a row this version cannot read: the case goes out without it

    def lines(self, opened_at: datetime | None = None) -> list[str]:
        """Plain text, for the e-mail and the chat destinations; says so when the check was
        made after the case was opened (at `opened_at`)."""
        at = self.checked_at.strftime("%Y-%m-%d %H:%M UTC")
        # checked_at is to the second: a check in the second the case opened came after it
        after = opened_at is not None and self.checked_at >= opened_at.replace(microsecond=0)
        later = ", after the case was opened" if after else ""
        out = [f"Checked in Canvas at {at}{later}: {self.course_name} ({self.course_url})"]
        for c in self.checks:
            label = f" ({c.cause_label})" if c.cause_label else ""
            out.append(f"  {c.entry_id}: {c.status}{label}. {c.summary}")
            out.extend(f"    - {i.title}: {i.url}" for i in c.items)
            if c.more:
                out.append(f"    … and {c.more} more")
            if c.private:
                out.append(f"    ({c.private} student-level item(s): ask the teacher privately)")
        return out
