"""Score the matcher on labelled cases (the format of the shared evaluation set).

A case is `{"text", "expect": [ids], "fields": {id: {field: value}}, "kind"}`. A case is right
when its confident matches are exactly `expect` as a set; fields are compared as strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.engine import Matcher


@dataclass(frozen=True, slots=True)
class Miss:
    kind: str
    text: str
    expected: tuple[str, ...]
    got: tuple[str, ...]
    wrong_fields: tuple[tuple[str, str, str, str | None], ...] = ()  # id, field, want, got


@dataclass(slots=True)
class Report:
    cases: int = 0
    correct: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [correct, total]
    negatives: int = 0
    false_positives: int = 0
    fields_checked: int = 0
    fields_correct: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.cases if self.cases else 0.0

    @property
    def field_accuracy(self) -> float:
        return self.fields_correct / self.fields_checked if self.fields_checked else 1.0


class CaseError(ValueError):
    pass


def check_case(case: Any, number: int) -> Mapping[str, Any]:
    if not isinstance(case, dict) or not isinstance(case.get("text"), str):
        raise CaseError(f'case {number}: needs a "text" string')
    if not isinstance(case.get("expect", []), list):
        raise CaseError(f'case {number}: "expect" must be a list of ids')
    if not isinstance(case.get("fields", {}), dict):
        raise CaseError(f'case {number}: "fields" must be an object')
    return case


def evaluate(matcher: Matcher, cases: Iterable[Mapping[str, Any]]) -> Report:
    report = Report()
    for case in cases:
        expected = tuple(case.get("expect", []))
        kind = str(case.get("kind", "unlabelled"))
        result = matcher.match(case["text"])
        got = tuple(m.entry_id for m in result.matches)
        by_id = {m.entry_id: m for m in result.matches}
        wrong = []
        for entry_id, wanted in (case.get("fields") or {}).items():
            for name, value in (wanted or {}).items():
                report.fields_checked += 1
                actual = by_id[entry_id].fields.get(name) if entry_id in by_id else None
                if actual is not None and str(actual) == str(value):
                    report.fields_correct += 1
                else:
                    wrong.append((entry_id, name, str(value), actual))
        right = set(got) == set(expected)
        report.cases += 1
        report.correct += right
        tally = report.by_kind.setdefault(kind, [0, 0])
        tally[0] += right
        tally[1] += 1
        if not expected:
            report.negatives += 1
            report.false_positives += bool(got)
        if not right or wrong:
            report.misses.append(Miss(kind, case["text"], expected, got, tuple(wrong)))
    return report
