"""Versioned migrations: applied once at start-up, safe when instances start together."""

from __future__ import annotations

import asyncio

import pytest

from bots.escalation.database import DatabaseError, open_database
from bots.escalation.migrations import MIGRATIONS, migrate
from bots.escalation.model import EscalationError
from bots.escalation.service import EscalationService
from catalog import Catalog
from tests.bots.escalation.conftest import fast_settings


async def test_two_instances_starting_together_apply_each_migration_once(
    unmigrated_database_url: str,
):
    databases = [await open_database(unmigrated_database_url) for _ in range(4)]
    try:
        applied = await asyncio.gather(*(migrate(db) for db in databases))
        assert sorted(applied, key=len) == [[], [], [], [m.version for m in MIGRATIONS]]
        async with databases[0].transaction(write=False) as tx:
            rows = await tx.fetch("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in rows] == [m.version for m in MIGRATIONS]
        assert await migrate(databases[0]) == []  # the next start-up: nothing to do
    finally:
        for db in databases:
            await db.close()


async def test_a_newer_schema_is_refused_in_words(database_url: str, catalog: Catalog):
    db = await open_database(database_url)
    try:
        await migrate(db)
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                999,
                "from the future",
                0.0,
            )
        with pytest.raises(DatabaseError, match="newer than this passback"):
            await migrate(db)
    finally:
        await db.close()
    with pytest.raises(EscalationError, match="upgrade passback"):
        await EscalationService.create(fast_settings(database_url), catalog)


async def test_an_unreachable_database_is_an_error_in_words(catalog: Catalog):
    url = "postgresql://passback:hunter2@127.0.0.1:1/passback"
    with pytest.raises(EscalationError) as caught:
        await EscalationService.create(fast_settings(url), catalog)
    assert "not available" in caught.value.user_message
    assert "hunter2" not in caught.value.user_message


async def test_case_numbers_start_at_1001(database_url: str, catalog: Catalog):
    from tests.bots.escalation.conftest import person, put_oneroster_draft

    service = await EscalationService.create(fast_settings(database_url), catalog)
    try:
        outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
        assert outcome.case.reference == "PB-1001"
    finally:
        await service.close()
