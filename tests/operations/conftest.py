"""Fixtures shared by the attack tests: one real `passback serve` per test module, and a
Bot Connector stand-in per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.bots.teams.standin import ConnectorStandIn
from tests.operations.target import ENV, start_target
from tests.processes import Child


@pytest.fixture(scope="module")
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Child]:
    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    served = start_target(folder, ENV)
    yield served.ready_blocking()
    served.stop_blocking()


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorStandIn]:
    standin = ConnectorStandIn()
    await standin.start()
    yield standin
    await standin.close()
