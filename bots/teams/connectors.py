"""Bot Connector clients built once and kept, instead of built again for every activity.

botbuilder's CloudAdapter (4.17) asks for a new ConnectorClient and a new UserTokenClient on
every turn and drops them afterwards. Each one is an msrest client whose configuration builds a
retry policy by comparing 999 status codes against a 500-item list (about 2.5 ms of CPU each),
a new requests Session with its own connection pool (so every answer opened a new connection,
a TLS handshake in production), and serialisers over every model. Under load that was most of
the server's time: the load benchmark (`make bench`) managed about 100 Teams messages a second.

A client holds nothing of the turn: what it depends on is the bot's app id (from the claims),
the service URL and the audience; its credentials fetch and refresh their own tokens. So one
client per such key serves every turn, and its connections are kept alive between answers. The
cache is bounded, so service URLs that come and go cannot make it grow without end.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import AuthenticationConstants, ClaimsIdentity, ConnectorFactory

from bots.teams.isolation import fail_fast

MAX_CLIENTS = 64


def app_id_of(claims_identity: ClaimsIdentity | None) -> str | None:
    """The bot's app id as botbuilder takes it from the claims: the audience (from Teams), else
    the appid claim (from the Emulator); None for an unauthenticated local request."""
    claims = (claims_identity.claims if claims_identity is not None else None) or {}
    return claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(
        AuthenticationConstants.APP_ID_CLAIM
    )


class ClientCache:
    """At most `size` clients, the least recently used dropped first (not closed: a turn may
    still be using it; it closes its connections when it is collected)."""

    def __init__(self, size: int = MAX_CLIENTS):
        self._size = size
        self._clients: OrderedDict[Hashable, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._clients)

    async def get(self, key: Hashable, build: Callable[[], Awaitable[Any]]) -> Any:
        client = self._clients.get(key)
        if client is None:
            client = await build()
            client = self._clients.setdefault(key, client)  # a concurrent build may have won
        self._clients.move_to_end(key)
        while len(self._clients) > self._size:
            self._clients.popitem(last=False)
        return client


class CachedConnectorFactory(ConnectorFactory):
    """A ConnectorFactory that hands out the kept client for its app id, URL and audience."""

    def __init__(self, inner: ConnectorFactory, app_id: str | None, cache: ClientCache):
        self._inner = inner
        self._app_id = app_id
        self._cache = cache

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = ("connector", self._app_id, service_url, audience)

        async def build() -> ConnectorClient:
            return fail_fast(await self._inner.create(service_url, audience))

        return await self._cache.get(key, build)
