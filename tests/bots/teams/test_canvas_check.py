"""'Check in Canvas' from a Teams card end to end: the real server (`build_app`, as `passback
serve` builds it), the Bot Connector stand-in and the Canvas one."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bots.cards.teams_canvas import CHECK_ACTION, COURSE_ACTION, COURSE_INPUT
from catalog import Catalog
from tests.bots.cards.payload_checks import walk
from tests.bots.conftest import Canvas
from tests.bots.escalation.conftest import WEBHOOK_SECRET, Receiver
from tests.bots.teams.cards import only_card, texts
from tests.bots.teams.conftest import Teams, assert_valid_card, start_teams
from tests.bots.teams.standin import Call, ConnectorStandIn
from tests.canvas.standin.district import HOST_TOKEN
from tests.polling import eventually
from tests.processes import free_port

UNABLE = 'Unable to process score for s12345; missing "assignment_source_id" attribute'
KIMONO = "A Kimono Job has timed out and been cancelled."
LAB_4 = "/courses/101/assignments/2"
MEGAN = "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrrA8vM06X1-cHHle4zOE6U4ttcc"  # noqa: E501
CHANNEL_CONVERSATION = "19:c3a8e4f6d4c0438d9f1b2ba6d5b5a3f1@thread.tacv2;messageid=1712674843587"
TEAM = "19:8d1e6b2a4c7f4e3b9a5d0c1f2e3d4c5b@thread.tacv2"
PERSONAL = "a:1Fqu8gDNpaLQ0oSSnGxbxPfRF4iFCtjJTh1Wge2v5ZDAhNPzKeHhV2E1YaKkQ8LDBZcBbM2Ytl0FSBe3t0P2ZQxjhvWa6kjCXZsEKGBRVVrnlSrtpW6fVcZs3kodNYVS9"  # noqa: E501


async def serve(tmp_path: Path, catalog: Catalog, connector: ConnectorStandIn, **env: str) -> Any:
    client = await start_teams({"PASSBACK_DATA_DIR": str(tmp_path), **env}, catalog)
    return Teams(client, connector)


@pytest.fixture(autouse=True)
def every_card_valid(connector: ConnectorStandIn) -> Any:
    """Cards sent in the background come after the request that started them: check them all."""
    yield
    cards = [card for call in connector.calls for card in call.cards]
    for card in cards:
        assert_valid_card(card)


@pytest.fixture
async def checking(
    tmp_path: Path, catalog: Catalog, connector: ConnectorStandIn, canvas: Canvas
) -> AsyncIterator[Teams]:
    connector.add_member(MEGAN, "PTeacher@district.org", "Pat Teacher")
    teams = await serve(tmp_path, catalog, connector, **canvas.env())
    yield teams
    await teams.client.close()


def actions(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Every Action.Submit on the card whose data says `kind`."""
    return [
        node
        for node in walk(card)
        if node.get("type") == "Action.Submit"
        and isinstance(node.get("data"), dict)
        and node["data"].get("action") == kind
    ]


async def ask(teams: Teams, name: str, text: str) -> tuple[dict[str, Any], str]:
    """Ask; the answer card and the id Teams gave its message."""
    before = len(teams.connector.calls)
    await teams.send(name, text=text)
    (call,) = teams.connector.calls[before:]
    return only_card(call), call.created_id


def check_token(card: dict[str, Any]) -> str:
    (button,) = actions(card, CHECK_ACTION)
    assert button["title"] == "Check in Canvas"
    token: str = button["data"]["token"]
    return token


def click(
    teams: Teams, name: str, value: dict[str, Any], card_id: str, click_id: str, **changes: Any
) -> dict[str, Any]:
    """An Action.Submit click on the card `card_id`, as Teams sends it: a message with `value`."""
    body = teams.activity(name, id=click_id, replyToId=card_id, value=value, **changes)
    body.pop("text", None)
    body.pop("attachments", None)
    body["entities"] = [e for e in body.get("entities", []) if e.get("type") != "mention"]
    return body


def updates_of(connector: ConnectorStandIn, activity_id: str) -> list[Call]:
    return [c for c in connector.of_kind("update") if c.activity_id == activity_id]


def finished(connector: ConnectorStandIn, activity_id: str) -> list[Call]:
    got = updates_of(connector, activity_id)
    return got if len(got) >= 2 else []


async def test_without_canvas_the_card_has_no_check_button(teams: Teams) -> None:
    card, _ = await ask(teams, "personal_message", UNABLE)
    assert actions(card, CHECK_ACTION) == []
    assert "Check in Canvas" not in texts(card)


