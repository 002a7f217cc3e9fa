"""Fixtures shared by the attack tests: one real `passback serve` per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.operations.target import ENV, Target


@pytest.fixture(scope="module")
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    served = Target(folder, ENV).wait_until_up()
    yield served
    served.stop()
