"""A server instance that opens one case and is then killed (kill -9) by test_crash.py.

Configured by the JSON in PASSBACK_TEST_CHILD: the database, the webhook, whether the outbox
worker runs (it does not: the kill lands between commit and delivery; it does: the kill lands
during the delivery), and the delivery lease. Prints {"reference": …} once the case is committed.
"""

from __future__ import annotations

import asyncio
import json
import os

from bots.escalation.service import EscalationService
from catalog import load_catalog
from tests.bots.escalation.conftest import fast_settings, person, put_oneroster_draft


async def main() -> None:
    config = json.loads(os.environ["PASSBACK_TEST_CHILD"])
    settings = fast_settings(
        config["database_url"],
        webhook_url=config["webhook_url"],
        webhook_secret=config["webhook_secret"],
        lease_seconds=config["lease_seconds"],
        delivery_timeout_seconds=60.0,  # the hanging receiver keeps the delivery in flight
    )
    service = await EscalationService.create(settings, load_catalog())
    if config["worker"]:
        await service.start()
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    print(json.dumps({"reference": outcome.case.reference}), flush=True)
    await asyncio.sleep(120)  # the test kills this process long before


if __name__ == "__main__":
    asyncio.run(main())
