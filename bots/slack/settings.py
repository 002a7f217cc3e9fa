"""Slack's settings: which variables turn it on, and which mode (Socket Mode or HTTP) it runs in.

Slack is off when none of its variables are set. It is on in Socket Mode when `SLACK_BOT_TOKEN`
and `SLACK_APP_TOKEN` are set (no public URL needed; the signing secret is not used), and in HTTP
mode when `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET` are set. Anything in between is a
start-up problem, said in words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_API_URL = "https://slack.com/api/"
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{4,30}$")
HOW_TO_TURN_ON = (
    "Slack is off: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode, no public URL needed) "
    "or SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP, events at POST /slack/events) to turn "
    'it on; see "Install in Slack" in the README.'
)


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: str = field(repr=False)
    signing_secret: str = field(repr=False)
    app_token: str = field(repr=False)  # "" for HTTP mode
    api_url: str  # base URL of the Web API, ending in "/"
    # Channel id that receives escalations, or "". Checked here so a "#name" is caught at
    # start-up; the escalation service (EscalationSettings) is what posts there.
    escalation_channel: str

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str], problems: list[str]) -> SlackSettings | None:
        """The settings, or None when Slack is off. Problems are appended as sentences."""
        bot_token = env.get("SLACK_BOT_TOKEN", "").strip()
        secret = env.get("SLACK_SIGNING_SECRET", "").strip()
        app_token = env.get("SLACK_APP_TOKEN", "").strip()
        channel = env.get("PASSBACK_SLACK_ESCALATION_CHANNEL", "").strip()
        raw_api_url = env.get("SLACK_API_URL", "").strip()
        if not (bot_token or secret or app_token):
            # A channel without a token is reported by EscalationSettings, which posts there.
            return None

        before = len(problems)
        if not bot_token:
            what = "SLACK_APP_TOKEN" if app_token else "SLACK_SIGNING_SECRET"
            problems.append(
                f"{what} is set but SLACK_BOT_TOKEN is not: copy the Bot User OAuth Token "
                "(xoxb-...) from your Slack app's OAuth & Permissions page"
            )
        elif not bot_token.startswith("xoxb-"):
            problems.append(
                "SLACK_BOT_TOKEN must be the Bot User OAuth Token, which starts with xoxb- "
                "(from your Slack app's OAuth & Permissions page)"
            )
        if app_token and not app_token.startswith("xapp-"):
            problems.append(
                "SLACK_APP_TOKEN must be an app-level token starting with xapp- with the "
                "connections:write scope (Basic Information > App-Level Tokens)"
            )
        if bot_token and not app_token and not secret:
            problems.append(
                "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: HTTP mode needs both "
                "(Basic Information > App Credentials > Signing Secret), or set SLACK_APP_TOKEN "
                "to use Socket Mode instead"
            )
        if secret and len(secret) < 16:
            problems.append(
                "SLACK_SIGNING_SECRET is too short to be a Slack app's Signing Secret (32 "
                "characters, from Basic Information > App Credentials)"
            )
        api_url = _api_url(raw_api_url)
        if channel and not _CHANNEL_ID.match(channel):
            problems.append(
                f"PASSBACK_SLACK_ESCALATION_CHANNEL must be a channel id like C0123456789, not "
                f"{channel!r} (in Slack, open the channel's details: the id is at the bottom)"
            )
        if len(problems) > before:
            return None
        return cls(
            bot_token=bot_token,
            signing_secret=secret,
            app_token=app_token,
            api_url=api_url,
            escalation_channel=channel,
        )


def _api_url(raw: str) -> str:
    """The base URL ending in "/". A bad value is reported once, by EscalationSettings, which
    reads the same variable for its own deliveries; here it falls back to Slack's."""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return DEFAULT_API_URL
    return raw.rstrip("/") + "/"
