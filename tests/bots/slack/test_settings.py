"""Slack's variables: off, Socket Mode, HTTP, and every half-configuration said in words."""

from __future__ import annotations

import pytest

from bots.slack.settings import DEFAULT_API_URL, HOW_TO_TURN_ON, SlackSettings

BOT = "xoxb-1111-2222-abcdefabcdef"
APP = "xapp-1-A0PASSBACK-3333-abcdef"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def settings(env: dict[str, str]) -> tuple[SlackSettings | None, list[str]]:
    problems: list[str] = []
    return SlackSettings.from_env(env, problems), problems


def test_off_when_nothing_is_set() -> None:
    found, problems = settings({})
    assert found is None and problems == []
    assert "SLACK_BOT_TOKEN" in HOW_TO_TURN_ON and "SLACK_APP_TOKEN" in HOW_TO_TURN_ON


def test_http_mode_with_token_and_secret() -> None:
    found, problems = settings({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET})
    assert problems == []
    assert found is not None and not found.socket_mode
    assert found.api_url == DEFAULT_API_URL


def test_socket_mode_needs_no_signing_secret() -> None:
    found, problems = settings({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP})
    assert problems == []
    assert found is not None and found.socket_mode


def test_token_without_secret_is_a_problem_in_words() -> None:
    found, problems = settings({"SLACK_BOT_TOKEN": BOT})
    assert found is None
    assert len(problems) == 1
    assert "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not" in problems[0]
    assert "SLACK_APP_TOKEN" in problems[0]  # says the other way to turn it on


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"SLACK_SIGNING_SECRET": SECRET},
            "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not",
        ),
        ({"SLACK_APP_TOKEN": APP}, "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not"),
        (
            {"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": SECRET},
            "starts with xoxb-",
        ),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": "xoxb-wrong"}, "starting with xapp-"),
        (
            {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP, "SLACK_API_URL": "ftp://slack"},
            "SLACK_API_URL must be an https:// URL",
        ),
    ],
)
def test_half_configurations(env: dict[str, str], expected: str) -> None:
    found, problems = settings(env)
    assert found is None
    assert any(expected in p for p in problems), problems


def test_secrets_never_show_in_repr() -> None:
    found, _ = settings(
        {"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET, "SLACK_APP_TOKEN": APP}
    )
    shown = repr(found)
    assert BOT not in shown and SECRET not in shown and APP not in shown


def test_api_url_gets_its_trailing_slash() -> None:
    found, problems = settings(
        {
            "SLACK_BOT_TOKEN": BOT,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
        }
    )
    assert problems == []
    assert found is not None
    assert found.api_url == "http://127.0.0.1:9999/api/"
