"""Every HTTP request is verified: missing, wrong or stale signatures get 401 and nothing else."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest

from tests.bots.slack.harness import SECRET, SlackTestServer, fixture, signature
from tests.bots.slack.standin import SlackStandIn

FORM = "application/x-www-form-urlencoded"
PASTE = "A Kimono Job has timed out and been cancelled. s842620"


async def test_url_verification_is_answered_with_the_challenge(server: SlackTestServer) -> None:
    body = json.dumps(fixture("url_verification.json")).encode()
    reply = await server.post(body, "application/json")
    assert reply.status == 200
    assert reply.json() == {"challenge": fixture("url_verification.json")["challenge"]}


@pytest.mark.parametrize(
    ("how", "secret", "offset"),
    [
        ("missing", None, 0),
        ("wrong secret", "not-the-signing-secret", 0),
        ("stale", SECRET, -6 * 60),
        ("from the future", SECRET, 6 * 60),
    ],
)
async def test_bad_signatures_get_401_and_no_processing(
    server: SlackTestServer,
    standin: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
    how: str,
    secret: str | None,
    offset: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    # The timestamp is taken now, not at import.
    kwargs: dict[str, Any] = {"secret": secret, "timestamp": int(time.time()) + offset}
    command = server.command_body(PASTE, "bad")
    event = server.event_body("app_mention.json", text=f"<@U0PASSBACK> {PASTE}")
    for body, kind in ((command, FORM), (event, "application/json")):
        reply = await server.post(body, kind, **kwargs)
        assert reply.status == 401, how
        assert "Kimono" not in reply.text
    verification = json.dumps(fixture("url_verification.json")).encode()
    assert (await server.post(verification, "application/json", **kwargs)).status == 401
    await standin.settle()
    assert standin.calls == [] and standin.responses == []  # not even auth.test
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused a request with a missing, wrong or stale signature" in logged
    assert "Kimono" not in logged and "s842620" not in logged


async def test_a_signature_for_another_body_is_refused(
    server: SlackTestServer, standin: SlackStandIn
) -> None:
    signed_for = server.command_body("help", "a")
    sent = server.command_body(PASTE, "b")
    ts = str(int(time.time()))
    headers = {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(SECRET, ts, signed_for),
    }
    reply = await server.post(
        sent, "application/x-www-form-urlencoded", secret=None, headers=headers
    )
    assert reply.status == 401
    await standin.settle()
    assert standin.responses == []


async def test_a_garbled_timestamp_is_a_401_not_a_500(server: SlackTestServer) -> None:
    body = server.command_body(PASTE, "c")
    headers = {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=00"}
    reply = await server.post(
        body, "application/x-www-form-urlencoded", secret=None, headers=headers
    )
    assert reply.status == 401
