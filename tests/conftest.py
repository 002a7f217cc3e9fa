from __future__ import annotations

from pathlib import Path

import pytest

from catalog import Catalog, load_catalog
from matcher import Matcher
from tests.postgres import postgres_server  # noqa: F401  (a fixture for every test)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(catalog: Catalog) -> Matcher:
    return Matcher(catalog)
