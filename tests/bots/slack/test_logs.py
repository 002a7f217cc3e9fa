"""Across every Slack flow, at LOG_LEVEL=DEBUG, no log line carries pasted text or a secret."""

from __future__ import annotations

import logging

import pytest

from bots.cards.slack import ESCALATE_ACTION_ID, SHARE_ACTION_ID
from bots.cards.support_slack import ACK_ACTION_ID
from tests.bots.slack.harness import BOT_TOKEN, SECRET, SUPPORT_CHANNEL, SlackTestServer
from tests.bots.slack.messages import buttons
from tests.bots.slack.standin import BOT_USER_ID, SlackStandIn
from tests.polling import eventually

# An escalating error with values only the paste has: a student id and an exchange id.
PASTE = "EXCHANGE_ERROR_NON_RETRYABLE - qq7-x42-secretish - HTTP response HTTP/1.1 403 Forbidden"
STUDENT = "s7654321"


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    lines = []
    for record in caplog.records:
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(lines)


async def test_no_flow_logs_the_paste_or_a_secret(
    server: SlackTestServer, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    text = f"{PASTE} for {STUDENT}"
    await server.command(text, response="command")
    (card,) = await eventually(lambda: standin.responded("command"))
    await server.click(SHARE_ACTION_ID, buttons(card)[SHARE_ACTION_ID], response="share")
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}> {text}")
    await server.event("message_im.json", text=text)
    await server.event("message_im.json", text=text, bot_id="B0OTHERBOT")
    await server.click(ESCALATE_ACTION_ID, buttons(card)[ESCALATE_ACTION_ID], response="esc")
    (case_post,) = await eventually(
        lambda: [a for a in standin.sent("chat.postMessage") if a["channel"] == SUPPORT_CHANNEL]
    )
    await server.click(
        ACK_ACTION_ID, buttons(case_post)[ACK_ACTION_ID], response="ack", channel=SUPPORT_CHANNEL
    )
    await eventually(lambda: standin.responded("ack"))
    await server.post(b"payload=%7B%7D", "application/x-www-form-urlencoded", secret="wrong")
    await standin.settle()

    assert len(standin.sent("chat.postMessage")) >= 3  # the flows really ran
    logged = everything_logged(caplog)
    assert "escalate click" in logged  # and were logged
    for secret in ("qq7-x42-secretish", STUDENT, "EXCHANGE_ERROR", BOT_TOKEN, SECRET):
        assert secret not in logged
