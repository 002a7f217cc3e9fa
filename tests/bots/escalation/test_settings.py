"""EscalationSettings.from_env: defaults, every destination, and every mistake in words."""

from __future__ import annotations

import pytest

from bots.config import ConfigError, load_settings
from bots.escalation.settings import EscalationSettings, redact_url


def settings(env: dict[str, str]) -> tuple[EscalationSettings, list[str]]:
    problems: list[str] = []
    return EscalationSettings.from_env(env, problems), problems


def test_defaults_need_no_setup():
    found, problems = settings({})
    assert problems == []
    assert found.database_url == "sqlite:///data/passback.sqlite3"
    assert found.window_hours == 24 and found.destinations == ()
    assert found.slack_api_url == "https://slack.com/api/"
    found, _ = settings({"PASSBACK_DATA_DIR": "/var/lib/passback"})
    assert found.database_url == "sqlite:////var/lib/passback/passback.sqlite3"


def test_every_destination():
    found, problems = settings(
        {
            "PASSBACK_DATABASE_URL": "postgresql://passback:s3cret@db.internal/passback",
            "PASSBACK_ESCALATION_WINDOW_HOURS": "6.5",
            "PASSBACK_SLACK_ESCALATION_CHANNEL": "C0SUPPORT1",
            "SLACK_BOT_TOKEN": "xoxb-1-2-abc",  # Slack's own settings, which it reads
            "SLACK_SIGNING_SECRET": "0123456789abcdef0123456789abcdef",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "PASSBACK_TEAMS_ESCALATION_WEBHOOK_URL": "https://prod.westus.logic.azure.com/wf?sig=x",
            "PASSBACK_ESCALATION_WEBHOOK_URL": "https://tickets.example.org/hooks/passback",
            "PASSBACK_ESCALATION_WEBHOOK_SECRET": "0123456789abcdef0123",
            "PASSBACK_SMTP_HOST": "smtp.example.org",
            "PASSBACK_SMTP_USER": "passback",
            "PASSBACK_SMTP_PASSWORD": "pw with spaces",
            "PASSBACK_SMTP_FROM": "Passback <passback@example.org>",
            "PASSBACK_ESCALATION_EMAIL_TO": "sis@example.org, Admins <admins@example.org>",
        }
    )
    assert problems == []
    assert found.destinations == ("slack", "teams", "webhook", "email")
    assert found.window_hours == 6.5 and found.slack_api_url == "http://127.0.0.1:9999/api/"
    assert found.smtp is not None
    assert found.smtp.port == 587 and found.smtp.starttls is True
    assert found.smtp.to == ("sis@example.org", "admins@example.org")
    shown = repr(found) + found.describe_destinations() + found.database_label
    for secret in ("s3cret", "xoxb-1-2-abc", "sig=x", "0123456789abcdef0123", "pw with spaces"):
        assert secret not in shown
    assert "Slack channel C0SUPPORT1" in found.describe_destinations()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PASSBACK_DATABASE_URL": "mysql://u:pw@h/db"}, "PASSBACK_DATABASE_URL must start with"),
        ({"PASSBACK_ESCALATION_WINDOW_HOURS": "soon"}, "PASSBACK_ESCALATION_WINDOW_HOURS must be"),
        ({"PASSBACK_ESCALATION_WINDOW_HOURS": "0"}, "PASSBACK_ESCALATION_WINDOW_HOURS must be"),
        ({"PASSBACK_ESCALATION_WINDOW_HOURS": "nan"}, "PASSBACK_ESCALATION_WINDOW_HOURS must be"),
        ({"PASSBACK_SLACK_ESCALATION_CHANNEL": "C0SUPPORT1"}, "SLACK_BOT_TOKEN is not"),
        (
            {"PASSBACK_SLACK_ESCALATION_CHANNEL": "#help"},
            "must be a channel id like C0123456789, not '#help'",
        ),
        (
            {"PASSBACK_TEAMS_ESCALATION_WEBHOOK_URL": "http://teams.example.org/x"},
            "PASSBACK_TEAMS_ESCALATION_WEBHOOK_URL must be an https:// URL",
        ),
        (
            {"PASSBACK_ESCALATION_WEBHOOK_URL": "https://t.example.org/h"},
            "PASSBACK_ESCALATION_WEBHOOK_SECRET is not",
        ),
        ({"PASSBACK_ESCALATION_WEBHOOK_SECRET": "short"}, "at least 16 characters"),
        ({"PASSBACK_ESCALATION_EMAIL_TO": "a@b.org"}, "PASSBACK_SMTP_HOST is not"),
        (
            {"PASSBACK_SMTP_HOST": "smtp.x.org", "PASSBACK_ESCALATION_EMAIL_TO": "a@b.org"},
            "PASSBACK_SMTP_FROM must be",
        ),
        (
            {"PASSBACK_SMTP_HOST": "smtp.x.org", "PASSBACK_SMTP_FROM": "p@x.org"},
            "PASSBACK_ESCALATION_EMAIL_TO must list",
        ),
        (
            {
                "PASSBACK_SMTP_HOST": "smtp.x.org",
                "PASSBACK_SMTP_FROM": "p@x.org",
                "PASSBACK_ESCALATION_EMAIL_TO": "a@b.org, not an address",
            },
            "PASSBACK_ESCALATION_EMAIL_TO must list",
        ),
        (
            {
                "PASSBACK_SMTP_HOST": "h",
                "PASSBACK_SMTP_PORT": "99999",
                "PASSBACK_SMTP_FROM": "p@x.org",
                "PASSBACK_ESCALATION_EMAIL_TO": "a@b.org",
            },
            "PASSBACK_SMTP_PORT must be",
        ),
        (
            {
                "PASSBACK_SMTP_HOST": "h",
                "PASSBACK_SMTP_STARTTLS": "maybe",
                "PASSBACK_SMTP_FROM": "p@x.org",
                "PASSBACK_ESCALATION_EMAIL_TO": "a@b.org",
            },
            "PASSBACK_SMTP_STARTTLS must be on or off",
        ),
        (
            {
                "PASSBACK_SMTP_HOST": "h",
                "PASSBACK_SMTP_USER": "u",
                "PASSBACK_SMTP_FROM": "p@x.org",
                "PASSBACK_ESCALATION_EMAIL_TO": "a@b.org",
            },
            "PASSBACK_SMTP_PASSWORD is not",
        ),
    ],
)
def test_each_mistake_is_one_sentence_and_never_raises(env: dict[str, str], expected: str):
    _, problems = settings(env)
    assert len(problems) == 1 and expected in problems[0]
    assert "pw@" not in problems[0]


def test_starttls_can_be_turned_off_for_a_local_relay():
    found, problems = settings(
        {
            "PASSBACK_SMTP_HOST": "localhost",
            "PASSBACK_SMTP_PORT": "25",
            "PASSBACK_SMTP_STARTTLS": "off",
            "PASSBACK_SMTP_FROM": "passback@district.example.org",
            "PASSBACK_ESCALATION_EMAIL_TO": "support@district.example.org",
        }
    )
    assert problems == [] and found.smtp is not None
    assert found.smtp.starttls is False and found.smtp.port == 25


def test_load_settings_includes_escalation_and_lists_its_problems():
    assert load_settings({}).escalation == EscalationSettings.from_env({}, [])
    with pytest.raises(ConfigError) as caught:
        load_settings({"PASSBACK_ESCALATION_WINDOW_HOURS": "-1", "PORT": "x"})
    assert len(caught.value.problems) == 2


def test_redact_url():
    assert (
        redact_url("postgresql://u:p4ss@h:5432/db?sslmode=require")
        == "postgresql://u:***@h:5432/db"
    )
    assert redact_url("sqlite:///data/passback.sqlite3") == "sqlite:///data/passback.sqlite3"
