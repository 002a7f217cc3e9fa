"""Team and channel names for a case's "Where", asked of the Bot Connector when a case opens.

A channel message's activity names the team and channel only sometimes, so the names are
looked up when someone clicks Escalate (not for every answer: most answers are never
escalated, and the answer must not wait for Teams): `GET /v3/teams/{teamId}` (TeamDetails) and
`GET /v3/teams/{teamId}/conversations` (the channels), through botbuilder's Teams connector
client. The look-up is bounded by `TIMEOUT_SECONDS` and fails soft: without names the case
opens with what the activity said, and its Where says "a team channel". Names are kept per team
for `TTL_SECONDS` (a failure for less), so a busy channel costs one look-up now and then.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bots.escalation.model import Origin
from bots.teams.activity import CHANNEL, GENERAL
from bots.teams.isolation import fail_fast

log = logging.getLogger("passback.teams")

TIMEOUT_SECONDS = 3.0  # both calls together; an Escalate click waits at most this long
TTL_SECONDS = 600.0
FAILED_TTL_SECONDS = 60.0
MAX_TEAMS = 1000
_CALL_TIMEOUT = (2.0, 2.0)  # requests' (connect, read) for each call


@dataclass(frozen=True, slots=True)
class TeamDirectory:
    """What the Bot Connector said about one team: its name and its channels' names."""

    name: str = ""
    channels: Mapping[str, str] | None = None  # channel id -> name

    def channel(self, channel_id: str, team_id: str) -> str:
        name = (self.channels or {}).get(channel_id, "")
        return name or (GENERAL if channel_id == team_id else "")


Fetch = Callable[[TurnContext, str], Any]  # an awaitable TeamDirectory


async def fetch_directory(turn_context: TurnContext, team_id: str) -> TeamDirectory:
    """Both look-ups, in the executor (the connector client's calls block); either may fail
    alone, and whatever came back is used."""
    client = fail_fast(await TeamsInfo.get_teams_connector_client(turn_context))

    def details() -> Any:
        return client.teams.get_team_details(team_id, timeout=_CALL_TIMEOUT)

    def channels() -> Any:
        return client.teams.get_teams_channels(team_id, timeout=_CALL_TIMEOUT)

    found = await asyncio.gather(
        asyncio.to_thread(details), asyncio.to_thread(channels), return_exceptions=True
    )
    team, listing = found
    if isinstance(team, BaseException) and isinstance(listing, BaseException):
        raise team
    name = "" if isinstance(team, BaseException) else str(getattr(team, "name", "") or "")
    names: dict[str, str] = {}
    if not isinstance(listing, BaseException):
        for info in getattr(listing, "conversations", None) or ():
            if getattr(info, "id", None):
                names[str(info.id)] = str(getattr(info, "name", "") or "").strip()
    return TeamDirectory(name=name.strip(), channels=names)


class TeamNames:
    """Fills a Teams channel origin's missing team and channel names (a bounded, brief cache)."""

    def __init__(
        self,
        fetch: Fetch = fetch_directory,
        *,
        timeout: float | None = None,  # TIMEOUT_SECONDS
        clock: Callable[[], float] = time.monotonic,
    ):
        self._fetch = fetch
        self._timeout = timeout
        self._clock = clock
        self._teams: OrderedDict[str, tuple[float, TeamDirectory]] = OrderedDict()

    async def name(self, turn_context: TurnContext, origin: Origin) -> Origin:
        """`origin` with its team and channel names, as far as they can be had now."""
        team_id = origin.team_id
        if origin.scope != CHANNEL or not team_id:
            return origin
        if origin.workspace_name and origin.channel_name:
            return origin
        directory = await self._directory(turn_context, team_id)
        return replace(
            origin,
            workspace_name=origin.workspace_name or directory.name,
            channel_name=origin.channel_name or directory.channel(origin.channel, team_id),
        )

    async def _directory(self, turn_context: TurnContext, team_id: str) -> TeamDirectory:
        kept = self._teams.get(team_id)
        if kept is not None and kept[0] > self._clock():
            return kept[1]
        try:
            timeout = TIMEOUT_SECONDS if self._timeout is None else self._timeout
            directory = await asyncio.wait_for(self._fetch(turn_context, team_id), timeout)
            ttl = TTL_SECONDS
        except Exception as exc:  # never fail the escalation for a name
            log.warning("teams: team and channel names not available (%s)", type(exc).__name__)
            directory, ttl = TeamDirectory(), FAILED_TTL_SECONDS
        self._teams[team_id] = (self._clock() + ttl, directory)
        self._teams.move_to_end(team_id)
        while len(self._teams) > MAX_TEAMS:
            self._teams.popitem(last=False)
        return directory
