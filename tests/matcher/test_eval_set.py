"""The matcher against the shared evaluation set (a copy kept in tests/data)."""

from __future__ import annotations

import json

from matcher import Matcher
from matcher.evaluation import evaluate
from tests.conftest import DATA


def test_dev_set_meets_the_bar(matcher: Matcher) -> None:
    cases = [json.loads(line) for line in (DATA / "dev.jsonl").read_text().splitlines() if line]
    report = evaluate(matcher, cases)
    misses = "\n".join(
        f"{m.kind}: {m.text[:100]!r} expected {m.expected} got {m.got}" for m in report.misses
    )
    assert report.accuracy >= 0.97, misses
    assert report.false_positives == 0, misses
    assert report.field_accuracy >= 0.99, misses
