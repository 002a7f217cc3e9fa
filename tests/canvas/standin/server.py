"""A local Canvas API on 127.0.0.1: Canvas's paths, auth, pagination, throttling, error bodies.

Faithful to what Canvas documents and its source shows (design note §8), not to passback's
client: lower-case `link` headers with opaque page tokens and sometimes no rel="last";
`per_page` defaulting to 10; ids as strings only on `application/json+canvas-string-ids`;
`include[]` ignored for scoped keys without "Allow Include Parameters"; `sis_*` fields left
out without SIS rights; the bodies of application_controller.rb / authentication_methods.rb /
request_throttle.rb / sis_api_controller.rb. `district` holds the data and the fault switches.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from tests.canvas.standin import grade_views, views
from tests.canvas.standin.district import PASSBACK_SCOPES, District, Token

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
UNAUTHORIZED = {
    "status": "unauthorized",
    "errors": [{"message": "user not authorized to perform that action"}],
}
UNAUTHENTICATED = {
    "status": "unauthenticated",
    "errors": [{"message": "user authorization required"}],
}
# request_throttle.rb#rate_limit_exceeded: "#{status} #{HTTP_STATUS_CODES[status]} (Rate Limit
# Exceeded)\n". The stored source answers 403; the 429 of the 2025 change reads the same way.
THROTTLED_TEXT = {
    403: "403 Forbidden (Rate Limit Exceeded)\n",
    429: "429 Too Many Requests (Rate Limit Exceeded)\n",
}
HIGH_WATER_MARK, MAXIMUM, OUTFLOW, UP_FRONT = 600.0, 800.0, 10.0, 50.0


class Refusal(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass(frozen=True)
class Route:
    template: str  # Canvas's route, as developer-key scopes name it
    pattern: re.Pattern[str]
    view: Callable[..., Any]
    paginated: bool = False
    with_last: bool = True
    key: str | None = None  # the list inside a wrapping object (grading periods, audit events)


def _route(template: str, view: Callable[..., Any], **kw: Any) -> Route:
    regex = re.sub(r":[a-z_]+", r"([^/]+)", template)
    return Route(template, re.compile(f"^{regex}$"), view, **kw)


ROUTES = [
    _route("/api/v1/users/self", views.user_self),
    _route("/api/v1/accounts/:account_id/users", views.account_users, paginated=True),
    _route("/api/v1/users/:user_id/courses", views.user_courses, paginated=True),
    _route("/api/v1/courses/:id", views.course),
    _route("/api/v1/courses/:course_id/sections", views.sections, paginated=True),
    _route(
        "/api/v1/courses/:course_id/enrollments", views.enrollments, paginated=True, with_last=False
    ),
    _route("/api/v1/courses/:course_id/assignments", views.assignments, paginated=True),
    _route(
        "/api/v1/courses/:course_id/assignments/:assignment_id/date_details", views.date_details
    ),
    _route(
        "/api/v1/courses/:course_id/grading_periods",
        views.grading_periods,
        paginated=True,
        key="grading_periods",
    ),
    _route("/api/sis/courses/:course_id/assignments", grade_views.sis_assignments, paginated=True),
    _route(
        "/api/v1/audit/grade_change/courses/:course_id",
        grade_views.grade_changes,
        paginated=True,
        with_last=False,
        key="events",
    ),
]


class Bucket:
    """request_throttle.rb's leaky bucket, per token."""

    def __init__(self) -> None:
        self.level = 0.0
        self.at = time.monotonic()

    def leak(self) -> None:
        now = time.monotonic()
        self.level = max(0.0, self.level - (now - self.at) * OUTFLOW)
        self.at = now


