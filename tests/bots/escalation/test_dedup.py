"""The dedup key comes from the catalog's `key: true` fields, a district's own ones included."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bots.escalation.dedup import problem_keys
from bots.escalation.model import Draft
from bots.escalation.service import EscalationService
from catalog import Catalog, load_catalog
from tests.bots.escalation.conftest import (
    fast_settings,
    person,
    put_oneroster_draft,
    slack_origin,
    teams_origin,
)


def test_values_of_key_fields_make_the_key_and_others_do_not(catalog: Catalog) -> None:
    draft = put_oneroster_draft(sid="s1001")
    keys = problem_keys(draft, 0.0, 60.0, catalog.key_fields)
    assert len(keys) == 1 and keys[0].key.startswith("values:") and keys[0].expires_at is None
    other_status = replace(  # the status describes a problem, it does not identify it
        put_oneroster_draft(sid="s1001", origin=teams_origin()),
        fields={"put-oneroster": {"result_sourced_id": "s1001", "http_status": "500"}},
    )
    assert problem_keys(other_status, 5.0, 60.0, catalog.key_fields) == keys
    # With no field flagged, the same draft is keyed by where it was reported, for the window.
    (by_place,) = problem_keys(draft, 0.0, 60.0, frozenset())
    assert by_place.key.startswith("place:") and by_place.expires_at == 60.0


def district_draft(ticket: str, channel: str) -> Draft:
    return Draft(
        entry_ids=("district-ticket",),
        text=f"Help desk ticket {ticket} could not be synced",
        fields={"district-ticket": {"ticket_number": ticket}},
        origin=slack_origin(channel),
    )


async def test_a_districts_flagged_field_joins_reports_of_one_ticket(database_url: str) -> None:
    overlay = Path(__file__).parents[2] / "fixtures" / "catalog" / "district-ticket.yaml"
    service = await EscalationService.create(
        fast_settings(database_url), load_catalog(overlay=overlay)
    )
    try:
        first = await service.escalate(
            await service.prepare(district_draft("HD-17", "C0GRADES1")), person(1)
        )
        same = await service.escalate(
            await service.prepare(district_draft("HD-17", "C0OTHER01")), person(2)
        )
        other = await service.escalate(
            await service.prepare(district_draft("HD-18", "C0GRADES1")), person(3)
        )
    finally:
        await service.close()
    assert first.created
    assert same.joined and same.case.reference == first.case.reference  # another channel
    assert other.created and other.case.reference != first.case.reference  # same channel
