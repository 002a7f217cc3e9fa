"""`passback serve` as a real process: Slack off, half-configured, and answering a command."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from tests.bots.slack.harness import BOT_TOKEN, SECRET, fixture, signed_command
from tests.bots.slack.standin import SlackStandIn
from tests.polling import eventually
from tests.processes import Processes

KIMONO = "A Kimono Job has timed out and been cancelled."


async def test_a_token_without_a_secret_stops_start_up_in_words(processes: Processes) -> None:
    refused = processes.start({"SLACK_BOT_TOKEN": BOT_TOKEN})
    assert await refused.exited(60) == 1  # as `passback config check` says it
    assert "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not" in refused.err
    assert "Traceback" not in refused.output
    assert BOT_TOKEN not in refused.output


async def test_slack_off_says_how_to_turn_it_on(processes: Processes) -> None:
    served = await processes.serve()
    await served.stop()
    assert "Slack is off: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN" in served.output
    (banner,) = banner_records(served.output)
    assert banner["slack"] == 'off (see "Install in Slack" in the README)'


async def test_the_real_process_answers_a_signed_slash_command(
    processes: Processes, standin: SlackStandIn
) -> None:
    served = await processes.serve(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.api_url,
        }
    )
    body, headers = signed_command(KIMONO, standin.response_url("process"))
    async with aiohttp.ClientSession() as session:
        url = f"{served.url}/slack/events"
        async with session.post(url, data=body, headers=headers) as response:
            assert response.status == 200
    (answer,) = await eventually(lambda: standin.responded("process"), within=30)
    assert "Kimono Job Error" in answer["text"]
    await served.stop()
    said = served.output
    assert "slack: on (HTTP, POST /slack/events)" in said
    assert BOT_TOKEN not in said and SECRET not in said
    assert "and been cancelled" not in said  # the log never has the pasted text


def banner_records(output: str) -> list[dict[str, Any]]:
    """The start-up banner's log records; every line of the output must be a JSON object."""
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    return [r for r in records if r["message"].startswith("passback is running on ")]


async def test_the_banner_is_a_log_record_when_not_on_a_terminal(processes: Processes) -> None:
    """Under a container or systemd every line goes to a log pipeline that parses it."""
    served = await processes.serve({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET})
    await served.stop()
    port = served.port
    (banner,) = banner_records(served.output)
    assert banner["message"].startswith(f"passback is running on http://127.0.0.1:{port} with ")
    assert banner["slack"] == f"http://127.0.0.1:{port}/slack/events (the app's Request URL)"
    assert banner["health_check"] == f"curl http://127.0.0.1:{port}/healthz"


async def test_the_real_process_answers_a_command_over_socket_mode(
    processes: Processes, standin: SlackStandIn
) -> None:
    served = await processes.serve(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": "xapp-1-A0PASSBACK-1000-e2eTestAppTokenNotReal",
            "SLACK_API_URL": standin.api_url,
        }
    )
    envelope = fixture("socket_mode_slash_command.json")
    envelope["payload"].update(text=KIMONO, response_url=standin.response_url("socket"))
    await standin.socket_send(envelope)
    (answer,) = await eventually(lambda: standin.responded("socket"), within=30)
    assert "Kimono Job Error" in answer["text"]
    # The ack and the answer travel on different connections: on a busy machine the stand-in
    # may read the answer first, so wait for the ack rather than expect it already there.
    acks = await eventually(lambda: standin.socket_acks, within=10)
    assert [a["envelope_id"] for a in acks] == [envelope["envelope_id"]]
    await served.stop()
    assert "slack: connected in Socket Mode" in served.output
    assert "Traceback" not in served.err
