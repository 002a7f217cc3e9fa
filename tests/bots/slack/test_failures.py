"""A failure's log line names the error and where it happened, never its message."""

from __future__ import annotations

import logging

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bots.slack.failures import describe, log_failure

PASTED = "Unable to process score for s842620; token xoxb-1111-2222-secret"


def parse(text: str) -> None:
    raise ValueError(f"could not parse {text!r}")


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
