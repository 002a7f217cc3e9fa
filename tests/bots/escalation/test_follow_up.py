"""Status changes reach the reporters where they reported, from any instance or the CLI."""

from __future__ import annotations

import asyncio
import json

import pytest

from bots.escalation.model import Case, CaseNotFound, Origin, Reporter, Status, StatusConflict
from bots.escalation.service import EscalationService
from tests.bots.escalation.conftest import (
    SLACK_TOKEN,
    SUPPORT_CHANNEL,
    ServiceFactory,
    SlackApi,
    person,
    put_oneroster_draft,
    teams_origin,
)
from tests.polling import eventually


class Inbox:
    """A notifier that keeps what it was asked to say; can fail its first calls."""

    def __init__(self, fail_first: int = 0):
        self.got: list[tuple[str, str, Origin, str]] = []
        self.fail_first = fail_first

    async def __call__(self, case: Case, reporter: Reporter, origin: Origin, text: str) -> None:
        if self.fail_first:
            self.fail_first -= 1
            raise ConnectionError("platform unavailable")
        self.got.append((case.reference, reporter.user_id, origin, text))


async def two_reporters(service: EscalationService) -> Case:
    await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    teams = await service.prepare(put_oneroster_draft(origin=teams_origin()))
    outcome = await service.escalate(teams, person(2, "teams"))
    assert outcome.joined
    return outcome.case


async def test_each_status_change_reaches_every_reporter_on_their_platform(
    make_service: ServiceFactory,
):
    service = await make_service()
    slack, teams = Inbox(), Inbox()
    service.add_notifier("slack", slack)
    service.add_notifier("teams", teams)
    case = await two_reporters(service)
    acked = await service.set_status(case.reference, Status.ACKNOWLEDGED, person(9))
    assert acked.status == Status.ACKNOWLEDGED and acked.status_by == "Teacher 9"
    await eventually(lambda: slack.got and teams.got)
    reference, user, origin, text = slack.got[0]
    assert (reference, user, origin.channel) == (case.reference, "U0001", "C0GRADES1")
    assert origin.thread == "1700000000.000100"  # the thread it was reported in
    assert text == (
        f"{case.reference} (PUT for OneRoster Error) was acknowledged by Teacher 9: "
        "support is looking into it."
    )
    assert teams.got[0][1] == "U0002" and teams.got[0][2].service_url.startswith("https://")
    await service.set_status(case.reference, Status.RESOLVED, person(9))
    await eventually(lambda: len(slack.got) == 2 and len(teams.got) == 2)
    assert "was resolved by Teacher 9" in slack.got[1][3]


async def test_the_same_status_twice_notifies_once(make_service: ServiceFactory):
    service = await make_service()
    inbox = Inbox()
    service.add_notifier("slack", inbox)
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    for _ in range(3):
        await service.set_status(outcome.case.reference, Status.RESOLVED)
    await eventually(lambda: inbox.got)
    await asyncio.sleep(0.3)
    assert len(inbox.got) == 1 and "was resolved by support" in inbox.got[0][3]


async def test_status_never_goes_back_and_unknown_cases_say_so(make_service: ServiceFactory):
    service = await make_service(start=False)
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    await service.set_status(outcome.case.reference, Status.RESOLVED)
    with pytest.raises(StatusConflict) as caught:
        await service.set_status(outcome.case.reference, Status.ACKNOWLEDGED)
    assert "already resolved" in caught.value.user_message
    for unknown in ("PB-999999", "nonsense", ""):
        with pytest.raises(CaseNotFound):
            await service.set_status(unknown, Status.RESOLVED)
    assert await service.get("pb-" + outcome.case.reference[3:]) is not None


async def test_a_failing_notifier_is_retried(make_service: ServiceFactory):
    service = await make_service()
    inbox = Inbox(fail_first=2)
    service.add_notifier("slack", inbox)
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    await service.set_status(outcome.case.reference, Status.ACKNOWLEDGED)
    await eventually(lambda: inbox.got)
    await asyncio.sleep(0.3)
    assert len(inbox.got) == 1


async def test_a_change_made_elsewhere_is_sent_by_the_running_instance(
    make_service: ServiceFactory,
):
    """`passback escalations resolve` runs without a worker or notifiers; the server sends."""
    server = await make_service()
    inbox = Inbox()
    server.add_notifier("slack", inbox)
    cli = await make_service(start=False)
    outcome = await cli.escalate(await cli.prepare(put_oneroster_draft()), person(1))
    await cli.set_status(outcome.case.reference, Status.RESOLVED, person(7))
    await eventually(lambda: inbox.got)
    assert inbox.got[0][1] == "U0001" and "resolved by Teacher 7" in inbox.got[0][3]


async def test_follow_ups_wait_for_their_platform(make_service: ServiceFactory):
    """A Teams reporter's follow-up waits until a Teams notifier is there, then goes out."""
    service = await make_service()
    slack = Inbox()
    service.add_notifier("slack", slack)
    case = await two_reporters(service)
    number = int(case.reference[3:])
    await service.set_status(case.reference, Status.RESOLVED)

    async def pending(count: int) -> bool:  # the database's state, not the notifier's call
        return await service.outbox.pending_notifications(number) == count

    await eventually(lambda: pending(1), what="the Slack follow-up marked sent")
    assert len(slack.got) == 1
    teams = Inbox()
    service.add_notifier("teams", teams)
    await eventually(lambda: pending(0), what="the Teams follow-up marked sent")
    assert len(teams.got) == 1 and len(slack.got) == 1


async def test_a_follow_up_never_waits_behind_another_reporters(make_service: ServiceFactory):
    """Order is per reporter: a Slack reporter's "acknowledged" and "resolved" go out while the
    Teams reporter who reported first has follow-ups this instance cannot send."""
    service = await make_service()
    slack = Inbox()
    service.add_notifier("slack", slack)
    teams = await service.prepare(put_oneroster_draft(origin=teams_origin()))
    case = (await service.escalate(teams, person(2, "teams"))).case
    assert (await service.escalate(await service.prepare(put_oneroster_draft()), person(1))).joined
    await service.set_status(case.reference, Status.ACKNOWLEDGED)
    await service.set_status(case.reference, Status.RESOLVED)
    await eventually(lambda: len(slack.got) == 2, what="both Slack follow-ups")
    assert ["acknowledged" in slack.got[0][3], "resolved" in slack.got[1][3]] == [True, True]


async def test_the_support_message_is_updated_after_a_status_change(
    make_service: ServiceFactory, slack_api: SlackApi
):
    service = await make_service(
        slack_channel=SUPPORT_CHANNEL, slack_bot_token=SLACK_TOKEN, slack_api_url=slack_api.url
    )
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))

    async def posted():
        case = await service.get(outcome.case.reference)
        delivery = case.delivery("slack") if case else None
        return delivery.external_id if delivery else ""

    external_id = await eventually(posted)
    await service.set_status(outcome.case.reference, Status.RESOLVED, person(9))
    updates = [payload for method, payload in slack_api.calls if method == "chat.update"]
    assert len(updates) == 1
    assert f"{updates[0]['channel']}:{updates[0]['ts']}" == external_id
    assert not any(block["type"] == "actions" for block in updates[0]["blocks"])
    assert "Resolved by Teacher 9" in json.dumps(updates[0]["blocks"])
