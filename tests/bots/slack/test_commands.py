"""/passback: ack at once, the answer privately through response_url, Share in channel."""

from __future__ import annotations

import asyncio
from functools import partial

from bots.cards.slack import ESCALATE_ACTION_ID, SHARE_ACTION_ID
from tests.bots.slack.harness import SlackTestServer
from tests.bots.slack.messages import buttons, shown
from tests.bots.slack.standin import SlackStandIn
from tests.polling import eventually

KIMONO = "A Kimono Job has timed out and been cancelled."
NO_DUE_DATE = 'Unable to process score for s842620; missing "assignment_source_id" attribute'


async def test_the_answer_is_private_and_comes_after_the_ack(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    # The response_url does not answer until the test says so: the ack cannot be waiting on it.
    standin.release_responses = asyncio.Event()
    reply = await server.command(KIMONO)
    assert reply.status == 200 and reply.text == ""  # the empty ack: nothing shown yet
    (answer,) = await eventually(lambda: standin.responded("command"))
    standin.release_responses.set()
    assert answer["response_type"] == "ephemeral"
    assert "Kimono Job Error" in answer["text"]
    assert "Kimono Job Error" in shown(answer)
    found = buttons(answer)
    assert found[ESCALATE_ACTION_ID] and found[SHARE_ACTION_ID] == found[ESCALATE_ACTION_ID]


async def test_an_answer_without_escalation_can_still_be_shared(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command(NO_DUE_DATE)
    (answer,) = await eventually(lambda: standin.responded("command"))
    assert "Unable to Process Score" in shown(answer)
    assert "s842620" in shown(answer)  # the value it found, shown to the person who pasted it
    assert ESCALATE_ACTION_ID not in buttons(answer)
    assert buttons(answer)[SHARE_ACTION_ID]


async def test_help_and_nothing_give_usage_and_list_gives_the_known_errors(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command("", response="empty")
    await server.command("help", response="help")
    await server.command("list", response="list")
    empty, helped, listed = [
        (await eventually(partial(standin.responded, name)))[0]
        for name in ("empty", "help", "list")
    ]
    assert empty == helped
    assert "/passback <error>" in shown(helped) and "/passback list" in shown(helped)
    assert helped["response_type"] == "ephemeral"
    assert "Kimono Job Error" in shown(listed) and "Exchange Error" in shown(listed)
    assert SHARE_ACTION_ID not in buttons(listed)


async def test_share_posts_the_same_card_in_the_channel_and_removes_the_private_one(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command(KIMONO)
    (private,) = await eventually(lambda: standin.responded("command"))
    token = buttons(private)[SHARE_ACTION_ID]
    reply = await server.click(SHARE_ACTION_ID, token, response="share")
    assert reply.status == 200
    posted, removed = await eventually(
        lambda: len(standin.responded("share")) >= 2 and standin.responded("share")
    )
    assert posted["response_type"] == "in_channel" and posted["replace_original"] is False
    assert posted["blocks"][0] == private["blocks"][0]  # the same card…
    assert ESCALATE_ACTION_ID in buttons(posted)  # …with Escalate, for anyone in the channel
    assert SHARE_ACTION_ID not in buttons(posted)
    assert removed["delete_original"] is True


async def test_sharing_an_unknown_answer_says_so(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.click(SHARE_ACTION_ID, "NoSuchToken0123456789abc", response="share")
    (said,) = await eventually(lambda: standin.responded("share"))
    assert said["response_type"] == "ephemeral" and "too old to share" in said["text"]


async def test_user_text_cannot_ping_the_channel(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command("<!channel> &lt;!here&gt; Frobnicator failed with error 500")
    (answer,) = await eventually(lambda: standin.responded("command"))
    text = shown(answer) + answer["text"]
    assert "<!channel>" not in text and "<!here>" not in text


async def test_a_guide_button_click_is_acked_and_nothing_else(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.command(KIMONO)
    (card,) = await eventually(lambda: standin.responded("command"))
    guide = next(a for a in buttons(card) if a.startswith("passback_guide_"))
    reply = await server.click(guide, "", response="guide")
    assert reply.status == 200  # an unhandled action would be a 404, and an error icon in Slack
    await standin.settle()
    assert standin.responded("guide") == []


async def test_a_rejected_private_answer_is_followed_by_words(
    server: SlackTestServer, standin: SlackStandIn, caplog
) -> None:
    standin.response_errors["command"] = 1
    await server.command(f"{KIMONO} s842620")
    await eventually(lambda: len(standin.responded("command")) >= 2)
    told = standin.responded("command")[-1]
    assert told["response_type"] == "ephemeral"
    assert told["text"] == "I couldn't analyse that, the team has been notified in the logs."
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "answering /passback failed: ResponseUrlRefused(HTTP 400 invalid_blocks)" in logged
    assert "s842620" not in logged


async def test_when_even_the_apology_is_refused_the_log_reads_as_a_sentence(
    server: SlackTestServer, standin: SlackStandIn, caplog
) -> None:
    standin.response_errors["command"] = 2
    await server.command(KIMONO)
    await eventually(lambda: len(standin.responded("command")) >= 2)
    await standin.settle()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "telling the user that answering /passback went wrong failed:" in logged
    assert "failed failed" not in logged
