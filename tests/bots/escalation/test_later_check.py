"""Escalate first, Check in Canvas afterwards: the finding joins the case and support hears of
it once (the Slack post updated in place, one follow-up to every other destination)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bots.escalation.diagnosis import CaseDiagnosis, CheckedError
from bots.escalation.service import EscalationService
from tests.bots.escalation.conftest import (
    SLACK_TOKEN,
    SUPPORT_CHANNEL,
    WEBHOOK_SECRET,
    Receiver,
    ServiceFactory,
    SlackApi,
    delivered,
    person,
    put_oneroster_draft,
)
from tests.polling import eventually


def finding(summary: str = "1 score removed in the last 30 days on 'Lab 5'.") -> CaseDiagnosis:
    return CaseDiagnosis(
        checked_at=datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5),
        course_name="Chemistry",
        course_url="https://canvas.example/courses/101",
        checks=(
            CheckedError("put-oneroster", "found", "score-removed", "Score removed", summary),
            CheckedError("kimono", "clear", None, None, "No Kimono job in this course."),
        ),
    )


async def escalated(service: EscalationService) -> tuple[str, str]:
    """A case opened from a button; (its token, its reference)."""
    token = await service.prepare(put_oneroster_draft())
    outcome = await service.escalate(token, person(1))
    return token, outcome.case.reference


async def updates(service: EscalationService) -> list[dict]:
    async with service.db.transaction(write=False) as tx:
        return await tx.fetch("SELECT * FROM case_updates ORDER BY id")


def follow_ups(receiver: Receiver) -> list[tuple[dict[str, str], bytes]]:
    return [r for r in receiver.requests if r[0]["X-Passback-Event"] == "case.diagnosis"]


async def test_a_check_after_escalating_reaches_the_case_and_support_once(
    make_service: ServiceFactory, receiver: Receiver, slack_api: SlackApi
) -> None:
    service = await make_service(
        webhook_url=receiver.url,
        webhook_secret=WEBHOOK_SECRET,
        slack_channel=SUPPORT_CHANNEL,
        slack_bot_token=SLACK_TOKEN,
        slack_api_url=slack_api.url,
    )
    token, reference = await escalated(service)
    post = await eventually(lambda: delivered(service, reference, "slack"))
    await eventually(lambda: delivered(service, reference, "webhook"))

    checked = finding()
    assert await service.attach_diagnosis(token, checked)
    case = await service.get(reference)
    assert case is not None and case.diagnosis == checked  # the whole card's check, as context

    (headers, body) = (await eventually(lambda: follow_ups(receiver)))[0]
    assert receiver.signed(len(receiver.requests) - 1)
    assert headers["Idempotency-Key"].startswith(f"{reference}:webhook:case.diagnosis:")
    payload = json.loads(body)
    assert payload["event"] == "case.diagnosis" and payload["reference"] == reference
    assert [c["entry_id"] for c in payload["diagnosis"]["checks"]] == ["put-oneroster", "kimono"]
    assert "after the case was opened: Chemistry" in payload["body"]

    def slack_updates() -> list[dict]:
        return [p for m, p in slack_api.calls if m == "chat.update"]

    (update,) = await eventually(slack_updates)
    assert f"{update['channel']}:{update['ts']}" == post.external_id  # the same post, in place
    assert "after the case was opened: Chemistry" in json.dumps(update["blocks"])
    assert [m for m, _ in slack_api.calls].count("chat.postMessage") == 1

    # The same check again (later) shows nothing new: no second follow-up.
    again = replace(checked, checked_at=checked.checked_at + timedelta(minutes=3))
    assert not await service.attach_diagnosis(token, again)
    rows = await updates(service)
    assert sorted(r["destination"] for r in rows) == ["slack", "webhook"]  # one each, ever

    async def all_delivered() -> bool:
        return all(r["state"] == "delivered" for r in await updates(service))

    await eventually(all_delivered)
    assert len(follow_ups(receiver)) == 1 and len(slack_updates()) == 1


async def test_a_follow_up_is_retried_and_delivered_once_by_two_instances(
    make_service: ServiceFactory, receiver: Receiver
) -> None:
    first = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    second = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    token, reference = await escalated(first)
    await eventually(lambda: delivered(first, reference, "webhook"))
    receiver.script = ["500", "503"]  # the receiver is down twice, then files it
    assert await second.attach_diagnosis(token, finding())

    async def done() -> bool:
        rows = await updates(first)
        return bool(rows) and rows[0]["state"] == "delivered"

    await eventually(done, within=20)
    (row,) = await updates(first)
    assert row["attempts"] == 3
    keys = {headers["Idempotency-Key"] for headers, _ in follow_ups(receiver)}
    assert len(keys) == 1 and len(follow_ups(receiver)) == 3
    assert sorted(receiver.tickets) == sorted([f"{reference}:webhook", *keys])  # one each


async def test_a_check_before_the_case_went_out_travels_with_it(
    make_service: ServiceFactory, receiver: Receiver
) -> None:
    service = await make_service(
        start=False, webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET
    )
    token, reference = await escalated(service)  # not delivered yet: the worker is not running
    assert await service.attach_diagnosis(token, finding())
    assert await updates(service) == []
    await service.start()
    await eventually(lambda: delivered(service, reference, "webhook"))
    ((headers, body),) = receiver.requests
    assert headers["X-Passback-Event"] == "case.opened"
    assert json.loads(body)["diagnosis"]["checks"][0]["status"] == "found"


async def test_a_new_finding_is_told_and_one_about_other_errors_is_not(
    make_service: ServiceFactory, receiver: Receiver
) -> None:
    service = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    token, reference = await escalated(service)
    await eventually(lambda: delivered(service, reference, "webhook"))
    assert await service.attach_diagnosis(token, finding())
    assert await service.attach_diagnosis(token, finding("Nothing removed any more."))
    await eventually(lambda: len(follow_ups(receiver)) == 2 or None)
    summaries = [
        json.loads(body)["diagnosis"]["checks"][0]["summary"] for _, body in follow_ups(receiver)
    ]
    assert summaries == [finding().checks[0].summary, "Nothing removed any more."]  # in order
    others = replace(finding(), checks=finding().checks[1:])  # only the Kimono check
    assert not await service.attach_diagnosis(token, others)
    assert not await service.attach_diagnosis("no-such-token-000", finding())
    assert len(await updates(service)) == 2


async def test_a_checked_card_that_joins_the_open_case_brings_its_finding(
    make_service: ServiceFactory, receiver: Receiver
) -> None:
    service = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    _, reference = await escalated(service)
    await eventually(lambda: delivered(service, reference, "webhook"))
    other = await service.prepare(put_oneroster_draft())  # the same problem, another card
    assert await service.attach_diagnosis(other, finding())  # checked first: kept with its draft
    outcome = await service.escalate(other, person(2))
    assert outcome.joined and outcome.case.reference == reference
    joined = outcome.case.diagnosis
    assert joined is not None and joined.checks[0].entry_id == "put-oneroster"
    (_, body) = (await eventually(lambda: follow_ups(receiver)))[0]
    assert json.loads(body)["diagnosis"]["checks"][0]["entry_id"] == "put-oneroster"
    again = await service.escalate(other, person(3))  # a third reporter: nothing new to tell
    assert again.joined and len(await updates(service)) == 1


async def test_a_follow_up_counts_in_the_backlog_until_it_is_sent(
    make_service: ServiceFactory, receiver: Receiver
) -> None:
    service = await make_service(
        start=False, webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET
    )
    token, _ = await escalated(service)
    assert await service.worker.run_once() == 1  # the case itself
    assert await service.backlog() == 0
    assert await service.attach_diagnosis(token, finding())
    assert await service.backlog() == 1
    assert await service.worker.run_once() == 1  # the follow-up
    assert await service.backlog() == 0 and len(follow_ups(receiver)) == 1
