"""Answer each delivery once: Slack's retried events and Teams' redelivered activities.

The claims are kept by the escalation store, so they hold across a restart and across several
instances sharing the database. A claim is made before answering: a crash mid-answer loses that
answer rather than risking two. When the store cannot answer, the ledger falls back to a bounded
memory of recent keys in this process: the delivery is answered, not dropped, and a redelivery
to this instance is still answered once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from bots.escalation.service import EscalationService

log = logging.getLogger("passback.deliveries")

RECENT_KEYS = 10_000


class DeliveryLedger:
    def __init__(self, escalation: EscalationService, remember: int = RECENT_KEYS):
        self._escalation = escalation
        self._remember = remember
        self._recent: OrderedDict[str, None] = OrderedDict()

    async def first_time(self, key: str) -> bool:
        """True once per key (an empty key is always answered)."""
        if not key:
            return True
        try:
            return await self._escalation.claim_event(key)
        except Exception as exc:
            log.warning(
                "could not record a delivery in the case store (%s); remembering it here",
                type(exc).__name__,
            )
        if key in self._recent:
            return False
        self._recent[key] = None
        while len(self._recent) > self._remember:
            self._recent.popitem(last=False)
        return True
