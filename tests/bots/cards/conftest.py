from __future__ import annotations

import pytest

from bots.answer import Answer
from catalog import Catalog
from matcher import Matcher
from tests.bots.cards.samples import every_answer


@pytest.fixture(scope="session")
def answers(catalog: Catalog, matcher: Matcher) -> dict[str, Answer]:
    return every_answer(catalog, matcher)
