"""The one rule for URLs parsers may read as on different hosts (canvas/ and bots/teams/ use it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.imports import imported_names
from urlsafety import has_ambiguous_characters, host_is_ambiguous

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize(
    "url",
    [
        "http://a\\@b.example/",  # urlsplit: host b.example; urllib3 and browsers: host a
        "https://canvas.example/courses/1\\@evil.example/",  # a backslash anywhere
        "https://user@canvas.example/courses/1",
        "https://canvas.example /courses/1",
        "https://canvas.ex\x00ample/courses/1",
        "https://canvas.ex\x7fample/courses/1",
    ],
)
def test_a_url_parsers_may_disagree_about_has_an_ambiguous_host(url: str) -> None:
    assert host_is_ambiguous(url)
    assert has_ambiguous_characters(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://canvas.example/courses/1",
        "https://canvas.example:8443/courses/1/assignments/2?x=1#y",
        "https://canvas.example/courses/1?login=a@b.example",  # @ past the authority
    ],
)
def test_a_plain_url_has_an_unambiguous_host(url: str) -> None:
    assert not host_is_ambiguous(url)


def test_the_strict_form_refuses_an_at_sign_anywhere() -> None:
    assert has_ambiguous_characters("https://smba.example/v3/a@b")
    assert not has_ambiguous_characters("https://smba.example/amer/")


def test_the_package_imports_only_the_standard_library() -> None:
    for path in (ROOT / "urlsafety").rglob("*.py"):
        for name in imported_names(path):
            assert name.split(".")[0] in {"__future__", "re", "urllib"}, (path, name)
