"""Many instances (issue 7): two `passback serve` processes sharing one PostgreSQL database.

Both run with the same Slack signing secret and bot token, a Slack Web API and response_url
stand-in, a Bot Connector stand-in for Teams, and a support channel. A Slack event delivered to
one and its retry to the other gets one threaded reply; the same Escalate button clicked on both
at once, many times, by one person or two, opens one case with every person who clicked as a
reporter, posted once to the support channel. The same for Teams: an activity redelivered to
the other instance is answered once, and Escalate submitted on both makes one case.

The single-process versions of these live in tests/bots/slack, tests/bots/teams and
tests/bots/escalation; here the instances are separate processes that share only the database.
"""

from __future__ import annotations

import asyncio
import copy
import json
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import aiohttp
import asyncpg
import pytest

from bots.cards.slack import ESCALATE_ACTION_ID
from bots.cards.support_slack import ACK_ACTION_ID
from bots.escalation.settings import EscalationSettings
from tests.bots.slack.harness import BOT_TOKEN, SECRET, SUPPORT_CHANNEL, fixture
from tests.bots.slack.messages import buttons, support_posts, texts
from tests.bots.slack.standin import BOT_USER_ID, SlackStandIn
from tests.bots.teams.cards import escalate_actions, only_card
from tests.bots.teams.cards import texts as card_texts
from tests.bots.teams.conftest import activity, assert_valid_card
from tests.bots.teams.standin import ConnectorStandIn
from tests.operations.instances import Instance, running
from tests.polling import eventually
from tests.postgres import PostgresServer
from tests.processes import clean_environment

pytestmark = pytest.mark.postgres

KIMONO = "A Kimono Job has timed out and been cancelled."
MENTION_TS = "1700000100.000200"  # tests/fixtures/slack/app_mention.json
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
FORM = "application/x-www-form-urlencoded"
ANA = ("U0TEACHER1", "ana.lopez")
BEN = ("U0TEACHER2", "ben.okafor")
MEGAN = activity("channel_mention", "http://127.0.0.1/")["from"]
ALEX = activity("group_chat_message", "http://127.0.0.1/")["from"]
CLICKS_PER_INSTANCE = 4
QUIET_SECONDS = 1.0  # nothing more may arrive for this long before "exactly one" is believed
# Each instance's outbox worker looks for due deliveries this often: the support channel must
# stay quiet for longer than that, so both workers have looked again after the post.
WORKER_POLL_SECONDS = EscalationSettings(database_url="").poll_seconds
SLACK_DUPLICATE = "slack: event {} was delivered again"
TEAMS_DUPLICATE = "teams: ignored a redelivered message"

Pair = tuple[Instance, Instance]
T = TypeVar("T")


@pytest.fixture
async def database_url(postgres_server: PostgresServer) -> str:
    return await postgres_server.new_database()  # empty: both instances start on it


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    stand_in = SlackStandIn()
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorStandIn]:
    stand_in = ConnectorStandIn()
    await stand_in.start()
    yield stand_in
    await stand_in.close()
    assert stand_in.unexpected == []


@pytest.fixture
async def pair(database_url: str, slack: SlackStandIn, tmp_path: Path) -> AsyncIterator[Pair]:
    """Instances A and B: same database, same Slack app, same support channel."""
    env = {
        "PASSBACK_DATABASE_URL": database_url,
        "PASSBACK_DATA_DIR": str(tmp_path / "data"),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "PASSBACK_SLACK_ESCALATION_CHANNEL": SUPPORT_CHANNEL,
    }
    async with running(("A", "B"), env, tmp_path) as (a, b):
        yield a, b
        for instance in (a, b):  # nothing secret or pasted reached either log
            log = instance.log()
            assert "Traceback" not in log
            for secret in (BOT_TOKEN, SECRET, "and been cancelled", "s82734"):
                assert secret not in log, f"{instance.name} logged {secret!r}"


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


def only(items: Sequence[T], what: str) -> T:
    """The one item; else a failure saying how many there were."""
    assert len(items) == 1, f"expected one {what}, found {len(items)}: {list(items)!r}"[:600]
    return items[0]


