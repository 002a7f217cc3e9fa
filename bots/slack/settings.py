"""Slack's settings: which variables turn it on, and which mode (Socket Mode or HTTP) it runs in.

Slack is off when none of its variables are set. It is on in Socket Mode when `SLACK_BOT_TOKEN`
and `SLACK_APP_TOKEN` are set (no public URL needed; the signing secret is not used), and in HTTP
mode when `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET` are set. Anything in between is a
start-up problem, said in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bots.masking import redact_url

DEFAULT_API_URL = "https://slack.com/api/"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
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

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str], problems: list[str]) -> SlackSettings | None:
        """The settings, or None when Slack is off. Problems are appended as sentences."""
        bot_token = env.get("SLACK_BOT_TOKEN", "").strip()
        secret = env.get("SLACK_SIGNING_SECRET", "").strip()
        app_token = env.get("SLACK_APP_TOKEN", "").strip()
        raw_api_url = env.get("SLACK_API_URL", "").strip()
        if not (bot_token or secret or app_token):
            # A support channel without a token is reported by EscalationSettings, which owns it.
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
        api_url = _api_url(raw_api_url, problems)
        if len(problems) > before:
            return None
        return cls(
            bot_token=bot_token,
            signing_secret=secret,
            app_token=app_token,
            api_url=api_url,
        )

    @staticmethod
    def token_given(env: Mapping[str, str]) -> bool:
        """Whether SLACK_BOT_TOKEN is set at all (its checks are from_env's)."""
        return bool(env.get("SLACK_BOT_TOKEN", "").strip())


def _api_url(raw: str, problems: list[str]) -> str:
    """The base URL ending in "/": https, or http on this machine (a test stand-in)."""
    if not raw:
        return DEFAULT_API_URL
    parts = urlsplit(raw)
    local = parts.scheme == "http" and (parts.hostname or "") in _LOOPBACK
    if not (parts.scheme == "https" and parts.hostname) and not local:
        problems.append(f"SLACK_API_URL must be an https:// URL, not {redact_url(raw)!r}")
        return DEFAULT_API_URL
    return raw.rstrip("/") + "/"
