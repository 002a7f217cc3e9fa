"""@mentions, thread parents, direct messages; bots ignored; each event answered once."""

from __future__ import annotations

import json
import logging

import pytest

from bots.cards.slack import ESCALATE_ACTION_ID
from bots.slack.failures import COULD_NOT_ANALYSE
from bots.slack.replies import NOTHING_IN_THREAD
from matcher import Matcher, MatchResult
from tests.bots.slack.harness import BOT_TOKEN, SlackTestServer
from tests.bots.slack.standin import BOT_ID, BOT_USER_ID, SlackStandIn
from tests.polling import eventually

KIMONO = "A Kimono Job has timed out and been cancelled."
EXCHANGE = "EXCHANGE_ERROR_NON_RETRYABLE - fv5-v10-zze - HTTP response HTTP/1.1 403 Forbidden"
MENTION_TS = "1700000100.000200"  # tests/fixtures/slack/app_mention.json
PARENT_TS = "1700000050.000100"


def posts(standin: SlackStandIn) -> list[dict]:
    return standin.sent("chat.postMessage")


async def test_a_mention_with_an_error_is_answered_in_a_thread_under_it(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    reply = await server.event("app_mention.json", text=f"<@{BOT_USER_ID}> {KIMONO}")
    assert reply.status == 200
    (post,) = await eventually(lambda: posts(standin))
    assert post["channel"] == "C0HELPDESK" and post["thread_ts"] == MENTION_TS
    assert "Kimono Job Error" in json.dumps(post["blocks"])
    assert "Kimono Job Error" in post["text"]
    assert any(
        e.get("action_id") == ESCALATE_ACTION_ID
        for b in post["blocks"]
        for e in b.get("elements", [])
    )
    assert all(c.token == BOT_TOKEN for c in standin.calls)


async def test_a_mention_inside_a_thread_answers_in_that_thread(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}> {EXCHANGE}", thread_ts=PARENT_TS)
    (post,) = await eventually(lambda: posts(standin))
    assert post["thread_ts"] == PARENT_TS
    assert "Exchange Error" in json.dumps(post["blocks"])


async def test_a_bare_mention_under_a_pasted_error_answers_the_thread_s_first_message(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    standin.threads[("C0HELPDESK", PARENT_TS)] = [
        {"type": "message", "user": "U0TEACHER2", "text": EXCHANGE, "ts": PARENT_TS},
        {"type": "message", "user": "U0TEACHER1", "text": "any idea?", "ts": "1700000060.0"},
    ]
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}>", thread_ts=PARENT_TS)
    (post,) = await eventually(lambda: posts(standin))
    (asked,) = standin.sent("conversations.replies")
    assert asked["channel"] == "C0HELPDESK" and asked["ts"] == PARENT_TS
    assert post["thread_ts"] == PARENT_TS
    blocks = json.dumps(post["blocks"])
    assert "Exchange Error" in blocks and "fv5-v10-zze" in blocks


async def test_a_mention_asking_for_help_under_a_pasted_error_answers_that_error(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    standin.threads[("C0HELPDESK", PARENT_TS)] = [
        {"type": "message", "user": "U0TEACHER2", "text": KIMONO, "ts": PARENT_TS},
    ]
    text = f"<@{BOT_USER_ID}> can you help with this one?"
    await server.event("app_mention.json", text=text, thread_ts=PARENT_TS)
    (post,) = await eventually(lambda: posts(standin))
    assert "Kimono Job Error" in json.dumps(post["blocks"])


async def test_a_mention_with_its_own_error_in_a_thread_answers_its_own(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    standin.threads[("C0HELPDESK", PARENT_TS)] = [
        {"type": "message", "user": "U0TEACHER2", "text": KIMONO, "ts": PARENT_TS},
    ]
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}> {EXCHANGE}", thread_ts=PARENT_TS)
    (post,) = await eventually(lambda: posts(standin))
    assert "Exchange Error" in json.dumps(post["blocks"])
    assert standin.sent("conversations.replies") == []


async def test_a_mention_in_a_thread_is_matched_once_off_the_loop_s_path(
    server: SlackTestServer, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    match, match_async = Matcher.match, Matcher.match_async

    def counted(self: Matcher, text: str) -> MatchResult:
        calls.append("match")
        return match(self, text)

    async def counted_async(self: Matcher, text: str) -> MatchResult:
        calls.append("match_async")
        return await match_async(self, text)

    monkeypatch.setattr(Matcher, "match", counted)
    monkeypatch.setattr(Matcher, "match_async", counted_async)
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}> {EXCHANGE}", thread_ts=PARENT_TS)
    (post,) = await eventually(lambda: posts(standin))
    assert "Exchange Error" in json.dumps(post["blocks"])
    assert calls == ["match_async", "match"]  # once, through the async path


async def test_a_bare_mention_under_a_bot_message_says_what_to_do(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    standin.threads[("C0HELPDESK", PARENT_TS)] = [
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B0OTHER",
            "text": KIMONO,
            "ts": PARENT_TS,
        },
    ]
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}>", thread_ts=PARENT_TS)
    (post,) = await eventually(lambda: posts(standin))
    assert post["text"] == NOTHING_IN_THREAD.replace("<", "&lt;").replace(">", "&gt;")


async def test_a_bare_mention_outside_a_thread_gives_usage(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}>")
    (post,) = await eventually(lambda: posts(standin))
    assert post["thread_ts"] == MENTION_TS
    assert "/passback" in json.dumps(post["blocks"])
    assert standin.sent("conversations.replies") == []


async def test_a_direct_message_is_answered_in_the_conversation(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    await server.event("message_im.json", text=KIMONO)
    (post,) = await eventually(lambda: posts(standin))
    assert post["channel"] == "D0TEACHER1"
    assert "thread_ts" not in post
    assert "Kimono Job Error" in json.dumps(post["blocks"])


@pytest.mark.parametrize(
    ("event", "as_mention"),
    [
        ({"user": BOT_USER_ID}, True),  # our own message
        ({"bot_id": BOT_ID, "subtype": "bot_message"}, True),  # our own, as a bot message
        ({"bot_id": "B0OTHERBOT", "subtype": "bot_message", "user": None}, True),  # another bot
        ({"bot_id": "B0OTHERBOT"}, True),  # another bot, posting as its own user
        ({"subtype": "message_changed"}, False),  # an edit in the DM
        ({"subtype": "channel_join"}, False),
    ],
)
async def test_bots_and_changes_are_never_answered(
    server: SlackTestServer, standin: SlackStandIn, event: dict, as_mention: bool
) -> None:
    reply = await server.event("message_im.json", text=KIMONO, **event)
    assert reply.status == 200
    if as_mention:
        reply = await server.event("app_mention.json", text=f"<@{BOT_USER_ID}> {KIMONO}", **event)
        assert reply.status == 200
    await standin.settle()
    assert posts(standin) == []


async def test_a_retried_event_is_answered_once(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    text = f"<@{BOT_USER_ID}> {KIMONO}"
    first = await server.event("app_mention.json", event_id="Ev0RETRY0001", text=text)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    again = await server.event(
        "app_mention.json", event_id="Ev0RETRY0001", text=text, headers=retry
    )
    assert first.status == again.status == 200
    await eventually(lambda: posts(standin))
    await standin.settle()
    assert len(posts(standin)) == 1


async def test_an_event_is_answered_once_across_a_restart_and_two_instances(
    start_server, standin: SlackStandIn
) -> None:
    text = f"<@{BOT_USER_ID}> {KIMONO}"
    one = await start_server()
    two = await start_server()  # a second instance over the same store
    await one.event("app_mention.json", event_id="Ev0TWICE0001", text=text)
    await eventually(lambda: posts(standin))
    await two.event("app_mention.json", event_id="Ev0TWICE0001", text=text)
    await one.stop()
    three = await start_server()  # after a restart
    await three.event("app_mention.json", event_id="Ev0TWICE0001", text=text)
    await standin.settle()
    assert len(posts(standin)) == 1


async def test_a_429_from_the_web_api_is_retried_after_retry_after(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    standin.rate_limits["chat.postMessage"] = 1
    standin.retry_after = 1
    await server.event("message_im.json", text=KIMONO)
    first, second = await eventually(
        lambda: (
            len(standin.sent("chat.postMessage")) >= 2
            and [c for c in standin.calls if c.method == "chat.postMessage"]
        )
    )
    assert second.args == first.args  # the same message, sent again…
    assert second.at - first.at >= 1.0  # …after waiting as long as Slack asked
    await standin.settle()
    assert len(standin.sent("chat.postMessage")) == 2


async def test_a_failure_while_answering_is_said_in_words_and_logged_without_text(
    server: SlackTestServer, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    standin.failures["conversations.replies"] = "missing_scope"
    standin.threads[("C0HELPDESK", PARENT_TS)] = [
        {"type": "message", "user": "U0TEACHER2", "text": f"{EXCHANGE} s842620", "ts": PARENT_TS}
    ]
    await server.event("app_mention.json", text=f"<@{BOT_USER_ID}>", thread_ts=PARENT_TS)
    (post,) = await eventually(lambda: posts(standin))
    assert post["thread_ts"] == PARENT_TS
    assert post["text"] == COULD_NOT_ANALYSE
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "answering a mention failed: SlackApiError(missing_scope)" in logged
    for secret in ("fv5-v10-zze", "s842620", BOT_TOKEN, "EXCHANGE_ERROR", "xoxb-"):
        assert secret not in logged


async def test_a_dropped_connection_to_the_web_api_is_retried(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    standin.drops["chat.postMessage"] = 1
    await server.event("message_im.json", text=KIMONO)
    await eventually(lambda: len(standin.sent("chat.postMessage")) >= 2)
    await standin.settle()
    first, second = standin.sent("chat.postMessage")
    assert first == second and "Kimono Job Error" in second["text"]


async def test_a_rejected_answer_is_followed_by_words(
    server: SlackTestServer, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    standin.failures["chat.postMessage"] = "invalid_blocks"
    standin.failures_left["chat.postMessage"] = 1
    await server.event("message_im.json", text=f"{EXCHANGE} s842620")
    await eventually(lambda: len(posts(standin)) >= 2)
    told = posts(standin)[-1]
    assert told["channel"] == "D0TEACHER1" and told["text"] == COULD_NOT_ANALYSE
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "answering a direct message failed: SlackApiError(invalid_blocks)" in logged
    assert "s842620" not in logged and "fv5-v10-zze" not in logged
