"""The packaged catalog says what the Canvas SIS Error Code Dictionary says."""

from __future__ import annotations

import re

from catalog import Catalog
from tests.canvas.diagnosed_causes import DIAGNOSED_CAUSES
from tests.conftest import DATA

EXPECTED_IDS = {
    "assignment-dates",
    "assignment-id",
    "assignment-scores-export",
    "assignment-scores-export-put-oneroster",
    "could-not-determine-class-or-grading-period",
    "exchange",
    "kimono-job",
    "put-oneroster",
    "unable-to-process-score",
}


def test_has_exactly_the_nine_documented_errors(catalog: Catalog) -> None:
    assert {e.id for e in catalog.entries} == EXPECTED_IDS


def test_field_names_per_entry_match_the_agreed_table(catalog: Catalog) -> None:
    slot = re.compile(r"\{([a-z][a-z0-9_]*)\}")  # reported fields: no leading underscore
    reported = {
        e.id: {name for m in e.messages for name in slot.findall(m)} for e in catalog.entries
    }
    assert reported["assignment-id"] == {"assignment_app_id"}
    assert reported["assignment-scores-export"] == {"export_id", "detail"}
    assert reported["assignment-scores-export-put-oneroster"] == {
        "export_id",
        "result_sourced_id",
        "http_status",
        "code_minor",
        "description",
    }
    assert reported["exchange"] == {"exchange_id", "http_status"}
    assert reported["put-oneroster"] == {
        "result_sourced_id",
        "http_status",
        "code_minor",
        "description",
    }
    assert reported["unable-to-process-score"] == {"result_sourced_id"}
    for plain in ("assignment-dates", "kimono-job", "could-not-determine-class-or-grading-period"):
        assert reported[plain] == set()


def test_unable_to_process_score_has_two_labelled_causes(catalog: Catalog) -> None:
    causes = catalog["unable-to-process-score"].causes
    assert [c.label for c in causes] == ["No due date", "Differentiated due dates"]
    assert all(c.steps for c in causes)


def test_unspecified_meaning_is_said_honestly(catalog: Catalog) -> None:
    (cause,) = catalog["assignment-scores-export-put-oneroster"].causes
    assert cause.meaning == "No meaning currently specified."


def test_escalation_follows_the_documented_fixes(catalog: Catalog) -> None:
    support = {e.id for e in catalog.entries if e.escalation.support}
    # The source's fix says "contact the Canvas SIS Support Team" for exactly these.
    assert support == {"assignment-scores-export-put-oneroster", "exchange", "kimono-job"}
    assert catalog["exchange"].escalation.admin_only
    assert not catalog["kimono-job"].escalation.admin_only
    assert catalog.unlisted.escalation.support
    assert "Canvas Support" in catalog.unlisted.escalation.to


def test_documented_statuses(catalog: Catalog) -> None:
    assert catalog["put-oneroster"].documented["http_status"] == ("422",)
    assert catalog["assignment-scores-export-put-oneroster"].documented["http_status"] == ("401",)
    assert catalog["exchange"].documented["http_status"] == ("403",)


def test_every_link_is_from_the_reference_or_a_search(catalog: Catalog) -> None:
    known = set(re.findall(r"https://[^\s|)]+", (DATA / "reference-links.md").read_text()))
    resources = [r for e in catalog.entries for r in e.resources] + list(catalog.unlisted.resources)
    assert resources
    for resource in resources:
        is_search = resource.url.startswith("https://www.google.com/search?q=")
        assert resource.url in known or is_search, resource
    titles = {r.title for r in resources}
    for guide in ("View grading history", "Manage course sections"):
        assert guide in titles  # linked by a search for the exact title, not an invented URL


def test_every_diagnosed_cause_is_a_key_of_one_catalog_cause(catalog: Catalog) -> None:
    for entry_id, keys in DIAGNOSED_CAUSES.items():
        entry = catalog[entry_id]
        for key in keys:
            assert entry.cause_for(key) is not None, (entry_id, key)
    cause = catalog["unable-to-process-score"].cause_for("module-dates")
    assert cause is not None and cause.label == "Differentiated due dates"
