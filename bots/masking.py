"""Secrets in settings and URLs, and student result ids: how each is recognised and masked.

A settings dataclass declares a secret on the field itself: `field(repr=False)` keeps it out
of a repr and marks it secret; `metadata=SECRET_URL` says the value is a URL whose secret parts
(a password, a signature or token in the query) are masked while the rest stays readable, so
`passback config check` can show where cases go without showing the key to send them there.
Everything that prints settings (`config check`, start-up checks) goes through `describe`.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

MASK = "****"
# A student result id as Infinite Campus writes it (s12345): student data, masked in logs and
# in whatever the bot shows a shared conversation.
STUDENT_ID = re.compile(r"(?<![A-Za-z0-9])[sS]\d{3,}(?![A-Za-z0-9])")
STUDENT_ID_MASK = "s[redacted]"
SECRET_URL = {"secret": "url"}  # field metadata: a URL with secret parts
# Query parameters that carry a credential: Teams Workflows' `sig`, SAS tokens' `sig`/`se`
# signatures, API keys and tokens, OAuth codes.
_SECRET_PARAM = re.compile(
    r"^(sig|signature|sv?sig|token|access_token|auth|authorization|code|key|api[-_]?key|"
    r"apikey|secret|client_secret|password|passwd|pwd|x-amz-signature|x-goog-signature)$",
    re.I,
)


def is_secret(spec: dataclasses.Field[Any]) -> bool:
    """A field the settings declared secret (`repr=False`, with or without SECRET_URL)."""
    return not spec.repr or spec.metadata.get("secret") is not None


def mask_url(url: str) -> str:
    """The URL with its password and the values of credential-carrying query parameters masked;
    scheme, host, port, path and the other parameters kept. A URL that cannot be read is masked
    whole."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return MASK
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:{MASK}@{netloc.rpartition('@')[2]}"
    query = "&".join(
        f"{quote(name, safe='-_.~')}="
        + (MASK if _SECRET_PARAM.match(name) else quote(value, safe="-_.~/:"))
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    fragment = MASK if parts.fragment else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def redact_url(url: str) -> str:
    """The URL without its password, query or fragment: for error messages and log lines."""
    if url.startswith("sqlite:///"):  # a file path: nothing secret in it
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(an unreadable URL)"
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:***@{netloc.rpartition('@')[2]}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def mask_setting(spec: dataclasses.Field[Any], value: Any) -> str:
    """One setting's value as it may be printed."""
    if value is None or value == "":
        return "(not set)"
    text = str(value)
    is_url = isinstance(value, str | Path) and "://" in text
    if spec.metadata.get("secret") == "url" and is_url:
        return mask_url(text)
    if is_secret(spec):
        return MASK
    return mask_url(text) if is_url else text


def describe(settings: Any, prefix: str = "") -> list[str]:
    """One `section.name = value` line per setting, walking nested dataclasses, secrets masked."""
    lines = []
    for spec in dataclasses.fields(settings):
        value = getattr(settings, spec.name)
        name = f"{prefix}{spec.name}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            lines += describe(value, f"{name}.")
        elif value is None and prefix == "":
            lines.append(f"{name} = (off)")
        else:
            lines.append(f"{name} = {mask_setting(spec, value)}")
    return lines
