"""Fixtures for the catalog tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

WriteOverlay = Callable[[str], Path]


@pytest.fixture
def write_overlay(tmp_path: Path) -> WriteOverlay:
    """write_overlay(yaml_text): the text (dedented) as this test's district.yaml."""

    def write(text: str) -> Path:
        path = tmp_path / "district.yaml"
        path.write_text(textwrap.dedent(text))
        return path

    return write
