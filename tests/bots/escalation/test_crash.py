"""kill -9 between commit and delivery, or in the middle of a delivery: delivered once after a
restart."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

from bots.escalation.service import EscalationService
from tests.bots.escalation.conftest import (
    WEBHOOK_SECRET,
    Receiver,
    ServiceFactory,
)
from tests.polling import eventually
from tests.processes import start


async def run_and_kill(
    database_url: str, receiver: Receiver, directory: Path, *, worker: bool, after_request: bool
) -> str:
    """Start crash_child, wait for its case (and, if asked, its delivery request), kill -9."""
    config = {
        "database_url": database_url,
        "webhook_url": receiver.url,
        "webhook_secret": WEBHOOK_SECRET,
        "worker": worker,
        "lease_seconds": 1.0,
    }
    child = start(
        ["-m", "tests.bots.escalation.crash_child"],
        {"PASSBACK_TEST_CHILD": json.dumps(config)},
        directory,
        name="crash-child",
    )
    try:
        reference = json.loads(await child.first_line())["reference"]
        if after_request:
            await eventually(lambda: receiver.requests, what="the child's delivery request")
    finally:
        child.process.send_signal(signal.SIGKILL)
        code = await child.exited()
    assert code == -signal.SIGKILL
    return reference


async def delivered(service: EscalationService, reference: str):
    case = await service.get(reference)
    delivery = case.delivery("webhook") if case else None
    return delivery if delivery and delivery.state == "delivered" else None


async def test_kill_9_between_commit_and_delivery_then_restart_delivers_once(
    database_url: str, receiver: Receiver, make_service: ServiceFactory, tmp_path: Path
):
    reference = await run_and_kill(
        database_url, receiver, tmp_path, worker=False, after_request=False
    )
    assert receiver.requests == []  # committed, never sent
    restarted = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    case = await restarted.get(reference)
    assert case is not None and [r.user_id for r in case.reporters] == ["U0001"]
    delivery = await eventually(lambda: delivered(restarted, reference))
    await asyncio.sleep(0.3)  # more polls: nothing more is sent
    assert len(receiver.requests) == 1 and delivery.attempts == 1
    assert list(receiver.tickets) == [f"{reference}:webhook"]


async def test_kill_9_during_delivery_then_restart_delivers_once(
    database_url: str, receiver: Receiver, make_service: ServiceFactory, tmp_path: Path
):
    # The worst moment: the receiver has filed the ticket, the answer never comes back.
    receiver.script = ["file-then-hang"]
    reference = await run_and_kill(
        database_url, receiver, tmp_path, worker=True, after_request=True
    )
    restarted = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    delivery = await eventually(lambda: delivered(restarted, reference))  # after the 1 s lease
    assert delivery.attempts == 2 and len(receiver.requests) == 2
    keys = [headers["Idempotency-Key"] for headers, _ in receiver.requests]
    assert keys == [f"{reference}:webhook"] * 2  # so the receiver drops the repeat
    assert len(receiver.tickets) == 1
