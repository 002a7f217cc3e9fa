"""Escalation settings: where cases are stored and where they are delivered.

Read from the environment by `EscalationSettings.from_env(env, problems)`, which appends one
sentence per invalid value to `problems` and never raises, so start-up lists every mistake at once.
Secrets (bot token, webhook secret, SMTP password, a password in the database URL) never appear in
a repr or a log line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

from bots.masking import SECRET_URL, redact_url
from bots.slack.settings import DEFAULT_API_URL, SlackSettings

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{4,30}$")
DEFAULT_WINDOW_HOURS = 24.0
DEFAULT_SMTP_PORT = 587
_ON = ("1", "true", "yes", "on")
_OFF = ("0", "false", "no", "off")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    sender: str  # PASSBACK_SMTP_FROM
    to: tuple[str, ...]  # PASSBACK_ESCALATION_EMAIL_TO, comma-separated
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True


@dataclass(frozen=True, slots=True)
class EscalationSettings:
    database_url: str = field(repr=False, metadata=SECRET_URL)  # may carry a password
    window_hours: float = DEFAULT_WINDOW_HOURS
    slack_channel: str = ""
    slack_bot_token: str = field(default="", repr=False)
    slack_api_url: str = DEFAULT_API_URL
    # Workflows URLs carry a signature (`sig=`), a ticket system's URL may carry a token.
    teams_webhook_url: str = field(default="", repr=False, metadata=SECRET_URL)
    webhook_url: str = field(default="", repr=False, metadata=SECRET_URL)
    webhook_secret: str = field(default="", repr=False)
    smtp: SmtpSettings | None = None
    # Delivery tuning; not read from the environment, tests shorten them.
    poll_seconds: float = 2.0
    delivery_timeout_seconds: float = 15.0
    lease_seconds: float = 120.0  # a claimed delivery whose worker died is retried after this
    retry_base_seconds: float = 5.0
    retry_max_seconds: float = 1800.0
    max_attempts: int = 60  # about a day at the cap; then the delivery is marked failed
    draft_days: float = 30.0  # how long an Escalate button keeps working
    event_days: float = 3.0  # how long claim_event remembers a key

    @property
    def destinations(self) -> tuple[str, ...]:
        """The configured destinations, in delivery order."""
        found = []
        if self.slack_channel:
            found.append("slack")
        if self.teams_webhook_url:
            found.append("teams")
        if self.webhook_url:
            found.append("webhook")
        if self.smtp is not None:
            found.append("email")
        return tuple(found)

    @property
    def database_label(self) -> str:
        """The database URL with any password replaced by ***, safe to print."""
        return redact_url(self.database_url)

    def describe_destinations(self) -> str:
        """The start-up sentence about where cases go (names only: URLs may hold secrets)."""
        if not self.destinations:
            return (
                "No escalation destination is configured: cases stay in the database "
                f"({self.database_label}); `passback escalations list` shows them."
            )
        parts = []
        for name in self.destinations:
            if name == "slack":
                parts.append(f"Slack channel {self.slack_channel}")
            elif name == "teams":
                parts.append("a Teams channel webhook")
            elif name == "webhook":
                parts.append("a signed JSON webhook")
            elif name == "email" and self.smtp is not None:
                parts.append(f"e-mail to {len(self.smtp.to)} address(es)")
        return f"Escalated cases go to: {', '.join(parts)} (stored in {self.database_label})."

    @classmethod
    def from_env(
        cls, env: Mapping[str, str], problems: list[str], slack: SlackSettings | None = None
    ) -> EscalationSettings:
        """`slack`: Slack's settings, which own its token and API URL (read here when not
        given); the support channel is this class's."""
        if slack is None:
            slack = SlackSettings.from_env(env, [])  # its problems are reported by load_settings

        def get(name: str) -> str:
            return env.get(name, "").strip()

        database_url = get("PASSBACK_DATABASE_URL")
        if not database_url:
            data_dir = Path(get("PASSBACK_DATA_DIR") or "data")
            database_url = f"sqlite:///{data_dir / 'passback.sqlite3'}"
        elif database_url.startswith("sqlite:///") and not database_url[len("sqlite:///") :]:
            problems.append(
                "PASSBACK_DATABASE_URL names no file: give a path after sqlite:///, like "
                "sqlite:///data/passback.sqlite3"
            )
        elif not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            problems.append(
                "PASSBACK_DATABASE_URL must start with postgresql://, postgres:// or sqlite:///, "
                f"not {redact_url(database_url)!r}"
            )

        window = DEFAULT_WINDOW_HOURS
        raw_window = get("PASSBACK_ESCALATION_WINDOW_HOURS")
        if raw_window:
            try:
                window = float(raw_window)
            except ValueError:
                window = -1.0
            if not (math.isfinite(window) and 0 < window <= 24 * 366):
                problems.append(
                    "PASSBACK_ESCALATION_WINDOW_HOURS must be a number of hours above 0 and up to "
                    f"a year, not {raw_window!r}"
                )
                window = DEFAULT_WINDOW_HOURS

        slack_channel = get("PASSBACK_SLACK_ESCALATION_CHANNEL")
        if slack_channel and not _CHANNEL_ID.match(slack_channel):
            problems.append(
                f"PASSBACK_SLACK_ESCALATION_CHANNEL must be a channel id like C0123456789, not "
                f"{slack_channel!r} (in Slack, open the channel's details: the id is at the bottom)"
            )
        elif slack_channel and not SlackSettings.token_given(env):
            problems.append(
                "PASSBACK_SLACK_ESCALATION_CHANNEL is set but SLACK_BOT_TOKEN is not: the bot "
                "needs its token to post cases to that channel"
            )
        token = slack.bot_token if slack is not None else ""
        slack_api_url = slack.api_url if slack is not None else DEFAULT_API_URL

        teams_url = get("PASSBACK_TEAMS_ESCALATION_WEBHOOK_URL")
        if teams_url and not _web_url(teams_url, "PASSBACK_TEAMS_ESCALATION_WEBHOOK_URL", problems):
            teams_url = ""
        webhook_url = get("PASSBACK_ESCALATION_WEBHOOK_URL")
        if webhook_url and not _web_url(webhook_url, "PASSBACK_ESCALATION_WEBHOOK_URL", problems):
            webhook_url = ""
        secret = get("PASSBACK_ESCALATION_WEBHOOK_SECRET")
        if webhook_url and not secret:
            problems.append(
                "PASSBACK_ESCALATION_WEBHOOK_URL is set but PASSBACK_ESCALATION_WEBHOOK_SECRET is "
                "not: every webhook body is signed with that secret"
            )
        if secret and len(secret) < 16:
            problems.append("PASSBACK_ESCALATION_WEBHOOK_SECRET must be at least 16 characters")

        return cls(
            database_url=database_url,
            window_hours=window,
            slack_channel=slack_channel,
            slack_bot_token=token,
            slack_api_url=slack_api_url,
            teams_webhook_url=teams_url,
            webhook_url=webhook_url,
            webhook_secret=secret,
            smtp=_smtp_from_env(get, problems),
        )


