"""'Check in Canvas' end to end: the real `passback serve`, the Slack stand-in, the Canvas one."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bots.canvas_chat import CHECKING
from bots.cards.slack import ESCALATE_ACTION_ID
from bots.cards.slack_canvas import CHECK_ACTION_ID, COURSE_ACTION_ID, COURSE_BLOCK_PREFIX
from tests.bots.conftest import Canvas
from tests.bots.slack.conftest import StartServer
from tests.bots.slack.harness import SlackTestServer
from tests.bots.slack.messages import buttons, shown, support_posts
from tests.bots.slack.standin import SlackStandIn
from tests.canvas.standin.district import HOST_TOKEN
from tests.polling import eventually
from tests.processes import free_port

UNABLE = 'Unable to process score for s12345; missing "assignment_source_id" attribute'
KIMONO = "A Kimono Job has timed out and been cancelled."
TEACHER = ("U0TEACHER1", "pat.teacher")
OTHER = ("U0OTHER001", "oscar.other")
LAB_4 = "/courses/101/assignments/2"


@pytest.fixture
async def checking(
    start_server: StartServer, standin: SlackStandIn, canvas: Canvas
) -> SlackTestServer:
    standin.add_user(TEACHER[0], "PTeacher@district.org", "Pat Teacher")
    standin.add_user(OTHER[0], "oother@district.org", "Oscar Other")
    return await start_server(**canvas.env())


async def private_card(server: SlackTestServer, standin: SlackStandIn, text: str) -> str:
    await server.command(text, response="command")
    (card,) = await eventually(lambda: standin.responded("command"))
    return buttons(card)[CHECK_ACTION_ID]


def finished(standin: SlackStandIn, name: str) -> list[dict[str, Any]]:
    got = standin.responded(name)
    return got if len(got) >= 2 else []


async def test_without_canvas_the_card_has_no_check_button(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command(UNABLE, response="command")
    (card,) = await eventually(lambda: standin.responded("command"))
    assert CHECK_ACTION_ID not in buttons(card)
    assert "Check in Canvas" not in shown(card)


async def test_a_paste_with_a_link_gives_the_culprit_privately_in_place(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    token = await private_card(checking, standin, f"{UNABLE} {canvas.url}{LAB_4}")
    reply = await checking.click(CHECK_ACTION_ID, token, response="click", user=TEACHER)
    assert reply.status == 200 and reply.text == ""  # the ack, before any Canvas request
    waiting, done = await eventually(lambda: finished(standin, "click"))
    assert waiting["replace_original"] is True and "Checking Canvas…" in shown(waiting)
    assert CHECK_ACTION_ID not in buttons(waiting)  # no second check from the same card
    assert done["replace_original"] is True
    assert "Checked in Canvas: 'Lab 4' has no due date." in shown(done)
    assert f"{canvas.url}/courses/101/assignments/2/edit" in shown(done)
    assert ESCALATE_ACTION_ID in buttons(done) or "Escalate" not in shown(done)
    assert [c["user"] for c in standin.sent("users.info")] == [TEACHER[0]]
    assert standin.sent("chat.postEphemeral") == []  # the ephemeral answer itself was updated


async def test_a_card_in_a_thread_asks_which_course_then_answers_the_pick(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    await checking.event("app_mention.json", text=f"<@U0PASSBACK> {UNABLE}")
    (card,) = await eventually(lambda: standin.sent("chat.postMessage"))
    token = buttons(card)[CHECK_ACTION_ID]
    await checking.click(CHECK_ACTION_ID, token, response="thread", user=TEACHER, ephemeral=False)
    checking_note, menu = await eventually(
        lambda: len(standin.sent("chat.postEphemeral")) >= 2 and standin.sent("chat.postEphemeral")
    )
    assert checking_note["user"] == TEACHER[0] and checking_note["text"] == "Checking Canvas…"
    assert menu["user"] == TEACHER[0] and menu["thread_ts"] == "1700000300.000400"
    select = next(b for b in json.loads(json.dumps(menu["blocks"])) if b["type"] == "actions")
    assert select["block_id"] == f"{COURSE_BLOCK_PREFIX}{token}"
    options = select["elements"][0]["options"]
    assert {o["value"] for o in options} == {"101", "103", "105"}  # Pat's, no one else's
    assert "paste a link to the course" in shown(menu).lower()
    assert standin.responded("thread") == []  # nothing public was touched

    await pick(checking, standin, select["block_id"], "101", "pick", TEACHER)
    waiting, done = await eventually(lambda: finished(standin, "pick"))
    assert waiting["replace_original"] is True and waiting["text"] == "Checking Canvas…"
    assert "Checked in Canvas:" in shown(done) and "Lab 4" in shown(done)


async def test_only_whoever_pasted_sees_its_student_on_a_private_check(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    await checking.event("app_mention.json", text=f"<@U0PASSBACK> {UNABLE} {canvas.url}{LAB_4}")
    (card,) = await eventually(lambda: standin.sent("chat.postMessage"))
    assert "s12345" not in shown(card)  # in the channel: counted, not shown
    token = buttons(card)[CHECK_ACTION_ID]

    await checking.click(CHECK_ACTION_ID, token, response="c1", user=OTHER, ephemeral=False)
    colleague = await eventually(
        lambda: [m for m in standin.sent("chat.postEphemeral") if m["text"] != CHECKING]
    )
    assert colleague[0]["user"] == OTHER[0]
    assert "s12345" not in shown(colleague[0])  # a colleague clicking the channel's card

    await checking.click(CHECK_ACTION_ID, token, response="c2", user=TEACHER, ephemeral=False)
    mine = await eventually(
        lambda: [
            m
            for m in standin.sent("chat.postEphemeral")
            if m["text"] != CHECKING and m["user"] == TEACHER[0]
        ]
    )
    assert "s12345" in shown(mine[0]) and "Lab 4" in shown(mine[0])  # who pasted it


async def pick(
    server: SlackTestServer,
    standin: SlackStandIn,
    block_id: str,
    course: str,
    response: str,
    user: tuple[str, str],
) -> None:
    payload = server.action_payload(COURSE_ACTION_ID, "", response, user=user)
    payload["actions"] = [
        {
            "type": "static_select",
            "action_id": COURSE_ACTION_ID,
            "block_id": block_id,
            "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": course},
            "action_ts": "1700000400.000100",
        }
    ]
    body = urlencode({"payload": json.dumps(payload)}).encode()
    assert (await server.post(body, "application/x-www-form-urlencoded")).status == 200


async def test_a_teacher_of_another_course_learns_nothing_about_it(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    token = await private_card(checking, standin, f"{UNABLE} {canvas.url}{LAB_4}")
    await checking.click(CHECK_ACTION_ID, token, response="other", user=OTHER)
    _, done = await eventually(lambda: finished(standin, "other"))
    assert "only if you teach it" in shown(done)
    for secret in ("Chemistry", "Lab 4", "Checked in Canvas"):
        assert secret not in shown(done)
    fetched = {p for p, _ in canvas.district.requests}
    assert fetched <= {"/api/v1/accounts/self/users", "/api/v1/courses/101/enrollments"}


@pytest.mark.parametrize(
    "flags", [{"email": None}, {"is_restricted": True}, {"team_id": "T0ELSEWHERE"}]
)
async def test_no_email_a_guest_or_slack_connect_cannot_check(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas, flags: dict[str, Any]
) -> None:
    email = flags.pop("email", "pteacher@district.org")
    standin.add_user("U0GUEST001", email, "guest", **flags)
    token = await private_card(checking, standin, f"{UNABLE} {canvas.url}/courses/101")
    await checking.click(CHECK_ACTION_ID, token, response="guest", user=("U0GUEST001", "g"))
    _, done = await eventually(lambda: finished(standin, "guest"))
    assert "I can't check Canvas for you" in shown(done) and "Canvas admin" in shown(done)
    assert canvas.district.requests == []  # Canvas was not asked anything


async def test_a_slack_connect_person_with_a_district_email_cannot_check(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    """Someone from another organisation in a shared channel: Slack names their own team in
    the click (`user.team_id`) and in users.info alike, so only the workspace the click was
    made in (`team.id`, ours) tells them apart, whatever e-mail their profile shows."""
    standin.add_user("U0PARTNER1", "pteacher@district.org", "partner", team_id="T0PARTNER")
    token = await private_card(checking, standin, f"{UNABLE} {canvas.url}/courses/101")
    await checking.click(
        CHECK_ACTION_ID,
        token,
        response="partner",
        user=("U0PARTNER1", "partner"),
        user_team="T0PARTNER",
    )
    _, done = await eventually(lambda: finished(standin, "partner"))
    assert "I can't check Canvas for you" in shown(done)
    assert canvas.district.requests == []


async def test_canvas_down_says_so_and_still_offers_escalate(
    start_server: StartServer, standin: SlackStandIn
) -> None:
    standin.add_user(TEACHER[0], "pteacher@district.org")
    url = f"http://127.0.0.1:{free_port()}"
    server = await start_server(PASSBACK_CANVAS_URL=url, PASSBACK_CANVAS_TOKEN=HOST_TOKEN)
    token = await private_card(server, standin, f"{KIMONO} {UNABLE} {url}/courses/101")
    await server.click(CHECK_ACTION_ID, token, response="down", user=TEACHER)
    _, done = await eventually(lambda: finished(standin, "down"), within=20)
    assert "did not answer" in shown(done)
    # Kimono's own Escalate, on a card of two errors
    assert any(b.startswith(ESCALATE_ACTION_ID) for b in buttons(done))
    assert CHECK_ACTION_ID in buttons(done)


async def test_a_throttled_canvas_says_try_again_in_a_minute(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    canvas.district.throttle_next = 1000
    token = await private_card(checking, standin, f"{UNABLE} {canvas.url}/courses/101")
    await checking.click(CHECK_ACTION_ID, token, response="slow", user=TEACHER)
    _, done = await eventually(lambda: finished(standin, "slow"), within=20)
    assert "try again in a minute" in shown(done)


async def test_two_clicks_while_a_check_runs_start_one_check(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    canvas.district.delay = 0.2
    token = await private_card(checking, standin, f"{UNABLE} {canvas.url}{LAB_4}")
    await checking.click(CHECK_ACTION_ID, token, response="one", user=TEACHER)
    await eventually(lambda: standin.responded("one"))  # "Checking Canvas…" is showing
    await checking.click(CHECK_ACTION_ID, token, response="two", user=TEACHER)
    await eventually(lambda: finished(standin, "one"))
    await standin.settle()
    assert standin.responded("two") == []
    assert len(standin.sent("users.info")) == 1


async def test_checks_are_counted_without_people_or_courses(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    token = await private_card(checking, standin, f"{UNABLE} {canvas.url}{LAB_4}")
    await checking.click(CHECK_ACTION_ID, token, response="count", user=TEACHER)
    await eventually(lambda: finished(standin, "count"))
    async with aiohttp.ClientSession() as session, session.get(f"{checking.url}/metrics") as got:
        metrics = await got.text()
    assert (
        'passback_canvas_checks_total{entry="unable-to-process-score",outcome="found",'
        'platform="slack"} 1.0'
    ) in metrics
    assert "passback_canvas_check_seconds_count" in metrics
    samples = [line for line in metrics.splitlines() if line.startswith("passback_canvas")]
    for private in ("pteacher", "district.org", "Chemistry", "Lab 4", "courses/101"):
        assert not any(private in line for line in samples)


async def test_escalating_after_a_check_gives_support_the_finding_once(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    paste = f"{KIMONO}\n{UNABLE} {canvas.url}{LAB_4}"
    token = await private_card(checking, standin, paste)
    await checking.click(CHECK_ACTION_ID, token, response="checked", user=TEACHER)
    _, done = await eventually(lambda: finished(standin, "checked"))
    assert "Checked in Canvas: 'Lab 4' has no due date." in shown(done)  # the second error's
    # Two errors: Kimono's own Escalate (Unable to Process Score is fixed in Canvas).
    ((action_id, escalate),) = [
        (k, v) for k, v in buttons(done).items() if k.startswith(ESCALATE_ACTION_ID)
    ]
    await checking.click(action_id, escalate, response="esc", user=TEACHER)
    await checking.click(action_id, escalate, response="esc2", user=TEACHER)
    await eventually(lambda: support_posts(standin))
    await standin.settle()
    (post,) = support_posts(standin)
    shown_to_support = json.dumps(post["blocks"], ensure_ascii=False)
    assert "Checked in Canvas at " in shown_to_support
    assert "unable-to-process-score: found" in shown_to_support and "Lab 4" in shown_to_support
    assert f"{canvas.url}{LAB_4}/edit" in shown_to_support
    for student in ("Jordan", "Rivera", "Alex Kim"):
        assert student not in shown_to_support


async def test_a_link_in_the_threads_first_message_decides_the_course(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    parent = "1700000000.000100"
    standin.threads[("C0HELPDESK", parent)] = [
        {
            "type": "message",
            "ts": parent,
            "user": "U0TEACHER1",
            "text": f"{UNABLE} {canvas.url}{LAB_4}",
        }
    ]
    await checking.event("app_mention.json", text="<@U0PASSBACK> what is this?", thread_ts=parent)
    (card,) = await eventually(lambda: standin.sent("chat.postMessage"))
    await checking.click(
        CHECK_ACTION_ID, buttons(card)[CHECK_ACTION_ID], response="t", user=TEACHER, ephemeral=False
    )
    _, done = await eventually(
        lambda: len(standin.sent("chat.postEphemeral")) >= 2 and standin.sent("chat.postEphemeral")
    )
    assert done["user"] == TEACHER[0]
    assert "Checked in Canvas: 'Lab 4' has no due date." in shown(done)  # no course menu
    assert COURSE_ACTION_ID not in shown(done)


EXPORT_PUT = (  # a check Canvas can run, on an error that calls for support
    "ASSIGNMENT_SCORES_EXPORT - 624d3aa4-25b0-4c50-98a4-ca8f777a7410 - PUT for ONEROSTER: "
    'Result[result/results] for "s82734" failed with HTTP Status: 401 with: '
    '[{"codeMajor":"FAILURE","severity":"ERROR","codeMinor":"UNAUTHORIZED",'
    '"description": "User not authorized."}]'
)


async def test_a_check_after_escalating_updates_the_support_post_in_place(
    checking: SlackTestServer, standin: SlackStandIn, canvas: Canvas
) -> None:
    await checking.command(f"{EXPORT_PUT} {canvas.url}/courses/101", response="command")
    (card,) = await eventually(lambda: standin.responded("command"))
    await checking.click(ESCALATE_ACTION_ID, buttons(card)[ESCALATE_ACTION_ID], "esc", user=TEACHER)
    (post,) = await eventually(lambda: support_posts(standin))
    assert "Checked in Canvas" not in shown(post)
    escalated = (await eventually(lambda: standin.responded("esc")))[0]  # the card, redrawn
    check = buttons(escalated)[CHECK_ACTION_ID]  # the escalated card can still be checked

    await checking.click(CHECK_ACTION_ID, check, response="checked", user=TEACHER)
    await eventually(lambda: finished(standin, "checked"))
    (update,) = await eventually(lambda: standin.sent("chat.update"))
    assert update["channel"] == post["channel"]
    assert "after the case was opened: " in shown(update)
    assert "assignment-scores-export-put-oneroster: " in shown(update)
    await standin.settle()
    assert len(support_posts(standin)) == 1 and len(standin.sent("chat.update")) == 1
