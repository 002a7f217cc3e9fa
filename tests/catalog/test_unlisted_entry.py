"""The unlisted entry: what the bot says when nothing matched, an entry of the catalog's own."""

from __future__ import annotations

from pathlib import Path

import yaml

from catalog import UNLISTED, Cause, check_catalog, load_catalog
from catalog.loader import BASE_CATALOG
from matcher import Matcher
from tests.catalog.conftest import WriteOverlay

BASE = yaml.safe_load((Path(__file__).parents[2] / "catalog" / BASE_CATALOG).read_text())


def test_its_words_are_the_catalog_files() -> None:
    catalog = load_catalog()
    words = BASE["unlisted"]
    unlisted = catalog.unlisted
    assert unlisted.id == UNLISTED
    assert unlisted.title == words["title"]
    assert unlisted.causes == (Cause(meaning=words["meaning"], steps=tuple(words["steps"])),)
    assert unlisted.escalation.to == words["escalation"]["to"]
    assert unlisted.escalation.when == words["escalation"]["when"]
    assert unlisted.escalation.support  # an unknown error can always reach a person
    assert unlisted.messages == ()


def test_it_is_found_like_any_entry_but_is_not_one_of_the_errors_listed() -> None:
    catalog = load_catalog()
    assert catalog.get(UNLISTED) is catalog.unlisted
    assert catalog[UNLISTED] is catalog.unlisted
    assert UNLISTED not in {e.id for e in catalog.entries}  # what matching and list read


def test_the_matcher_never_matches_it() -> None:
    catalog = load_catalog()
    words = BASE["unlisted"]
    matcher = Matcher(catalog)
    for text in (
        words["title"],
        f"{words['title']}: {words['meaning']}",
        "\n".join(words["steps"]),
        "Grade sync failed: SIS_EXPORT_FAILURE - HTTP Status: 503 Service Unavailable",
    ):
        result = matcher.match(text)
        assert UNLISTED not in {m.entry_id for m in result.matches}
        assert UNLISTED not in {s.entry_id for s in result.suggestions}


def test_a_district_overlay_can_reword_it(write_overlay: WriteOverlay) -> None:
    overlay = write_overlay(
        """
        unlisted:
          title: Not an error we know yet
          meaning: Our team has not seen this one.
          steps: [Send it to the district help desk.]
          resources: []
          escalation: {support: true, to: the district help desk, when: Always.}
        """,
    )
    unlisted = load_catalog(overlay=overlay).unlisted
    assert unlisted.id == UNLISTED and unlisted.title == "Not an error we know yet"
    assert unlisted.escalation.to == "the district help desk"


def test_no_listed_entry_may_take_its_id(write_overlay: WriteOverlay) -> None:
    overlay = write_overlay(
        """
        entries:
          - id: unlisted
            title: Something else
            messages: [Something else went wrong with the sync]
            causes: [{meaning: It broke., steps: [Fix it.]}]
            resources: []
            escalation: {support: false, to: your admins, when: If it comes back.}
        """,
    )
    assert check_catalog(overlay=overlay) == [
        f"{overlay}:3: entries[0] (unlisted).id: 'unlisted' is what the bot says about errors "
        "the catalog does not list (the unlisted section): give this entry another id"
    ]
