"""Student result ids reach only the person who pasted them and support, never a channel."""

from __future__ import annotations

from bots.cards.slack import ESCALATE_ACTION_ID, SHARE_ACTION_ID
from tests.bots.slack.harness import SlackTestServer
from tests.bots.slack.messages import buttons, support_posts, texts
from tests.bots.slack.standin import BOT_USER_ID, SlackStandIn
from tests.polling import eventually

STUDENT = "s82734"
EXPORT = (
    "ASSIGNMENT_SCORES_EXPORT - 624d3aa4-25b0-4c50-98a4-ca8f777a7410 - PUT for ONEROSTER: "
    f'Result[result/results] for "{STUDENT}" failed with HTTP Status: 401 with: '
    '[{"codeMajor":"FAILURE","severity":"ERROR","codeMinor":"UNAUTHORIZED",'
    '"description": "User not authorized."}]'
)
WITHHELD = "1 student, not shown in a shared chat"


def posts(standin: SlackStandIn, channel: str) -> list[dict]:
    return [p for p in standin.sent("chat.postMessage") if p.get("channel") == channel]


async def test_a_mention_in_a_channel_withholds_the_student_and_escalates_it_to_support(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}> {EXPORT}")
    (card,) = await eventually(lambda: posts(standin, "C0HELPDESK"))
    shown = texts(card)
    assert "Assignment Scores Export-PUT for OneRoster Error" in shown
    assert STUDENT not in shown and WITHHELD in shown
    assert "624d3aa4-25b0-4c50-98a4-ca8f777a7410" in shown  # a job id is not student data

    token = buttons(card)[ESCALATE_ACTION_ID]
    await server.click(ESCALATE_ACTION_ID, token, response="escalate", ephemeral=False)
    (redrawn, _told) = await eventually(
        lambda: len(standin.responded("escalate")) >= 2 and standin.responded("escalate")
    )
    assert redrawn["replace_original"] is True
    assert STUDENT not in texts(redrawn) and WITHHELD in texts(redrawn)  # still in the channel

    (case_post,) = await eventually(lambda: support_posts(standin))
    assert STUDENT in texts(case_post)  # support gets what it needs to find the record


async def test_the_private_answer_shows_the_student_and_sharing_it_withholds_it(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command(EXPORT, response="command")
    (private,) = await eventually(lambda: standin.responded("command"))
    assert private["response_type"] == "ephemeral"
    assert STUDENT in texts(private)  # to the person who pasted it

    await server.click(SHARE_ACTION_ID, buttons(private)[SHARE_ACTION_ID], response="share")
    shared = await eventually(
        lambda: [r for r in standin.responded("share") if r.get("response_type") == "in_channel"]
    )
    assert STUDENT not in texts(shared[0]) and WITHHELD in texts(shared[0])


async def test_a_direct_message_shows_the_student(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.event("message_im.json", text=EXPORT)
    (card,) = await eventually(lambda: posts(standin, "D0TEACHER1"))
    assert STUDENT in texts(card)
