"""What a diagnosis says, as platform-neutral data: per matched error, which cause applies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["found", "clear", "not-checkable", "not-permitted", "error"]
ItemType = Literal["assignment", "section", "submission", "grading-period", "course"]


@dataclass(frozen=True, slots=True)
class Suspect:
    """A matched catalog entry and the fields the matcher read from the paste."""

    entry_id: str
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Item:
    """A thing in Canvas a finding points at. `private`: student-level (a private reply only)."""

    type: ItemType
    id: str
    name: str
    url: str
    private: bool = False


@dataclass(frozen=True, slots=True)
class Check:
    entry_id: str
    cause: str | None  # a catalog causes[].key of the entry, when status is "found"
    status: Status
    summary: str
    items: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True)
class CourseInfo:
    id: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Diagnosis:
    course: CourseInfo | None
    checks: tuple[Check, ...]
    requests: int = 0  # Canvas requests made, authorisation included

    @property
    def found(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == "found")

    def as_json(self) -> dict[str, object]:
        """Exactly the shape `passback diagnose --json` documents."""
        return {
            "course": None
            if self.course is None
            else {"id": self.course.id, "name": self.course.name, "url": self.course.url},
            "checks": [
                {
                    "entry_id": c.entry_id,
                    "cause": c.cause,
                    "status": c.status,
                    "summary": c.summary,
                    "items": [
                        {"type": i.type, "id": i.id, "name": i.name, "url": i.url} for i in c.items
                    ],
                }
                for c in self.checks
            ],
        }
