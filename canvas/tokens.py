"""Where the access token comes from: fixed, or refreshed through a scoped developer key.

Tokens issued through a developer key expire after an hour (doc/api/oauth.md); passback then
asks POST /login/oauth2/token with grant_type=refresh_token for a new one, a couple of minutes
before it expires and again whenever Canvas answers "Expired access token.". The refresh token
and the client secret never leave this module: not in a log line, an error or a repr.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

import aiohttp

from canvas import errors

log = logging.getLogger("passback.canvas")

TOKEN_PATH = "/login/oauth2/token"
OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"  # Canvas's redirect for apps without a web page
EARLY_SECONDS = 120.0  # refresh this long before Canvas says the token expires


class TokenSource(Protocol):
    async def token(self) -> str:
        """The access token to send now."""
        ...

    def renew(self, stale: str) -> bool:
        """Forget `stale` after Canvas refused it; True when asking again can help."""
        ...


class FixedToken:
    def __init__(self, token: str):
        self._token = token

    async def token(self) -> str:
        return self._token

    def renew(self, stale: str) -> bool:
        return False

    def __repr__(self) -> str:
        return "FixedToken(****)"


class RefreshedToken:
    """Access tokens from a refresh token, one refresh at a time."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        user_agent: str,
        timeout: float = 5.0,
    ):
        self._session = session
        self._url = base_url.rstrip("/") + TOKEN_PATH
        self._form = {
            "grant_type": "refresh_token",
            "client_id": client_id,
            "client_secret": client_secret,
            "refresh_token": refresh_token,
            "redirect_uri": OOB_REDIRECT,
        }
        self._user_agent = user_agent
        self._timeout = timeout
        self._lock = asyncio.Lock()
        self._access: str | None = None
        self._expires = 0.0
        self.refreshes = 0

    def __repr__(self) -> str:
        return "RefreshedToken(****)"

    async def token(self) -> str:
        async with self._lock:
            if self._access is None or time.monotonic() >= self._expires:
                await self._refresh()
            assert self._access is not None
            return self._access

    def renew(self, stale: str) -> bool:
        if stale == self._access:
            self._access = None
        return True

    async def _refresh(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        headers = {"User-Agent": self._user_agent, "Accept": "application/json"}
        try:
            async with self._session.post(
                self._url,
                data=self._form,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                status = response.status
                body = await response.json(content_type=None) if status == 200 else None
        except (aiohttp.ClientError, TimeoutError, ValueError):
            log.warning("canvas POST %s -> no answer", TOKEN_PATH)
            raise errors.Unreachable("Canvas did not answer the token refresh") from None
        log.log(
            logging.DEBUG if status == 200 else logging.WARNING,
            "canvas POST %s -> %s",
            TOKEN_PATH,
            status,
        )
        token = body.get("access_token") if isinstance(body, dict) else None
        if status != 200 or not isinstance(token, str) or not token:
            refused = errors.TokenInvalid(
                "Canvas refused passback's refresh token or developer key; authorize passback "
                "again (README, Canvas)",
                status,
            )
            refused.developer_key = True
            raise refused
        lifetime = body.get("expires_in") if isinstance(body, dict) else None
        seconds = float(lifetime) if isinstance(lifetime, int | float) else 3600.0
        self._access = token
        self._expires = time.monotonic() + max(0.0, seconds - EARLY_SECONDS)
        self.refreshes += 1
