"""The requests themselves: one aiohttp session, at most two in flight per token, back-off.

Canvas throttles per token with a leaky bucket that charges every request in flight up front
(doc/api/throttling.md: "no more than one simultaneous request is unlikely to be throttled").
So this layer keeps at most `max_in_flight` requests open, slows down when
`X-Rate-Limit-Remaining` runs low, backs off with jitter when throttled, retries server errors a
bounded number of times, and stops a caller at its request budget. Logs carry the endpoint
template and the status only: never a query string, a body or the token.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp

from canvas import errors, protocol
from canvas.tokens import FixedToken, TokenSource

log = logging.getLogger("passback.canvas")

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Limits:
    max_in_flight: int = 2
    request_timeout: float = 5.0  # seconds for one request
    throttle_retries: int = 3
    server_retries: int = 2
    backoff_base: float = 1.0  # seconds; doubled per attempt, with jitter
    backoff_cap: float = 4.0
    low_remaining_pause: float = 1.0  # seconds to wait when the bucket runs low
    max_pages: int = 20


@dataclass(slots=True)
class Budget:
    """How many requests one diagnosis may still make."""

    limit: int
    used: int = 0

    def spend(self) -> None:
        if self.used >= self.limit:
            raise errors.BudgetExceeded(f"more than {self.limit} requests would be needed")
        self.used += 1


@dataclass(slots=True)
class Stats:
    requests: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    throttled: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


Observer = Callable[[str, int], None]  # (endpoint template, status; 0 when no answer)


class Transport:
    """GETs against one Canvas with one token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        token: str | TokenSource,
        *,
        user_agent: str,
        limits: Limits | None = None,
        observer: Observer | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._tokens: TokenSource = FixedToken(token) if isinstance(token, str) else token
        self._user_agent = user_agent
        self.limits = limits or Limits()
        self._gate = asyncio.Semaphore(self.limits.max_in_flight)
        self._not_before = 0.0
        self._observer = observer
        self.stats = Stats()

    def url(self, path: str, params: Params = ()) -> str:
        query = urlencode(list(params))
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    async def get(
        self, template: str, url: str, budget: Budget | None = None
    ) -> tuple[Any, Mapping[str, str]]:
        """The JSON of one GET and its headers; a typed CanvasError otherwise."""
        throttles = servers = renewals = 0
        while True:
            if budget is not None:
                budget.spend()
            token = await self._tokens.token()
            try:
                status, headers, body = await self._once(template, url, token)
            except errors.Unreachable:
                if servers >= self.limits.server_retries:
                    raise
                servers += 1
                await asyncio.sleep(self._backoff(servers))
                continue
            problem = protocol.classify(status, body)
            if problem is None:
                return protocol.parse_json(body), headers
            if isinstance(problem, errors.TokenInvalid):
                problem.developer_key = not isinstance(self._tokens, FixedToken)
                if not renewals:
                    renewals += 1
                    if self._tokens.renew(token):  # an expired developer-key token: ask again
                        continue
            if isinstance(problem, errors.Throttled) and throttles < self.limits.throttle_retries:
                throttles += 1
                self.stats.throttled += 1
                self._pause(self._backoff(throttles))
                continue
            if status >= 500 and servers < self.limits.server_retries:
                servers += 1
                await asyncio.sleep(self._backoff(servers))
                continue
            raise problem

    async def pages(
        self,
        template: str,
        path: str,
        params: Params = (),
        *,
        key: str | None = None,
        budget: Budget | None = None,
    ) -> list[Any]:
        """Every item of a paginated list, following Link rel="next" on Canvas's origin only
        (a next page elsewhere is BadResponse, never a shorter list)."""
        url: str | None = protocol.with_per_page(self.url(path, params))
        items: list[Any] = []
        for _ in range(self.limits.max_pages):
            if url is None:
                return items
            data, headers = await self.get(template, url, budget)
            page = data.get(key) if key and isinstance(data, dict) else data
            if not isinstance(page, list):
                raise errors.BadResponse("Canvas answered a list request without a list")
            items.extend(page)
            url = protocol.next_page(headers, self.base_url)
        if url is not None:
            raise errors.BudgetExceeded(f"more than {self.limits.max_pages} pages")
        return items

    async def _once(
        self, template: str, url: str, token: str
    ) -> tuple[int, Mapping[str, str], bytes]:
        async with self._gate:
            wait = self._not_before - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.stats.requests += 1
            self.stats.in_flight += 1
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self.stats.in_flight)
            try:
                timeout = aiohttp.ClientTimeout(total=self.limits.request_timeout)
                sent = protocol.request_headers(token, self._user_agent)
                async with self._session.get(
                    url, headers=sent, timeout=timeout, allow_redirects=False
                ) as response:
                    body = await response.read()
                    status, headers = response.status, dict(response.headers)
            except (aiohttp.ClientError, TimeoutError) as exc:
                self._record(template, 0)
                kind = "too slowly" if isinstance(exc, TimeoutError) else "not at all"
                raise errors.Unreachable(f"Canvas answered {kind}") from None
            finally:
                self.stats.in_flight -= 1
        self._record(template, status)
        limit = protocol.RateLimit.from_headers(headers)
        if limit.low:
            self._pause(self.limits.low_remaining_pause)
        return status, headers, body

    def _record(self, template: str, status: int) -> None:
        key = f"{template} {status}"
        self.stats.statuses[key] = self.stats.statuses.get(key, 0) + 1
        level = logging.DEBUG if 200 <= status < 300 else logging.WARNING
        log.log(level, "canvas GET %s -> %s", template, status or "no answer")
        if self._observer is not None:
            self._observer(template, status)

    def _pause(self, seconds: float) -> None:
        self._not_before = max(self._not_before, time.monotonic() + seconds)

    def _backoff(self, attempt: int) -> float:
        delay = min(self.limits.backoff_cap, self.limits.backoff_base * 2.0 ** (attempt - 1))
        return delay * random.uniform(0.5, 1.5)


def segment(value: str) -> str:
    """One path segment, escaped (SIS ids and logins may hold any character)."""
    return quote(value, safe=":")
