"""Canvas configuration from the environment, and the client it opens.

PASSBACK_CANVAS_URL (https; http only for a loopback host, for tests); the token, either fixed
(PASSBACK_CANVAS_TOKEN) or refreshed through a scoped developer key
(PASSBACK_CANVAS_CLIENT_ID, PASSBACK_CANVAS_CLIENT_SECRET, PASSBACK_CANVAS_REFRESH_TOKEN); and
optional PASSBACK_CANVAS_ADMINS (comma-separated e-mails). Unset: Canvas is off and every
answer is the catalog's alone.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # reading settings must not import aiohttp (`passback match` stays light)
    import aiohttp

    from canvas.api import CanvasClient
    from canvas.transport import Limits, Observer


@dataclass(frozen=True, slots=True)
class CanvasSettings:
    url: str
    token: str = field(default="", repr=False)  # secret: masked by `config check`, never logged
    admins: tuple[str, ...] = ()
    client_id: str = ""  # the developer key's id, with the two below instead of `token`
    client_secret: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)

    @property
    def refreshed(self) -> bool:
        return bool(self.refresh_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str], problems: list[str]) -> CanvasSettings | None:
        url = env.get("PASSBACK_CANVAS_URL", "").strip().rstrip("/")
        token = env.get("PASSBACK_CANVAS_TOKEN", "").strip()
        key = {
            name: env.get(f"PASSBACK_CANVAS_{name.upper()}", "").strip()
            for name in ("client_id", "client_secret", "refresh_token")
        }
        admins = tuple(
            a.strip() for a in env.get("PASSBACK_CANVAS_ADMINS", "").split(",") if a.strip()
        )
        credentials = bool(token) or any(key.values())
        if not url and not credentials:
            if admins:
                problems.append("PASSBACK_CANVAS_ADMINS is set but Canvas is not configured")
            return None
        if not url:
            problems.append("PASSBACK_CANVAS_URL is needed too: Canvas needs its URL and a token")
            return None
        if token and any(key.values()):
            problems.append(
                "Set either PASSBACK_CANVAS_TOKEN or the developer key's PASSBACK_CANVAS_CLIENT_ID,"
                " _CLIENT_SECRET and _REFRESH_TOKEN, not both"
            )
            return None
        if not token:
            missing = [f"PASSBACK_CANVAS_{n.upper()}" for n, v in key.items() if not v]
            if len(missing) == 3:
                problems.append("PASSBACK_CANVAS_TOKEN is needed too: Canvas needs a token")
                return None
            if missing:
                problems.append(f"{', '.join(missing)} needed too, for the developer key")
                return None
        problem = url_problem(url)
        if problem:
            problems.append(problem)
            return None
        bad = [a for a in admins if "@" not in a]
        if bad:
            problems.append("PASSBACK_CANVAS_ADMINS must list e-mail addresses, comma-separated")
        return cls(url=url, token=token, admins=admins, **key)


def url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError for a port that is not a number 0-65535
    except ValueError:
        return "PASSBACK_CANVAS_URL is not a valid URL: its host or port is malformed"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"PASSBACK_CANVAS_URL must be an https:// URL, not {url!r}"
    if port == 0 or (parts.netloc.endswith(":") and port is None):
        return f"PASSBACK_CANVAS_URL has no usable port: {url!r}"
    if parts.username or parts.password or parts.query or parts.fragment:
        return "PASSBACK_CANVAS_URL must be just the Canvas address, like https://x.instructure.com"
    if parts.path not in ("", "/"):
        return "PASSBACK_CANVAS_URL must be the Canvas address without a path"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return "PASSBACK_CANVAS_URL must use https (http only for a loopback address, for tests)"
    return None


def is_loopback(hostname: str) -> bool:
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def version() -> str:
    try:
        return metadata.version("passback-bot")
    except metadata.PackageNotFoundError:
        return "0"


def open_client(
    settings: CanvasSettings,
    session: aiohttp.ClientSession,
    *,
    limits: Limits | None = None,
    observer: Observer | None = None,
) -> CanvasClient:
    from canvas import protocol
    from canvas.api import CanvasClient
    from canvas.tokens import RefreshedToken
    from canvas.transport import Transport

    agent = protocol.user_agent(version())
    token: str | RefreshedToken = settings.token
    if settings.refreshed:
        token = RefreshedToken(
            session,
            settings.url,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            refresh_token=settings.refresh_token,
            user_agent=agent,
        )
    transport = Transport(
        session,
        settings.url,
        token,
        user_agent=agent,
        limits=limits,
        observer=observer,
    )
    return CanvasClient(transport)
