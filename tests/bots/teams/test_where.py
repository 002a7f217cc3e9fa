"""A Teams case's "Where": the team and channel by name (looked up from the Bot Connector when
the activity lacks them), the group chat's name, or "a 1:1 chat"; the ids kept for support."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bots.cards.support_slack import render_support_message
from bots.cards.support_teams import render_case_card
from bots.cards.ticket import build_ticket, render_ticket_text
from bots.escalation.model import Case, Origin
from bots.escalation.payload import case_payload
from bots.teams import names
from catalog import Catalog
from tests.bots.teams.cards import KIMONO, card_reply, escalate_actions, only_card, submit, texts
from tests.bots.teams.conftest import Teams, start_teams
from tests.bots.teams.standin import ConnectorStandIn, Team
from tests.polling import eventually

TENANT = "5a0e7b1c-3f2d-4e8a-9b6c-1d2e3f4a5b6c"
TEAM_ID = "19:8d1e6b2a4c7f4e3b9a5d0c1f2e3d4c5b@thread.tacv2"
CHANNEL_ID = "19:c3a8e4f6d4c0438d9f1b2ba6d5b5a3f1@thread.tacv2"
MATH = Team(
    name="Lincoln High Math",
    aad_group_id="02bd9fd6-8f93-4758-87c3-1fb73740a315",
    channels=((TEAM_ID, None), (CHANNEL_ID, "Grades"), ("19:other@thread.tacv2", "Staff")),
)


async def escalate(teams: Teams, name: str, **changes: Any) -> Case:
    before = len(teams.connector.calls)
    await teams.send(name, **changes)
    call = teams.connector.calls[before]
    (button,) = escalate_actions(only_card(call))
    click = submit(teams, button["data"]["token"], call.created_id, f"{changes.get('id', 'x')}:c")
    for key in ("conversation", "channelData"):
        if key in changes:
            click[key] = changes[key]
    await teams.post(click)
    assert "Escalated as" in texts(only_card(teams.connector.of_kind("update")[-1]))
    return (await teams.escalation.list_cases())[0]


def every_where(case: Case, catalog: Catalog) -> dict[str, str]:
    """The Where as each destination shows it."""
    ticket = build_ticket(case, catalog)
    slack = render_support_message(case, catalog)
    card = render_case_card(ticket)
    return {
        "ticket": ticket.place,
        "slack": str(slack["blocks"][1]["text"]["text"]),
        "teams card": texts(card),
        "text": render_ticket_text(ticket),
        "webhook": case_payload(case, ticket)["origin"]["place"],
    }


async def test_a_channel_case_names_the_team_and_the_channel(
    teams: Teams, catalog: Catalog
) -> None:
    teams.connector.teams[TEAM_ID] = MATH
    case = await escalate(teams, "channel_mention")

    assert case.origin.workspace_name == "Lincoln High Math"
    assert case.origin.channel_name == "Grades"
    for where, shown in every_where(case, catalog).items():
        assert "Lincoln High Math › Grades" in shown, where
        if where != "text":
            assert TENANT not in shown and CHANNEL_ID not in shown, where
    ticket = build_ticket(case, catalog)
    assert ticket.subject.endswith("— Lincoln High Math › Grades")
    # The ids stay in the case, the webhook's JSON and the plain-text case, for support.
    assert (case.origin.workspace, case.origin.team_id, case.origin.channel) == (
        TENANT,
        TEAM_ID,
        CHANNEL_ID,
    )
    origin = case_payload(case, ticket)["origin"]
    assert origin["workspace"] == TENANT and origin["team_id"] == TEAM_ID
    assert origin["channel"] == CHANNEL_ID and origin["scope"] == "channel"
    assert origin["conversation"] == f"{CHANNEL_ID};messageid=1712674843587"
    text = render_ticket_text(ticket)
    assert f"Where: Microsoft Teams, Lincoln High Math › Grades\nTeams ids: tenant {TENANT}" in text
    assert f"team {TEAM_ID}, channel {CHANNEL_ID}, conversation {CHANNEL_ID};messageid=" in text
    assert sorted(teams.connector.lookups) == [f"channels {TEAM_ID}", f"details {TEAM_ID}"]


async def test_names_are_kept_a_while_and_only_looked_up_for_a_case(teams: Teams) -> None:
    teams.connector.teams[TEAM_ID] = MATH
    await card_reply(teams, "channel_mention")
    assert teams.connector.lookups == []  # an answer alone asks Teams nothing
    await escalate(teams, "channel_mention", id="1712674843600")
    await escalate(teams, "channel_mention", id="1712674843700", text=KIMONO)
    assert len(teams.connector.lookups) == 2  # one look-up for the team, then remembered


async def test_names_on_the_activity_need_no_look_up(teams: Teams, catalog: Catalog) -> None:
    data = teams.activity("channel_mention")["channelData"]
    data["team"]["name"] = "Science"
    data["channel"]["name"] = "Lab reports"
    case = await escalate(teams, "channel_mention", channelData=data)
    assert build_ticket(case, catalog).place == "Microsoft Teams, Science › Lab reports"
    assert teams.connector.lookups == []


async def test_the_general_channel_is_called_general(teams: Teams, catalog: Catalog) -> None:
    teams.connector.teams[TEAM_ID] = MATH
    conversation = {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": TENANT,
        "id": f"{TEAM_ID};messageid=1712674843587",
    }
    data = teams.activity("channel_mention")["channelData"]
    data["channel"] = {"id": TEAM_ID}
    data["teamsChannelId"] = TEAM_ID
    case = await escalate(teams, "channel_mention", conversation=conversation, channelData=data)
    assert build_ticket(case, catalog).place == "Microsoft Teams, Lincoln High Math › General"


async def test_a_failed_look_up_still_opens_the_case(teams: Teams, catalog: Catalog) -> None:
    # The stand-in knows no team: 403 BotNotInConversationRoster, as Teams answers.
    case = await escalate(teams, "channel_mention")
    assert case.origin.workspace_name == "" and case.origin.team_id == TEAM_ID
    place = build_ticket(case, catalog).place
    assert place == f"Microsoft Teams, a team channel ({CHANNEL_ID})"
    assert TENANT not in place


async def test_a_slow_look_up_still_opens_the_case(
    teams: Teams, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names, "TIMEOUT_SECONDS", 0.2)
    teams.connector.teams[TEAM_ID] = MATH
    teams.connector.hold_lookups = asyncio.Event()  # Teams does not answer (until the end)
    case = await escalate(teams, "channel_mention")
    assert build_ticket(case, catalog).place == f"Microsoft Teams, a team channel ({CHANNEL_ID})"


async def test_chats_say_what_kind_of_chat(teams: Teams, catalog: Catalog) -> None:
    personal = await escalate(teams, "personal_message")
    assert build_ticket(personal, catalog).place == "Microsoft Teams, a 1:1 chat with the bot"
    assert "Teams ids: tenant " in render_ticket_text(build_ticket(personal, catalog))

    group = teams.activity("group_chat_message")["conversation"]
    group_case = await escalate(
        teams,
        "group_chat_message",
        id="f:group",
        text=KIMONO,
        entities=teams.activity("channel_mention")["entities"],  # the bot's @mention
        conversation={**group, "name": "Grade help"},
    )
    assert build_ticket(group_case, catalog).place == "Microsoft Teams, the group chat “Grade help”"
    assert teams.connector.lookups == []


async def test_names_are_looked_up_again_once_they_are_old() -> None:
    asked: list[str] = []
    now = [0.0]

    async def fetch(_: Any, team_id: str) -> names.TeamDirectory:
        asked.append(team_id)
        if len(asked) == 2:
            raise OSError("Teams is down")
        return names.TeamDirectory("Math", {CHANNEL_ID: "Grades"})

    directory = names.TeamNames(fetch, clock=lambda: now[0])
    origin = Origin(platform="teams", channel=CHANNEL_ID, team_id=TEAM_ID, scope="channel")
    named = await directory.name(None, origin)
    assert (named.workspace_name, named.channel_name) == ("Math", "Grades")
    await directory.name(None, origin)
    assert asked == [TEAM_ID]
    now[0] += names.TTL_SECONDS + 1
    failed = await directory.name(None, origin)
    assert failed == origin and len(asked) == 2  # no names, and the failure is kept briefly
    await directory.name(None, origin)
    assert len(asked) == 2
    now[0] += names.FAILED_TTL_SECONDS + 1
    assert (await directory.name(None, origin)).workspace_name == "Math"


async def test_the_webhook_support_receives_says_where_by_name_and_keeps_the_ids(
    tmp_path: Path, catalog: Catalog, connector: ConnectorStandIn
) -> None:
    got: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        got.append(await request.json())
        return web.json_response({"id": "INC-1"})

    app = web.Application()
    app.router.add_post("/hook", hook)
    receiver = TestServer(app, host="127.0.0.1")
    await receiver.start_server()
    env = {
        "PASSBACK_DATA_DIR": str(tmp_path),
        "PASSBACK_ESCALATION_WEBHOOK_URL": str(receiver.make_url("/hook")),
        "PASSBACK_ESCALATION_WEBHOOK_SECRET": "a-webhook-secret-of-some-length",
    }
    client = await start_teams(env, catalog)
    try:
        connector.teams[TEAM_ID] = MATH
        await escalate(Teams(client, connector), "channel_mention")
        (payload,) = await eventually(lambda: got)
    finally:
        await client.close()
        await receiver.close()
    origin = payload["origin"]
    assert origin["place"] == "Microsoft Teams, Lincoln High Math › Grades"
    assert (origin["workspace"], origin["team_id"], origin["channel"]) == (
        TENANT,
        TEAM_ID,
        CHANNEL_ID,
    )
    assert payload["subject"].endswith("— Lincoln High Math › Grades")
    assert "Where: Microsoft Teams, Lincoln High Math › Grades\n" in payload["body"]
    assert f"Teams ids: tenant {TENANT}, team {TEAM_ID}" in payload["body"]