class CanvasStandIn:
    def __init__(self, district: District | None = None):
        self.district = district or District()
        self.buckets: dict[str, Bucket] = {}

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("POST", "/login/oauth2/token", self.oauth_token)
        app.router.add_route("GET", "/{tail:.*}", self.handle)
        return app

    async def oauth_token(self, request: web.Request) -> web.Response:
        """POST /login/oauth2/token, grant_type=refresh_token (doc/api/oauth_endpoints.md):
        the same refresh token works again and again; the answer holds no new one."""
        d = self.district
        form = await request.post()
        d.requests.append((request.path, ""))
        if form.get("client_id") != d.client_id or form.get("client_secret") != d.client_secret:
            return web.json_response(
                {"error": "invalid_client", "error_description": "unknown client"}, status=401
            )
        user_id = d.refresh_tokens.get(str(form.get("refresh_token", "")))
        if form.get("grant_type") != "refresh_token" or user_id is None:
            return web.json_response(
                {"error": "invalid_grant", "error_description": "refresh_token not found"},
                status=400,
            )
        if form.get("redirect_uri") != d.redirect_uri:
            return web.json_response(
                {"error": "invalid_request", "error_description": "redirect_uri does not match"},
                status=400,
            )
        token = f"at-{len(d.issued) + 1}-{secrets.token_hex(4)}"
        d.tokens[token] = Token(user_id=user_id, scopes=PASSBACK_SCOPES)
        d.issued.append(token)
        user = next(u for u in d.users if u["id"] == user_id)
        return web.json_response(
            {
                "access_token": token,
                "token_type": "Bearer",
                "user": {"id": user_id, "name": user["name"]},
                "expires_in": d.access_seconds,
            }
        )

    async def handle(self, request: web.Request) -> web.StreamResponse:
        d = self.district
        d.requests.append((request.path, request.headers.get("Authorization", "")))
        d.in_flight += 1
        d.peak_in_flight = max(d.peak_in_flight, d.in_flight)
        bucket = self.buckets.setdefault(request.headers.get("Authorization", ""), Bucket())
        bucket.leak()
        bucket.level += UP_FRONT
        try:
            if d.delay:
                await asyncio.sleep(d.delay)
            return self._answer(request, bucket)
        except Refusal as refusal:
            return self._refuse(refusal)
        finally:
            d.in_flight -= 1
            bucket.leak()
            bucket.level = max(0.0, bucket.level - UP_FRONT + 1.0)

    def _answer(self, request: web.Request, bucket: Bucket) -> web.Response:
        d = self.district
        if not request.headers.get("User-Agent"):
            return web.Response(status=403, text="403 Forbidden (User-Agent header required)\n")
        if d.throttle_next > 0 or bucket.level > MAXIMUM:
            d.throttle_next = max(0, d.throttle_next - 1)
            return web.Response(
                status=d.throttle_status,
                text=THROTTLED_TEXT[d.throttle_status],
                content_type="text/plain",
                charset="utf-8",
                headers={"X-Rate-Limit-Remaining": "0.0"},
            )
        token = self._token(request)
        route, args = self._route(request.path)
        if token.scopes is not None and f"url:GET|{route.template}" not in token.scopes:
            raise Refusal(401, {"errors": [{"message": "Insufficient scopes on access token."}]})
        if d.server_errors_next > 0:
            d.server_errors_next -= 1
            raise Refusal(
                500,
                {
                    "errors": [
                        {"message": "An error occurred.", "error_code": "internal_server_error"}
                    ],
                    "error_report_id": 4242,
                },
            )
        ctx = views.Context(
            d,
            token,
            request.query,
            token.allow_includes or token.scopes is None,
            f"{request.scheme}://{request.host}",
        )
        data = route.view(ctx, *args)
        headers = {
            "x-request-cost": "1.0",
            "x-rate-limit-remaining": f"{HIGH_WATER_MARK - bucket.level:.1f}",
        }
        if d.low_remaining_next > 0:
            d.low_remaining_next -= 1
            headers["x-rate-limit-remaining"] = "20.0"
        if route.paginated and route.key:
            data[route.key], headers["link"] = self._page(request, route, data[route.key])
        elif route.paginated:
            data, headers["link"] = self._page(request, route, data)
        if "application/json+canvas-string-ids" in request.headers.get("Accept", ""):
            data = stringify_ids(data)
        text = json.dumps(data)
        if d.truncate_next > 0:
            d.truncate_next -= 1
            text = text[: len(text) // 2]
        if d.hijack_prefix:
            text = "while(1);" + text
        return web.Response(text=text, content_type="application/json", headers=headers)

    def _token(self, request: web.Request) -> Token:
        auth = request.headers.get("Authorization", "")
        challenge = {"WWW-Authenticate": 'Bearer realm="canvas-lms"'}
        if not auth.startswith("Bearer "):
            raise Refusal(401, UNAUTHENTICATED, challenge)
        token = self.district.tokens.get(auth[len("Bearer ") :])
        if token is None:
            raise Refusal(401, {"errors": [{"message": "Invalid access token."}]}, challenge)
        if token.state == "expired":
            raise Refusal(
                401,
                {
                    "errors": [
                        {"message": "Expired access token.", "expired_at": "2026-11-30T10:00:00Z"}
                    ]
                },
                challenge,
            )
        if token.state == "revoked":
            raise Refusal(401, {"errors": [{"message": "Revoked access token."}]}, challenge)
        return token

    def _route(self, path: str) -> tuple[Route, tuple[str, ...]]:
        for route in ROUTES:
            match = route.pattern.match(path)
            if match:
                return route, match.groups()
        raise Refusal(404, NOT_FOUND)

    def _page(self, request: web.Request, route: Route, items: list[Any]) -> tuple[list, str]:
        raw = request.query.get("per_page", "10")
        per_page = min(
            int(raw) if raw.isdigit() and int(raw) > 0 else 10, self.district.max_per_page
        )
        token = request.query.get("page", "")
        start = _offset(token)
        base = f"{request.scheme}://{request.host}{request.path}"
        keep = [(k, v) for k, v in request.query.items() if k not in ("page", "access_token")]

        def url(offset: int) -> str:
            return f"{base}?{urlencode([*keep, ('page', _token_for(offset))])}"

        links = [f'<{url(start)}>; rel="current"']
        if start + per_page < len(items):
            nxt = url(start + per_page)
            if self.district.foreign_next_link:
                nxt = nxt.replace(f"//{request.host}", "//canvas.attacker.example")
            links.append(f'<{nxt}>; rel="next"')
        if start > 0:
            links.append(f'<{url(max(0, start - per_page))}>; rel="prev"')
        links.append(f'<{url(0)}>; rel="first"')
        if route.with_last:
            last = max(0, (len(items) - 1) // per_page * per_page)
            links.append(f'<{url(last)}>; rel="last"')
        return items[start : start + per_page], ",".join(links)

    def _refuse(self, refusal: Refusal) -> web.Response:
        status = refusal.status
        if refusal.body is UNAUTHORIZED and self.district.legacy_401:
            status = 401
        return web.json_response(refusal.body, status=status, headers=refusal.headers)


def _token_for(offset: int) -> str:
    return "bookmark:" + base64.urlsafe_b64encode(json.dumps([offset]).encode()).decode()


def _offset(token: str) -> int:
    if not token.startswith("bookmark:"):
        return 0
    try:
        return int(json.loads(base64.urlsafe_b64decode(token[len("bookmark:") :]))[0])
    except (ValueError, IndexError, TypeError):
        raise Refusal(400, {"errors": [{"message": "invalid page"}]}) from None


def stringify_ids(data: Any) -> Any:
    """What Canvas does for `application/json+canvas-string-ids`: `id`, `*_id` and `*_ids`."""
    if isinstance(data, list):
        return [stringify_ids(v) for v in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if (key == "id" or key.endswith("_id")) and isinstance(value, int):
            out[key] = str(value)
        elif key.endswith("_ids") and isinstance(value, list):
            out[key] = [str(v) if isinstance(v, int) else v for v in value]
        else:
            out[key] = stringify_ids(value)
    return out
