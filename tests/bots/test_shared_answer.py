"""An answer as a shared conversation sees it: no student result ids, and nothing to escalate."""

from __future__ import annotations

import pytest

from bots.answer import build_answer
from bots.cards.sentences import fact_value
from catalog import Catalog
from matcher import Matcher

SCORES = "\n".join(
    f'Unable to process score for {student}; missing "assignment_source_id" attribute'
    for student in ("s842620", "s842621", "s842622")
)


def test_student_values_are_counted_not_shown(catalog: Catalog) -> None:
    answer = build_answer(Matcher(catalog).match(SCORES), catalog)
    (fact,) = [f for f in answer.errors[0].facts if f.student]
    assert "s842620" in fact_value(fact)  # the private answer

    (withheld,) = [f for f in answer.shared().errors[0].facts if f.student]
    assert withheld.value == "" and withheld.count == 3
    assert fact_value(withheld).startswith("3 students, not shown")


def test_result_ids_in_an_unknown_paste_are_masked(catalog: Catalog) -> None:
    answer = build_answer(Matcher(catalog).match("gradebook broke for s1234567 again"), catalog)
    assert answer.kind == "no_match" and "s1234567" in answer.excerpt
    assert "s1234567" not in answer.shared().excerpt


def test_a_shared_view_cannot_become_an_escalation(catalog: Catalog) -> None:
    answer = build_answer(Matcher(catalog).match(SCORES), catalog)
    assert answer.fields  # what an escalation keeps
    with pytest.raises(ValueError):
        _ = answer.shared().fields
