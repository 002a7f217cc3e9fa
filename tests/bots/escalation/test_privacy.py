"""Logs carry case references and entry ids: never pasted text, student ids, names or secrets."""

from __future__ import annotations

import logging

import pytest

from bots.escalation.model import Status
from tests.bots.escalation.conftest import (
    SLACK_TOKEN,
    STUDENT_ID,
    SUPPORT_CHANNEL,
    WEBHOOK_SECRET,
    Receiver,
    ServiceFactory,
    SlackApi,
    person,
    put_oneroster_draft,
)
from tests.polling import eventually


async def test_a_whole_escalation_logs_no_user_text(
    make_service: ServiceFactory,
    receiver: Receiver,
    slack_api: SlackApi,
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)  # even at DEBUG
    receiver.script = ["500"]
    slack_api.script = ["500"]
    service = await make_service(
        slack_channel=SUPPORT_CHANNEL,
        slack_bot_token=SLACK_TOKEN,
        slack_api_url=slack_api.url,
        webhook_url=receiver.url,
        webhook_secret=WEBHOOK_SECRET,
    )
    told: list[str] = []

    async def notifier(case, reporter, origin, text):
        told.append(text)

    service.add_notifier("slack", notifier)
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    reference = outcome.case.reference

    async def both_delivered():
        case = await service.get(reference)
        return case and all(d.state == "delivered" for d in case.deliveries)

    await eventually(both_delivered)
    await service.set_status(reference, Status.RESOLVED, person(2))
    await eventually(lambda: told)
    logged = caplog.text
    assert f"{reference} (put-oneroster) delivered to webhook" in logged
    assert f"{reference}: delivery to slack failed" in logged
    for private in (
        STUDENT_ID, "PUT for ONEROSTER", "Teacher 1", "Teacher 2", "U0001", SLACK_TOKEN,
        WEBHOOK_SECRET, receiver.url, "lincoln.slack.com",
    ):  # fmt: skip
        assert private not in logged, private