async def test_in_a_chat_the_card_names_the_culprit_in_place(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    card, card_id = await ask(checking, "personal_message", f"{UNABLE} {canvas.url}{LAB_4}")
    token = check_token(card)
    response = await checking.post(
        click(checking, "personal_message", {"action": CHECK_ACTION, "token": token}, card_id, "c1")
    )
    assert response.status in (200, 201)
    waiting, done = await eventually(lambda: finished(connector, card_id))
    assert "Checking Canvas…" in texts(only_card(waiting))
    assert actions(only_card(waiting), CHECK_ACTION) == []  # no second check from it
    shown = texts(only_card(done))
    assert "Checked in Canvas: 'Lab 4' has no due date." in shown
    assert f"{canvas.url}/courses/101/assignments/2/edit" in json.dumps(only_card(done))
    assert actions(only_card(done), CHECK_ACTION) == []
    (member,) = connector.of_kind("member")
    assert (member.conversation_id, member.activity_id) == (PERSONAL, MEGAN)
    assert connector.of_kind("create") == [] and connector.of_kind("send") == []

    async with (
        aiohttp.ClientSession() as session,
        session.get(str(checking.client.make_url("/metrics"))) as got,
    ):
        metrics = await got.text()
    assert (
        'passback_canvas_checks_total{entry="unable-to-process-score",outcome="found",'
        'platform="teams"} 1.0'
    ) in metrics
    assert 'passback_canvas_check_seconds_count{platform="teams"} 1.0' in metrics
    samples = [line for line in metrics.splitlines() if line.startswith("passback_canvas")]
    for private in ("pteacher", "district.org", "Chemistry", "Lab 4", "courses/101"):
        assert not any(private in line for line in samples)


async def test_an_execute_invoke_is_answered_at_once_and_the_card_updated(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    card, card_id = await ask(checking, "personal_message", f"{UNABLE} {canvas.url}{LAB_4}")
    invoke = checking.activity("invoke_escalate", replyToId=card_id)
    data = {"action": CHECK_ACTION, "token": check_token(card)}
    invoke["value"]["action"].update(data=data, verb=CHECK_ACTION, title="Check in Canvas")
    response = await checking.post(invoke)
    body = await response.json()  # the invoke's answer, before Canvas was asked anything
    assert body == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Checking Canvas…",
    }
    _, done = await eventually(lambda: finished(connector, card_id))
    assert "Checked in Canvas: 'Lab 4' has no due date." in texts(only_card(done))


async def test_in_a_channel_the_menu_and_finding_go_to_the_persons_chat(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    card, card_id = await ask(checking, "channel_mention", f"<at>Passback</at> {UNABLE}")
    token = check_token(card)
    value = {"action": CHECK_ACTION, "token": token}
    await checking.post(click(checking, "submit_escalate", value, card_id, "1712674880999"))
    menu_update = await eventually(lambda: connector.of_kind("update"))
    (create,) = connector.of_kind("create")
    assert create.body["isGroup"] is False
    assert create.body["members"] == [{"id": MEGAN}]
    tenant = "5a0e7b1c-3f2d-4e8a-9b6c-1d2e3f4a5b6c"
    assert create.body["channelData"] == {"tenant": {"id": tenant}}  # how Teams is told
    (note,) = connector.of_kind("send")
    private = note.conversation_id
    assert private.startswith("a:") and "Checking Canvas…" in texts(only_card(note))
    menu = only_card(menu_update[0])
    assert menu_update[0].conversation_id == private
    assert menu_update[0].activity_id == note.created_id
    (choices,) = [e for e in menu["body"] if e.get("type") == "Input.ChoiceSet"]
    assert choices["id"] == COURSE_INPUT
    assert {c["value"] for c in choices["choices"]} == {"101", "103", "105"}  # Pat's only
    assert "paste a link to the course" in texts(menu).lower()
    (pick,) = actions(menu, COURSE_ACTION)
    # Nothing reached the channel but the answer card itself.
    assert [c.kind for c in connector.calls if c.conversation_id == CHANNEL_CONVERSATION] == [
        "reply"
    ]
    (member,) = connector.of_kind("member")  # asked in the team, as the .NET and JS SDKs ask
    assert (member.conversation_id, member.activity_id) == (TEAM, MEGAN)

    picked = {**pick["data"], COURSE_INPUT: "101"}
    personal = {"id": private, "conversationType": "personal", "tenantId": tenant}
    await checking.post(
        click(checking, "personal_message", picked, note.created_id, "p1", conversation=personal)
    )
    _, checking_note, done = await eventually(
        lambda: (
            len(updates_of(connector, note.created_id)) >= 3
            and updates_of(connector, note.created_id)
        )
    )
    assert "Checking Canvas…" in texts(only_card(checking_note))
    assert "Checked in Canvas:" in texts(only_card(done)) and "Lab 4" in texts(only_card(done))
    assert len(connector.of_kind("create")) == 1  # the pick was answered in place


async def test_a_teacher_of_another_course_learns_nothing_about_it(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    connector.add_member(MEGAN, "oother@district.org", "Oscar Other")
    card, card_id = await ask(
        checking, "channel_mention", f"<at>Passback</at> {UNABLE} {canvas.url}{LAB_4}"
    )
    value = {"action": CHECK_ACTION, "token": check_token(card)}
    await checking.post(click(checking, "submit_escalate", value, card_id, "1712674880998"))
    (done,) = await eventually(lambda: connector.of_kind("update"))
    shown = texts(only_card(done))
    assert "only if you teach it" in shown
    for secret in ("Chemistry", "Lab 4", "Checked in Canvas"):
        assert secret not in shown
    fetched = {p for p, _ in canvas.district.requests}
    assert fetched <= {"/api/v1/accounts/self/users", "/api/v1/courses/101/enrollments"}


@pytest.mark.parametrize(
    "member",
    [
        {"email": None},
        {"role": "guest"},
        {"role": "anonymous"},
        {"tenant": "0f0e0d0c-0b0a-0908-0706-050403020100"},
        None,  # Teams does not know the person: 404 MemberNotFoundInConversation
    ],
)
async def test_no_email_a_guest_or_a_stranger_cannot_check(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas, member: dict[str, Any] | None
) -> None:
    connector.members.clear()
    if member is not None:
        email = member.pop("email", "pteacher@district.org")
        connector.add_member(MEGAN, email, "Guest Person", **member)
    card, card_id = await ask(checking, "personal_message", f"{UNABLE} {canvas.url}/courses/101")
    value = {"action": CHECK_ACTION, "token": check_token(card)}
    await checking.post(click(checking, "personal_message", value, card_id, "g1"))
    _, done = await eventually(lambda: finished(connector, card_id))
    shown = texts(only_card(done))
    assert "I can't check Canvas for you" in shown and "Canvas admin" in shown
    assert "What it means" in shown  # the describe-only card
    assert canvas.district.requests == []  # Canvas was not asked anything


async def test_canvas_down_says_so_and_still_offers_escalate(
    tmp_path: Path, catalog: Catalog, connector: ConnectorStandIn
) -> None:
    connector.add_member(MEGAN, "pteacher@district.org")
    url = f"http://127.0.0.1:{free_port()}"
    teams = await serve(
        tmp_path, catalog, connector, PASSBACK_CANVAS_URL=url, PASSBACK_CANVAS_TOKEN=HOST_TOKEN
    )
    try:
        card, card_id = await ask(
            teams, "personal_message", f"{KIMONO}\n{UNABLE} {url}/courses/101"
        )
        value = {"action": CHECK_ACTION, "token": check_token(card)}
        await teams.post(click(teams, "personal_message", value, card_id, "d1"))
        _, done = await eventually(lambda: finished(connector, card_id))
    finally:
        await teams.client.close()
    shown = only_card(done)
    assert "did not answer" in texts(shown)
    assert actions(shown, "passback.escalate")  # Kimono's own Escalate
    assert actions(shown, CHECK_ACTION)  # and a second try


async def test_a_throttled_canvas_says_try_again_in_a_minute(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    canvas.district.throttle_next = 1000
    card, card_id = await ask(checking, "personal_message", f"{UNABLE} {canvas.url}/courses/101")
    value = {"action": CHECK_ACTION, "token": check_token(card)}
    await checking.post(click(checking, "personal_message", value, card_id, "t1"))
    _, done = await eventually(lambda: finished(connector, card_id))
    assert "try again in a minute" in texts(only_card(done))


async def test_two_clicks_while_a_check_runs_start_one_check(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    canvas.district.delay = 0.2
    card, card_id = await ask(checking, "personal_message", f"{UNABLE} {canvas.url}{LAB_4}")
    value = {"action": CHECK_ACTION, "token": check_token(card)}
    await checking.post(click(checking, "personal_message", value, card_id, "x1"))
    await checking.post(click(checking, "personal_message", value, card_id, "x2"))
    await eventually(lambda: finished(connector, card_id))
    await connector.settle()
    assert len(updates_of(connector, card_id)) == 2  # "Checking Canvas…" and the finding
    assert len(connector.of_kind("member")) == 1


async def test_when_teams_refuses_the_private_chat_the_thread_hears_how_to_open_it(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    connector.refuse_private = True
    card, card_id = await ask(
        checking, "channel_mention", f"<at>Passback</at> {UNABLE} {canvas.url}{LAB_4}"
    )
    value = {"action": CHECK_ACTION, "token": check_token(card)}
    await checking.post(click(checking, "submit_escalate", value, card_id, "1712674880997"))
    (said,) = await eventually(lambda: connector.of_kind("send"))
    assert said.conversation_id == CHANNEL_CONVERSATION
    assert "Open a chat with me" in said.body["text"] and said.cards == []
    await connector.settle()
    assert connector.of_kind("update") == []
    assert canvas.district.requests == []


async def serve_reporting(
    tmp_path: Path, catalog: Catalog, connector: ConnectorStandIn, canvas: Canvas, hook: Receiver
) -> Teams:
    """Pat's server with Canvas and a signed webhook to support: close it before asserting on
    `hook`, so that nothing more can be delivered."""
    connector.add_member(MEGAN, "pteacher@district.org")
    return await serve(
        tmp_path,
        catalog,
        connector,
        PASSBACK_ESCALATION_WEBHOOK_URL=hook.url,
        PASSBACK_ESCALATION_WEBHOOK_SECRET=WEBHOOK_SECRET,
        **canvas.env(),
    )


async def test_escalating_after_a_check_gives_support_the_finding_once(
    tmp_path: Path,
    catalog: Catalog,
    connector: ConnectorStandIn,
    canvas: Canvas,
    receiver: Receiver,
) -> None:
    teams = await serve_reporting(tmp_path, catalog, connector, canvas, receiver)
    try:
        paste = f"<at>Passback</at> {KIMONO}\n{UNABLE} {canvas.url}{LAB_4}"
        card, card_id = await ask(teams, "channel_mention", paste)
        value = {"action": CHECK_ACTION, "token": check_token(card)}
        await teams.post(click(teams, "submit_escalate", value, card_id, "1712674880996"))
        (done,) = await eventually(lambda: connector.of_kind("update"))
        finding = only_card(done)
        assert "Checked in Canvas: 'Lab 4' has no due date." in texts(finding)
        # Two errors: Kimono's own Escalate, on the private card with the finding.
        (escalate,) = actions(finding, "passback.escalate")
        personal = {"id": done.conversation_id, "conversationType": "personal"}
        for n in (1, 2):
            await teams.post(
                click(
                    teams,
                    "personal_message",
                    escalate["data"],
                    done.activity_id,
                    f"e{n}",
                    conversation=personal,
                )
            )
        await eventually(lambda: receiver.requests)
        await connector.settle()
    finally:
        await teams.client.close()
    assert len(receiver.requests) == 1  # delivered once, for two clicks
    (ticket,) = receiver.tickets.values()
    diagnosis = json.loads(ticket)["diagnosis"]
    shown = json.dumps(diagnosis, ensure_ascii=False)
    assert "unable-to-process-score" in shown and "found" in shown and "Lab 4" in shown
    assert f"{canvas.url}{LAB_4}/edit" in shown
    for student in ("Jordan", "Rivera", "Alex Kim"):
        assert student not in json.dumps(json.loads(ticket), ensure_ascii=False)


def test_the_teams_flow_says_checking_in_the_same_words() -> None:
    from bots.canvas_chat import CHECKING
    from bots.teams import canvas as teams_canvas

    assert teams_canvas.CHECKING == CHECKING  # kept apart so Teams loads no Canvas client


EXPORT_PUT = (  # a check Canvas can run, on an error that calls for support
    "ASSIGNMENT_SCORES_EXPORT - 624d3aa4-25b0-4c50-98a4-ca8f777a7410 - PUT for ONEROSTER: "
    'Result[result/results] for "s82734" failed with HTTP Status: 401 with: '
    '[{"codeMajor":"FAILURE","severity":"ERROR","codeMinor":"UNAUTHORIZED",'
    '"description": "User not authorized."}]'
)


async def test_a_check_after_escalating_reaches_the_open_case_once(
    tmp_path: Path,
    catalog: Catalog,
    connector: ConnectorStandIn,
    canvas: Canvas,
    receiver: Receiver,
) -> None:
    teams = await serve_reporting(tmp_path, catalog, connector, canvas, receiver)
    try:
        card, card_id = await ask(
            teams, "personal_message", f"{EXPORT_PUT} {canvas.url}/courses/101"
        )
        (escalate,) = actions(card, "passback.escalate")
        await teams.post(click(teams, "personal_message", escalate["data"], card_id, "e1"))
        (escalated,) = await eventually(lambda: updates_of(connector, card_id))
        assert "Escalated as" in texts(only_card(escalated))
        check = check_token(only_card(escalated))  # the escalated card can still be checked
        await eventually(lambda: receiver.requests, what="the case at the webhook")

        value = {"action": CHECK_ACTION, "token": check}
        await teams.post(click(teams, "personal_message", value, card_id, "c2"))
        await eventually(lambda: len(updates_of(connector, card_id)) >= 3)
        await eventually(lambda: len(receiver.requests) >= 2, what="the later finding")
        await connector.settle()
    finally:
        await teams.client.close()
    assert len(receiver.requests) == 2  # the case, then the finding: each once
    (opened, later) = receiver.requests
    assert opened[0]["X-Passback-Event"] == "case.opened"
    assert later[0]["X-Passback-Event"] == "case.diagnosis"
    assert "assignment-scores-export-put-oneroster" in later[1].decode()


async def test_a_member_look_up_that_hangs_is_bounded_and_says_why(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bots.teams import identity

    monkeypatch.setattr(identity, "MEMBER_SECONDS", 0.2)
    connector.hold_members = asyncio.Event()  # Teams never answers GET .../members/{id}
    card, card_id = await ask(checking, "personal_message", f"{UNABLE} {canvas.url}{LAB_4}")
    value = {"action": CHECK_ACTION, "token": check_token(card)}
    await checking.post(click(checking, "personal_message", value, card_id, "h1"))
    _, done = await eventually(lambda: finished(connector, card_id))
    assert "I can't check Canvas for you" in texts(only_card(done))
    assert canvas.district.requests == []


async def test_in_a_group_chat_the_finding_goes_to_the_persons_chat(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    alex = (
        "29:1b7Kx0cJ5dJzVq3wP9mNHnQ2yGfR8aTsL4uE6iO1pWvZ3xC9kM2nB5vD7fH0jK8lQ4wE1rT6yU3iO9pA2sD5fG8"
    )
    connector.add_member(alex, "pteacher@district.org", "Alex Wilber")
    mention = {
        "type": "mention",
        "text": "<at>Passback</at>",
        "mentioned": {"id": "28:3f5b2c1d-8e7a-4b6c-9d0e-1f2a3b4c5d6e", "name": "Passback"},
    }
    before = len(connector.calls)
    await checking.send(
        "group_chat_message",
        text=f"<at>Passback</at> {UNABLE} {canvas.url}{LAB_4}",
        entities=[mention],
    )
    (asked,) = connector.calls[before:]
    card, card_id = only_card(asked), asked.created_id
    group = checking.activity("group_chat_message")["conversation"]["id"]
    value = {"action": CHECK_ACTION, "token": check_token(card)}
    await checking.post(click(checking, "group_chat_message", value, card_id, "1712676011999"))
    (done,) = await eventually(lambda: connector.of_kind("update"))
    assert done.conversation_id.startswith("a:1private-")
    assert "Checked in Canvas: 'Lab 4' has no due date." in texts(only_card(done))
    assert [c.kind for c in connector.calls if c.conversation_id == group] == ["reply", "member"]
    (member,) = connector.of_kind("member")
    assert member.activity_id == alex


async def test_only_whoever_pasted_sees_its_student_on_a_private_check(
    checking: Teams, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    colleague = {"id": "29:1ColleagueOnTheSameTeam", "name": "Alex Wilber", "aadObjectId": "a1ex"}
    connector.add_member(colleague["id"], "PTeacher@district.org", "Alex Wilber")  # co-teacher
    card, card_id = await ask(
        checking, "channel_mention", f"<at>Passback</at> {UNABLE} {canvas.url}{LAB_4}"
    )
    assert "s12345" not in texts(card)  # in the channel: counted, not shown
    value = {"action": CHECK_ACTION, "token": check_token(card)}

    await checking.post(
        click(checking, "submit_escalate", value, card_id, "1712674880901", **{"from": colleague})
    )
    (theirs,) = await eventually(lambda: connector.of_kind("update"))
    assert "Lab 4" in texts(only_card(theirs)) and "s12345" not in texts(only_card(theirs))

    await checking.post(click(checking, "submit_escalate", value, card_id, "1712674880902"))
    mine = await eventually(lambda: connector.of_kind("update")[1:])
    assert "Lab 4" in texts(only_card(mine[0])) and "s12345" in texts(only_card(mine[0]))
