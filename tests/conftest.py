from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from catalog import Catalog, load_catalog
from matcher import Matcher
from tests.postgres import postgres_server  # noqa: F401  (a fixture for every test)
from tests.processes import Processes

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(catalog: Catalog) -> Matcher:
    return Matcher(catalog)


@pytest.fixture
async def processes(tmp_path: Path) -> AsyncIterator[Processes]:
    """`await processes.serve(env)`: a real `passback serve`, stopped when the test ends."""
    started = Processes(tmp_path / "processes")
    yield started
    await started.stop_all()
