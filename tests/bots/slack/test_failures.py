"""A failure's log line names the error and where it happened, never its message."""

from __future__ import annotations

import logging

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bots.escalation.model import CaseNotFound
from bots.slack.failures import (
    COULD_NOT_ANALYSE,
    COULD_NOT_FINISH,
    ResponseUrlRefused,
    describe,
    log_failure,
    telling_failures,
)

PASTED = "Unable to process score for s842620; token xoxb-1111-2222-secret"


def parse(text: str) -> None:
    raise ValueError(f"could not parse {text!r}")


def fail(exc: Exception) -> None:
    raise exc


class Said:
    """What a listener told the user."""

    def __init__(self) -> None:
        self.sentences: list[str] = []

    async def say(self, sentence: str) -> None:
        self.sentences.append(sentence)


def test_the_log_has_the_type_and_frames_not_the_message(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("test.slack.failures")
    try:
        try:
            parse(PASTED)
        except ValueError as inner:
            raise RuntimeError(f"answering {PASTED}") from inner
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR):
            log_failure(log, "answering a mention", exc, channel="C0HELPDESK")
    line = caplog.records[-1].getMessage()
    assert "answering a mention failed: RuntimeError (caused by ValueError)" in line
    assert "channel=C0HELPDESK" in line
    assert "parse (" in line  # where it happened
    assert "s842620" not in line and "xoxb" not in line and "Unable" not in line


def test_slack_api_errors_are_named_by_their_code() -> None:
    response = AsyncSlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/conversations.replies",
        req_args={},
        data={"ok": False, "error": "missing_scope", "needed": "channels:history"},
        headers={},
        status_code=200,
    )
    exc = SlackApiError("The request to the Slack API failed.", response)
    assert describe(exc) == "SlackApiError(missing_scope)"
    assert describe(KeyError("s12345")) == "KeyError"


def test_an_error_without_a_json_body_is_still_named() -> None:
    response = AsyncSlackResponse(
        client=None,
        http_verb="GET",
        api_url="https://slack.com/api/chat.getPermalink",
        req_args={},
        data="405: Method Not Allowed",  # type: ignore[arg-type]
        headers={},
        status_code=405,
    )
    assert describe(SlackApiError("failed", response)) == "SlackApiError(HTTP 405)"


async def test_a_failing_listener_is_logged_and_the_user_told_in_words(
    caplog: pytest.LogCaptureFixture,
) -> None:
    said = Said()
    with caplog.at_level(logging.ERROR):
        async with telling_failures("escalating", said.say, channel="C0HELPDESK"):
            parse(PASTED)
    assert said.sentences == [COULD_NOT_FINISH]
    (line,) = [r.getMessage() for r in caplog.records]
    assert "escalating failed: ValueError [channel=C0HELPDESK]" in line
    assert "s842620" not in line


async def test_an_escalation_error_is_told_in_its_own_words_and_not_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    said = Said()
    with caplog.at_level(logging.ERROR):
        async with telling_failures("changing a case's status", said.say):
            fail(CaseNotFound("PB-9999"))
    assert said.sentences == ["There is no escalated case PB-9999."]
    assert caplog.records == []


async def test_when_telling_fails_too_both_are_logged_and_nothing_raises(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def say(sentence: str) -> None:
        raise ResponseUrlRefused(404, "expired_url")

    with caplog.at_level(logging.ERROR):
        async with telling_failures("sharing an answer", say, COULD_NOT_ANALYSE):
            fail(KeyError("s842620"))
    lines = [r.getMessage() for r in caplog.records]
    assert "sharing an answer failed: KeyError" in lines[0]
    assert "telling the user that sharing an answer went wrong failed: " in lines[1]
    assert "ResponseUrlRefused(HTTP 404 expired_url)" in lines[1]


async def test_work_that_succeeds_says_nothing() -> None:
    said = Said()
    async with telling_failures("escalating", said.say):
        pass
    assert said.sentences == []
