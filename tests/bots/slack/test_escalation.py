"""The Escalate button, support's Acknowledge/Resolve buttons, and reporters hearing back."""

from __future__ import annotations

import re
from typing import Any

from bots.cards.slack import ESCALATE_ACTION_ID, SHARE_ACTION_ID
from bots.cards.support_slack import ACK_ACTION_ID, RESOLVE_ACTION_ID
from tests.bots.slack.harness import SUPPORT_CHANNEL, SlackTestServer
from tests.bots.slack.messages import buttons, support_posts, texts
from tests.bots.slack.standin import BOT_USER_ID, SlackStandIn
from tests.polling import eventually

KIMONO = "A Kimono Job has timed out and been cancelled."
MENTION_TS = "1700000100.000200"
SUPPORT = ("U0SUPPORT1", "sam.support")
COLLEAGUE = ("U0TEACHER2", "ben.okafor")


async def answer_privately(server: SlackTestServer, standin: SlackStandIn, text: str) -> str:
    await server.command(text, response="command")
    (card,) = await eventually(lambda: standin.responded("command"))
    return buttons(card)[ESCALATE_ACTION_ID]


async def test_escalate_opens_one_case_and_a_second_click_says_already_escalated(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    token = await answer_privately(server, standin, KIMONO)

    reply = await server.click(ESCALATE_ACTION_ID, token, response="first")
    assert reply.status == 200
    updated, told = await eventually(
        lambda: len(standin.responded("first")) >= 2 and standin.responded("first")
    )
    assert told["response_type"] == "ephemeral" and told["replace_original"] is False
    found = re.match(r"Escalated as (PB-\d+)\. ", told["text"])
    assert found, told["text"]
    ref = found.group(1)
    assert updated["replace_original"] is True  # the card, in place…
    assert f"Escalated as {ref} ·" in texts(updated)
    assert ESCALATE_ACTION_ID not in buttons(updated)  # …no longer clickable
    assert SHARE_ACTION_ID in buttons(updated)  # still private, still shareable

    (case_post,) = await eventually(lambda: support_posts(standin))
    assert buttons(case_post)[ACK_ACTION_ID] == buttons(case_post)[RESOLVE_ACTION_ID] == ref

    await server.click(ESCALATE_ACTION_ID, token, response="second")  # a double click
    await eventually(lambda: len(standin.responded("second")) >= 2)
    told_again = standin.responded("second")[-1]
    assert told_again["text"] == f"Already escalated as {ref} by you (open)."

    await server.click(ESCALATE_ACTION_ID, token, response="third", user=COLLEAGUE, ephemeral=False)
    await eventually(lambda: len(standin.responded("third")) >= 2)
    for_colleague = standin.responded("third")[-1]
    assert for_colleague["text"].startswith(f"Already escalated as {ref} by ana.lopez (open).")
    assert "added" in for_colleague["text"]

    await standin.settle()
    assert len(support_posts(standin)) == 1  # one case, delivered once


async def test_an_unknown_escalate_button_is_explained(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.click(ESCALATE_ACTION_ID, "x", response="odd")
    (said,) = await eventually(lambda: standin.responded("odd"))
    assert said["response_type"] == "ephemeral"
    assert "not one of ours" in said["text"]


async def test_support_acknowledges_and_resolves_and_the_reporter_hears_in_the_thread(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}> {KIMONO}")
    (card,) = await eventually(lambda: standin.sent("chat.postMessage"))
    token = buttons(card)[ESCALATE_ACTION_ID]
    await server.click(ESCALATE_ACTION_ID, token, response="esc", ephemeral=False)
    (case_post,) = await eventually(lambda: support_posts(standin))
    assert "Open the conversation" in texts(case_post)  # the permalink to the thread
    ref = buttons(case_post)[ACK_ACTION_ID]

    def thread_notes() -> list[dict[str, Any]]:
        return [
            a
            for a in standin.sent("chat.postMessage")
            if a.get("channel") == "C0HELPDESK"
            and a.get("thread_ts") == MENTION_TS
            and ref in a.get("text", "")
        ]

    await server.click(
        ACK_ACTION_ID,
        ref,
        response="ack",
        user=SUPPORT,
        ephemeral=False,
        channel=SUPPORT_CHANNEL,
    )
    (acked,) = await eventually(lambda: standin.responded("ack"))
    assert acked["replace_original"] is True
    assert "Acknowledged by sam.support" in texts(acked)
    assert ACK_ACTION_ID not in buttons(acked) and RESOLVE_ACTION_ID in buttons(acked)
    (note,) = await eventually(thread_notes)
    assert "acknowledged by sam.support" in note["text"]
    await standin.settle()
    assert standin.sent("chat.update") == []  # one click, one update: the response_url's

    await server.click(
        RESOLVE_ACTION_ID,
        ref,
        response="resolve",
        user=SUPPORT,
        ephemeral=False,
        channel=SUPPORT_CHANNEL,
    )
    (resolved,) = await eventually(lambda: standin.responded("resolve"))
    assert "Resolved by sam.support" in texts(resolved)
    assert buttons(resolved) == {}
    notes = await eventually(lambda: len(thread_notes()) >= 2 and thread_notes())
    assert "resolved by sam.support" in notes[-1]["text"]


async def test_a_private_answer_s_reporter_hears_back_in_a_direct_message(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    token = await answer_privately(server, standin, KIMONO)
    await server.click(ESCALATE_ACTION_ID, token, response="esc")
    (case_post,) = await eventually(lambda: support_posts(standin))
    ref = buttons(case_post)[RESOLVE_ACTION_ID]
    await server.click(
        RESOLVE_ACTION_ID,
        ref,
        response="resolve",
        user=SUPPORT,
        ephemeral=False,
        channel=SUPPORT_CHANNEL,
    )
    (note,) = await eventually(
        lambda: [a for a in standin.sent("chat.postMessage") if a.get("channel") == "U0TEACHER1"]
    )
    assert ref in note["text"] and "resolved" in note["text"]


async def test_an_unknown_case_is_explained_to_support(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.click(
        ACK_ACTION_ID,
        "PB-999",
        response="ack",
        user=SUPPORT,
        ephemeral=False,
        channel=SUPPORT_CHANNEL,
    )
    (said,) = await eventually(lambda: standin.responded("ack"))
    assert said["response_type"] == "ephemeral" and "PB-999" in said["text"]


async def test_ask_support_about_a_message_the_bot_does_not_know(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command("The printer says PC LOAD LETTER", response="command")
    (card,) = await eventually(lambda: standin.responded("command"))
    assert "Ask support about this" in texts(card)
    token = buttons(card)[ESCALATE_ACTION_ID]

    await server.click(ESCALATE_ACTION_ID, token, response="first")
    first = await eventually(
        lambda: len(standin.responded("first")) >= 2 and standin.responded("first")
    )
    assert re.match(r"Escalated as PB-\d+\. ", first[-1]["text"]), first[-1]["text"]
    (case_post,) = await eventually(lambda: support_posts(standin))
    assert "PC LOAD LETTER" in texts(case_post)

    await server.click(ESCALATE_ACTION_ID, token, response="second")  # the same rules: once
    await eventually(lambda: len(standin.responded("second")) >= 2)
    assert standin.responded("second")[-1]["text"].startswith("Already escalated as PB-")
    await standin.settle()
    assert len(support_posts(standin)) == 1


async def test_thanks_gets_no_support_button(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command("thanks, that fixed it!", response="thanks")
    (card,) = await eventually(lambda: standin.responded("thanks"))
    assert ESCALATE_ACTION_ID not in buttons(card)


async def test_each_error_of_a_paste_escalates_on_its_own(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    paste = "\n".join(
        [
            'Unable to process score for s842620; missing "assignment_source_id" attribute',
            "EXCHANGE_ERROR_NON_RETRYABLE - fv5-v10-zze - HTTP response HTTP/1.1 403 Forbidden",
            KIMONO,
        ]
    )
    await server.command(paste, response="command")
    (card,) = await eventually(lambda: standin.responded("command"))
    assert "3 errors in this paste" in texts(card)
    tokens = buttons(card)
    assert ESCALATE_ACTION_ID not in tokens  # no button for the whole reply: one per error
    exchange, kimono = tokens["passback_escalate_1"], tokens["passback_escalate_2"]

    await server.click("passback_escalate_2", kimono, response="kimono")
    updated, told = await eventually(
        lambda: len(standin.responded("kimono")) >= 2 and standin.responded("kimono")
    )
    assert told["text"].startswith("Escalated as PB-")
    assert "passback_escalate_2" not in buttons(updated)  # its case is shown instead
    still = buttons(updated)["passback_escalate_1"]  # Exchange can still be escalated

    await server.click("passback_escalate_1", still, response="exchange")
    await eventually(lambda: len(standin.responded("exchange")) >= 2)
    posts = await eventually(lambda: len(support_posts(standin)) >= 2 and support_posts(standin))
    titles = sorted(p["text"].split(":")[0] for p in posts)
    assert len(posts) == 2, titles  # one case for each error, each titled by its own error
    assert any("Kimono Job Error" in texts(p) and "Exchange Error" not in p["text"] for p in posts)
    assert exchange != still  # the redrawn card carries a fresh token for the other error