def _smtp_from_env(get: Callable[[str], str], problems: list[str]) -> SmtpSettings | None:
    host = get("PASSBACK_SMTP_HOST")
    to_raw = get("PASSBACK_ESCALATION_EMAIL_TO")
    if not host:
        if to_raw:
            problems.append("PASSBACK_ESCALATION_EMAIL_TO is set but PASSBACK_SMTP_HOST is not")
        return None
    port = DEFAULT_SMTP_PORT
    raw_port = get("PASSBACK_SMTP_PORT")
    if raw_port:
        if raw_port.isdigit() and 1 <= int(raw_port) <= 65535:
            port = int(raw_port)
        else:
            problems.append(
                f"PASSBACK_SMTP_PORT must be a number from 1 to 65535, not {raw_port!r}"
            )
    starttls = True
    raw_tls = get("PASSBACK_SMTP_STARTTLS").lower()
    if raw_tls in _OFF:
        starttls = False
    elif raw_tls and raw_tls not in _ON:
        problems.append(f"PASSBACK_SMTP_STARTTLS must be on or off, not {raw_tls!r}")
    sender = get("PASSBACK_SMTP_FROM")
    if not _addresses(sender):
        problems.append(
            "PASSBACK_SMTP_HOST is set, so PASSBACK_SMTP_FROM must be the sender's e-mail address"
        )
    to = _addresses(to_raw)
    if not to:
        problems.append(
            "PASSBACK_SMTP_HOST is set, so PASSBACK_ESCALATION_EMAIL_TO must list where cases go "
            "(e-mail addresses separated by commas)"
        )
    user, password = get("PASSBACK_SMTP_USER"), get("PASSBACK_SMTP_PASSWORD")
    if user and not password:
        problems.append("PASSBACK_SMTP_USER is set but PASSBACK_SMTP_PASSWORD is not")
    return SmtpSettings(
        host=host,
        port=port,
        sender=sender,
        to=to,
        user=user,
        password=password,
        starttls=starttls,
    )


def _addresses(raw: str) -> tuple[str, ...]:
    if not raw:
        return ()
    found = []
    for _name, address in getaddresses([raw]):
        local, at, domain = address.partition("@")
        if not (local and at and "." in domain) or any(c.isspace() for c in address):
            return ()
        found.append(address)
    return tuple(found)


def _web_url(url: str, name: str, problems: list[str]) -> bool:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return True
    if parts.scheme == "http" and host in _LOOPBACK:  # a local relay or a test stand-in
        return True
    problems.append(f"{name} must be an https:// URL, not {redact_url(url)!r}")
    return False
