"""Field flags: which values identify a problem (`key`) and which a student (`student`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from catalog import check_catalog, load_catalog
from catalog.loader import BASE_CATALOG
from tests.catalog.conftest import WriteOverlay

BASE = yaml.safe_load((Path(__file__).parents[2] / "catalog" / BASE_CATALOG).read_text())

# A district overlay adding an entry whose new field is flagged `key: true`.
DISTRICT_ENTRY = Path(__file__).parents[1] / "fixtures" / "catalog" / "district-ticket.yaml"


def test_the_packaged_catalog_flags_the_identifying_and_the_student_fields() -> None:
    catalog = load_catalog()
    flagged = {name for name, spec in BASE["fields"].items() if spec.get("key")}
    assert catalog.key_fields == flagged
    assert catalog.key_fields == {
        "result_sourced_id",
        "assignment_app_id",
        "export_id",
        "exchange_id",
    }
    assert catalog.student_fields == {"result_sourced_id"}
    assert catalog.fields["result_sourced_id"].student
    assert not catalog.fields["http_status"].key  # describes a problem, shared by many


def test_a_new_entry_with_a_flagged_field_loads_its_flag() -> None:
    catalog = load_catalog(overlay=DISTRICT_ENTRY)
    assert "ticket_number" in catalog.key_fields
    assert catalog.key_fields > load_catalog().key_fields
    assert catalog["district-ticket"].messages


def test_an_overlay_that_redefines_a_field_keeps_its_flags(write_overlay: WriteOverlay) -> None:
    overlay = write_overlay(
        """
        fields:
          result_sourced_id: {label: Student, pattern: '[A-Za-z0-9_.:-]{1,64}'}
        """,
    )
    spec = load_catalog(overlay=overlay).fields["result_sourced_id"]
    assert spec.label == "Student"
    assert spec.key and spec.student
    assert spec.near is None  # the rest of the spec is replaced, as before


def test_an_overlay_may_set_key_but_cannot_unmark_a_student_field(
    write_overlay: WriteOverlay,
) -> None:
    overlay = write_overlay(
        """
        fields:
          export_id: {label: Job id, pattern: '[A-Za-z0-9_.:-]{1,64}', key: false}
          result_sourced_id:
            label: Student result
            pattern: '[A-Za-z0-9_.:-]{1,64}'
            student: false
        """,
    )
    assert check_catalog(overlay=overlay) == [
        f"{overlay}:7: fields.result_sourced_id.student: holds student data in the catalog "
        "this overlays; an overlay cannot unmark it"
    ]
    without = write_overlay("fields:\n  export_id: {label: Job, pattern: 'x', key: false}\n")
    assert "export_id" not in load_catalog(overlay=without).key_fields


def test_a_flag_must_be_a_boolean_on_a_reported_field(write_overlay: WriteOverlay) -> None:
    not_boolean = write_overlay(
        "fields:\n  http_status: {label: HTTP, pattern: '[1-5][0-9][0-9]', key: 'yes'}\n"
    )
    problems = check_catalog(overlay=not_boolean)
    assert any("fields.http_status.key" in p and "boolean" in p for p in problems), problems
    hidden = write_overlay(
        "fields:\n  _severity: {label: S, pattern: '[a-z]{1,9}', student: true}\n"
    )
    assert check_catalog(overlay=hidden) == [
        f"{hidden}:2: fields._severity.student: is never reported (it starts with _), so it "
        "cannot be a student field"
    ]
