"""Canvas's REST protocol without I/O: headers, pages, throttle signals and error bodies.

Everything here takes and returns plain values, so it is tested without a server. Sources are
Canvas's own documentation and code (doc/api/pagination.md, doc/api/throttling.md,
app/middleware/request_throttle.rb, application_controller.rb#api_error_json,
authentication_methods.rb, sis_api_controller.rb); see docs in README "Canvas".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from canvas import errors

PER_PAGE = 100
# Canvas's throttle: the bucket's high-water mark is 600 (source defaults), so "remaining"
# below this is the point to slow down rather than meet a 403.
LOW_REMAINING = 150.0
# Prefix Canvas puts before JSON on session-authenticated responses (JSON-hijacking guard).
_HIJACK_GUARD = "while(1);"
_LINK = re.compile(r'<([^>]*)>\s*((?:;\s*[a-zA-Z]+\s*=\s*"?[^";,]*"?\s*)*)')
_REL = re.compile(r'rel\s*=\s*"?([^";,]*)"?')


def request_headers(token: str, user_agent: str) -> dict[str, str]:
    """Bearer authentication (never the access_token parameter: it ends up in logs), a
    User-Agent (Canvas refuses requests without one) and string ids (ids are opaque to us)."""
    return {
        "Authorization": f"Bearer {token}",
        "User-Agent": user_agent,
        "Accept": "application/json+canvas-string-ids, application/json",
    }


def user_agent(version: str) -> str:
    return f"passback/{version} (grade passback diagnosis; read-only)"


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name in any case: Canvas switched to lower-case names in 2024."""
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def links(headers: Mapping[str, str]) -> dict[str, str]:
    """The Link header's URLs by rel (current, next, prev, first, last; last may be missing)."""
    raw = header(headers, "Link")
    found: dict[str, str] = {}
    if not raw:
        return found
    for match in _LINK.finditer(raw):
        url, params = match.group(1).strip(), match.group(2)
        for rel in _REL.findall(params):
            for name in rel.split():
                found.setdefault(name.lower(), url)
    return found


def same_origin(url: str, base_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def next_page(headers: Mapping[str, str], base_url: str) -> str | None:
    """The next page's URL, None on the last page. A next page on another origin is
    BadResponse: never followed (the request would carry the token elsewhere), and never
    taken as the end of the list either (a diagnosis must not report on part of it)."""
    url = links(headers).get("next")
    if not url:
        return None
    if not same_origin(url, base_url):
        raise errors.BadResponse(
            "Canvas's next-page link points off Canvas, so the list is partial"
        )
    return url


def with_per_page(url: str, per_page: int = PER_PAGE) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "per_page"]
    query.append(("per_page", str(per_page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The throttle headers of one response."""

    remaining: float | None
    cost: float | None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit:
        return cls(
            _number(header(headers, "X-Rate-Limit-Remaining")),
            _number(header(headers, "X-Request-Cost")),
        )

    @property
    def low(self) -> bool:
        return self.remaining is not None and self.remaining < LOW_REMAINING


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def parse_json(body: bytes) -> Any:
    """The body as JSON; BadResponse for anything else (truncated, HTML, empty)."""
    text = body.decode("utf-8", errors="replace").lstrip()
    if text.startswith(_HIJACK_GUARD):
        text = text[len(_HIJACK_GUARD) :]
    try:
        return json.loads(text)
    except ValueError:
        raise errors.BadResponse("Canvas answered with something that is not JSON") from None


def _messages(body: bytes) -> tuple[str, str]:
    """(`errors[].message` joined, `status` or `code`) of an error body, lower-cased."""
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return body.decode("utf-8", errors="replace").lower(), ""
    if not isinstance(data, dict):
        return "", ""
    found = []
    for item in data.get("errors") or ():
        if isinstance(item, dict) and isinstance(item.get("message"), str):
            found.append(item["message"])
    if isinstance(data.get("errors"), str):
        found.append(data["errors"])
    if isinstance(data.get("error"), str):
        found.append(data["error"])
    if isinstance(data.get("message"), str):
        found.append(data["message"])
    code = data.get("code") or data.get("status") or ""
    return " ".join(found).lower(), str(code).lower()


def is_throttled(status: int, body: bytes) -> bool:
    """429, or Canvas's 403 with the plain-text body `403 Forbidden (Rate Limit Exceeded)`."""
    if status == 429:
        return True
    return status == 403 and b"rate limit exceeded" in body[:500].lower()


def classify(status: int, body: bytes) -> errors.CanvasError | None:
    """The typed error a response stands for, or None when it succeeded.

    The body decides, not the status alone: Canvas answers "not permitted" with 401 in older
    releases and 403 in current ones, and throttles with a 403 too.
    """
    if 200 <= status < 300:
        return None
    if is_throttled(status, body):
        return errors.Throttled("Canvas's rate limit for the token is used up", status)
    text, code = _messages(body)
    if "insufficient scopes" in text:
        return errors.ScopeMissing("the token's developer key does not allow this request", status)
    kind = re.search(r"(invalid|expired|revoked) access token", text)
    if kind:
        words = {
            "invalid": "it is not valid",
            "expired": "it has expired",
            "revoked": "it was revoked",
        }
        expired = kind.group(1) == "expired"
        kind_of = errors.TokenExpired if expired else errors.TokenInvalid
        return kind_of(words[kind.group(1)], status)
    if "user authorization required" in text or code == "unauthenticated":
        return errors.TokenInvalid("Canvas did not receive a token", status)
    if code == "unauthorized" or "not authorized to perform" in text:
        return errors.NotPermitted("the token's user may not read this", status)
    if code == "not_enabled":
        return errors.GradeExportDisabled("grade export to the SIS is not enabled", status)
    if code == "unpublished_course":
        return errors.CourseUnpublished("the course is not published", status)
    if status == 404:
        return errors.NotFound("Canvas has no such resource", status)
    if status in (401, 403):
        return errors.NotPermitted("Canvas refused the request", status)
    if status >= 500:
        return errors.Unreachable(f"Canvas had a server error ({status})", status)
    return errors.BadResponse(f"Canvas refused the request ({status})", status)