async def query(database_url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetch(sql)
    finally:
        await conn.close()


async def escalations_list(database_url: str) -> list[str]:
    """`passback escalations list` run against the instances' database, as support would."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bots",
        "escalations",
        "list",
        env=clean_environment({"PASSBACK_DATABASE_URL": database_url}),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return out.decode().splitlines()


async def one_delivered_support_post(slack: SlackStandIn, database_url: str) -> dict[str, Any]:
    """The support channel's post, once the case's delivery is recorded and all is quiet."""
    await eventually(lambda: support_posts(slack), within=30)

    async def delivered() -> bool:
        rows = await query(database_url, "SELECT state FROM deliveries")
        return [r["state"] for r in rows] == ["delivered"]

    await eventually(delivered)
    await slack.settle(WORKER_POLL_SECONDS + 0.5)  # both workers had a chance to post it again
    return only(support_posts(slack), "post in the support channel")


# Slack --------------------------------------------------------------------------------------


def mention(event_id: str) -> bytes:
    payload = fixture("app_mention.json")
    payload["event"]["text"] = f"<@{BOT_USER_ID}> {KIMONO}"
    payload["event_id"] = event_id
    return json.dumps(payload).encode()


def escalate_click(
    slack: SlackStandIn, token: str, card_ts: str, user: tuple[str, str], number: int
) -> bytes:
    """Click `number` on the Escalate button of the bot's reply in the channel thread; Slack
    answers it at the response_url named `click-{number}`. Every click has its own action_ts
    (as two real clicks do), so none is mistaken for a redelivery of another."""
    payload = copy.deepcopy(fixture("block_actions.json"))
    payload["user"].update(id=user[0], username=user[1], name=user[1])
    payload["response_url"] = slack.response_url(f"click-{number}")
    payload["container"].update(is_ephemeral=False, message_ts=card_ts)
    payload["message"] = {"type": "message", "ts": card_ts}
    payload["actions"][0].update(value=token, action_ts=f"1700000400.{number:06d}")
    return urlencode({"payload": json.dumps(payload)}).encode()


async def answered_once(pair: Pair, slack: SlackStandIn, session: aiohttp.ClientSession,
                        event_id: str, *, together: bool) -> dict[str, Any]:  # fmt: skip
    """Deliver a mention to A and its retry to B (one after the other, or at the same moment);
    the one reply, after making sure no second one comes."""
    a, b = pair
    if together:
        statuses = list(
            await asyncio.gather(
                a.slack(session, mention(event_id), "application/json"),
                b.slack(session, mention(event_id), "application/json", RETRY),
            )
        )
    else:
        # A acks at once and answers in the background: the retry goes to B once A's reply
        # is out, as Slack's own retry comes after a missed ack, not during the answer.
        first = await a.slack(session, mention(event_id), "application/json")
        await eventually(lambda: slack.sent("chat.postMessage"), within=30)
        statuses = [first, await b.slack(session, mention(event_id), "application/json", RETRY)]
    assert statuses == [200, 200]

    await eventually(lambda: slack.sent("chat.postMessage"), within=30)
    await slack.settle(QUIET_SECONDS)  # long enough for a second reply, had there been one
    reply = only(slack.sent("chat.postMessage"), "reply to the event")
    assert reply["channel"] == "C0HELPDESK" and reply["thread_ts"] == MENTION_TS
    assert "Kimono Job Error" in reply["text"]

    # Exactly one instance found the event taken (B, when the retry came after the reply). An
    # instance acks before it looks (bots/slack/web.py hands the request to bolt afterwards), so
    # on a busy machine the refusal can be logged after the reply and the quiet second: wait.
    def refused_by() -> list[str]:
        return [i.name for i in pair if SLACK_DUPLICATE.format(event_id) in i.log()]

    refused = await eventually(refused_by, what="an instance to find the event answered")
    assert len(refused) == 1 and (together or refused == ["B"]), refused
    return reply


@pytest.mark.parametrize("together", [False, True], ids=["retry-after", "retry-meanwhile"])
async def test_a_slack_event_and_its_retry_on_the_other_instance_get_one_reply(
    pair: Pair,
    slack: SlackStandIn,
    session: aiohttp.ClientSession,
    database_url: str,
    together: bool,
) -> None:
    # Both started at once on an empty database: one applied the schema, the other waited
    # for it and found it done.
    assert [i.name for i in pair if "applied migrations" in i.log()] in (["A"], ["B"])
    reply = await answered_once(pair, slack, session, "Ev0MANY0001", together=together)
    assert ESCALATE_ACTION_ID in buttons(reply)
    # One answer was worked out: one Escalate button's draft, and no case yet.
    assert len(await query(database_url, "SELECT token FROM drafts")) == 1
    assert await query(database_url, "SELECT number FROM cases") == []


@pytest.mark.parametrize("people", [(ANA,), (ANA, BEN)], ids=["one-person", "two-people"])
async def test_escalate_clicked_on_both_instances_at_once_opens_one_case(
    pair: Pair,
    slack: SlackStandIn,
    session: aiohttp.ClientSession,
    database_url: str,
    people: tuple[tuple[str, str], ...],
) -> None:
    reply = await answered_once(pair, slack, session, "Ev0MANY0002", together=False)
    token = buttons(reply)[ESCALATE_ACTION_ID]
    card_ts = "1700000000.000001"  # the stand-in's ts for the reply, the first message it took
    clicks = [  # each person clicks on both instances, all at once
        (instance, people[n % len(people)]) for n in range(CLICKS_PER_INSTANCE) for instance in pair
    ]
    statuses = await asyncio.gather(
        *(
            instance.slack(session, escalate_click(slack, token, card_ts, user, number), FORM)
            for number, (instance, user) in enumerate(clicks)
        )
    )
    assert statuses == [200] * len(clicks)

    names = [f"click-{number}" for number in range(len(clicks))]
    await eventually(lambda: all(len(slack.responded(n)) >= 2 for n in names), within=30)
    sentences = []
    for name in names:  # each click: the card in place, then a sentence for whoever clicked
        card, sentence = slack.responded(name)
        assert card["replace_original"] is True and sentence["replace_original"] is False
        sentences.append(sentence["text"])
    opened = only([s for s in sentences if s.startswith("Escalated as PB-")], "case opened")
    reference = opened.split()[2].rstrip(".")
    others = [s for s in sentences if s is not opened]
    assert all(s.startswith(f"Already escalated as {reference} by ") for s in others), others
    assert sum("You've been added" in s for s in others) == len(people) - 1
    for name in names:
        card = slack.responded(name)[0]
        # "Escalated as", or "Already escalated as" on the cards of the clicks that joined it
        assert f"scalated as {reference} ·" in texts(card)
        assert ESCALATE_ACTION_ID not in buttons(card)

    post = await one_delivered_support_post(slack, database_url)
    assert buttons(post)[ACK_ACTION_ID] == reference
    line = only(await escalations_list(database_url), "case in `passback escalations list`")
    assert line.startswith(f"{reference} ") and "Kimono Job Error" in line
    count = len(people)
    assert f" {count} reporter{'s' if count > 1 else ''} " in line
    assert line.endswith("slack delivered")
    reporters = await query(database_url, "SELECT user_id, platform FROM reports ORDER BY id")
    assert sorted(r["user_id"] for r in reporters) == sorted(user for user, _ in people)
    assert {r["platform"] for r in reporters} == {"slack"}


# Teams --------------------------------------------------------------------------------------


def submit(connector: ConnectorStandIn, token: str, card_id: str, click_id: str,
           who: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """An Action.Submit click on the Escalate button of the bot's card, as Teams sends it."""
    value = {"action": "passback.escalate", "token": token}
    return activity(
        "submit_escalate",
        connector.service_url,
        id=click_id,
        replyToId=card_id,
        value=value,
        **{"from": who},
    )


async def test_teams_redelivered_to_the_other_instance_is_answered_once_and_escalated_once(
    pair: Pair,
    connector: ConnectorStandIn,
    slack: SlackStandIn,
    session: aiohttp.ClientSession,
    database_url: str,
) -> None:
    a, b = pair
    asked = activity("channel_mention", connector.service_url)
    assert list(await asyncio.gather(a.teams(session, asked), b.teams(session, asked))) == [
        201,
        201,
    ]
    reply = only(connector.calls, "answer")  # a Teams turn is answered before its request is
    assert reply.kind == "reply"
    assert [TEAMS_DUPLICATE in i.log() for i in pair].count(True) == 1
    card = only_card(reply)
    assert_valid_card(card)
    (button,) = escalate_actions(card)
    token, card_id = button["data"]["token"], reply.created_id

    clicks = [
        (instance, submit(connector, token, card_id, f"17126749{n:02d}{instance.name}", who))
        for n, who in enumerate([MEGAN, ALEX] * (CLICKS_PER_INSTANCE // 2))
        for instance in pair
    ]
    twice = submit(connector, token, card_id, "1712674999999", MEGAN)  # redelivered to both
    clicks += [(a, twice), (b, twice)]
    statuses = await asyncio.gather(*(i.teams(session, click) for i, click in clicks))
    assert set(statuses) == {201}

    updates = connector.of_kind("update")
    assert len(updates) == len(clicks) - 1  # every click but the redelivery shows the case
    case = only(await query(database_url, "SELECT number FROM cases"), "case")
    reference = f"PB-{case['number']}"
    for update in updates:
        assert update.activity_id == card_id
        updated = only_card(update)
        assert_valid_card(updated)
        assert f"scalated as {reference} ·" in card_texts(updated)  # or "Already e…"
        assert escalate_actions(updated) == []
    reporters = await query(database_url, "SELECT display_name, platform FROM reports")
    assert sorted(r["display_name"] for r in reporters) == ["Alex Wilber", "Megan Bowen"]
    assert {r["platform"] for r in reporters} == {"teams"}
    post = await one_delivered_support_post(slack, database_url)
    assert buttons(post)[ACK_ACTION_ID] == reference
    assert [c.kind for c in connector.calls].count("reply") == 1
