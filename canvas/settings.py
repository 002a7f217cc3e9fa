"""Canvas configuration from the environment, and the client it opens.

PASSBACK_CANVAS_URL (https; http only for a loopback host, for tests), PASSBACK_CANVAS_TOKEN
and optional PASSBACK_CANVAS_ADMINS (comma-separated e-mails). Unset: Canvas is off and every
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
    token: str = field(repr=False)  # secret: masked by `passback config check`, never logged
    admins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str], problems: list[str]) -> CanvasSettings | None:
        url = env.get("PASSBACK_CANVAS_URL", "").strip().rstrip("/")
        token = env.get("PASSBACK_CANVAS_TOKEN", "").strip()
        admins = tuple(
            a.strip() for a in env.get("PASSBACK_CANVAS_ADMINS", "").split(",") if a.strip()
        )
        if not url and not token:
            if admins:
                problems.append("PASSBACK_CANVAS_ADMINS is set but Canvas is not configured")
            return None
        if not url or not token:
            missing = "PASSBACK_CANVAS_URL" if not url else "PASSBACK_CANVAS_TOKEN"
            problems.append(f"{missing} is needed too: Canvas needs both its URL and a token")
            return None
        problem = url_problem(url)
        if problem:
            problems.append(problem)
            return None
        bad = [a for a in admins if "@" not in a]
        if bad:
            problems.append("PASSBACK_CANVAS_ADMINS must list e-mail addresses, comma-separated")
        return cls(url=url, token=token, admins=admins)


def url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"PASSBACK_CANVAS_URL must be an https:// URL, not {url!r}"
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
    from canvas.transport import Transport

    transport = Transport(
        session,
        settings.url,
        settings.token,
        user_agent=protocol.user_agent(version()),
        limits=limits,
        observer=observer,
    )
    return CanvasClient(transport)
