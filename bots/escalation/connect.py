"""Connecting to the escalation store and bringing its schema up to date, or saying why not."""

from __future__ import annotations

import logging

from bots.escalation.database import Database, DatabaseError, open_database
from bots.escalation.migrations import migrate
from bots.escalation.model import EscalationError
from bots.escalation.settings import EscalationSettings

log = logging.getLogger("passback.escalation")


async def connect_store(settings: EscalationSettings) -> Database:
    """The migrated database. Raises EscalationError (with the reason) if it cannot be used."""
    try:
        db = await open_database(settings.database_url)
    except DatabaseError as exc:
        raise EscalationError(f"The escalation database is not available: {exc}") from None
    try:
        applied = await migrate(db)
    except BaseException as exc:
        await db.close()
        if isinstance(exc, DatabaseError):
            raise EscalationError(f"The escalation database cannot be used: {exc}") from None
        raise
    if applied:
        log.info("escalation database %s: applied migrations %s", settings.database_label, applied)
    return db
