"""A local stand-in for the Bot Connector service at an activity's `serviceUrl`.

It answers the calls the bot makes, as the Bot Connector REST API documents them, and records
each one:
- POST /v3/conversations/{conversationId}/activities                (send to the conversation)
- POST /v3/conversations/{conversationId}/activities/{activityId}   (reply to an activity)
- PUT  /v3/conversations/{conversationId}/activities/{activityId}   (update an activity)
- GET  /v3/conversations/{conversationId}/members/{memberId}        (TeamsInfo.get_member: a
  TeamsChannelAccount, or 404 MemberNotFoundInConversation for someone it does not know)
- POST /v3/conversations                                            (create a 1:1 chat: its id,
  or 403 BotNotInConversationRoster when `refuse_private`, as when the app is not installed)
and the two Teams calls the bot makes for a case's "Where" (recorded in `lookups`):
- GET  /v3/teams/{teamId}                 (TeamDetails: id, name, aadGroupId)
- GET  /v3/teams/{teamId}/conversations   (ConversationList: the team's channels; the General
                                           channel has the team's id and no name)
A team not in `teams` is answered as Teams answers a team the bot is not in: 403
BotNotInConversationRoster. Any other call is recorded as unexpected and answered 404, so a
test sees it.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

BASE_PATH = "/amer/"  # Teams service URLs have a path: https://smba.trafficmanager.net/amer/
TENANT = "5a0e7b1c-3f2d-4e8a-9b6c-1d2e3f4a5b6c"  # the fixtures' tenant


@dataclass(frozen=True, slots=True)
class Call:
    kind: str  # "send", "reply", "update", "member" or "create"
    conversation_id: str
    activity_id: str  # the replied-to or updated activity; "" for send
    body: dict[str, Any]
    authorization: str
    created_id: str = ""  # the id the stand-in gave a new activity (send and reply)

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.body.get("attachments") or ()
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    aad_group_id: str
    channels: tuple[tuple[str, str | None], ...]  # (id, name); General: (the team id, None)


NOT_IN_ROSTER = {
    "error": {
        "code": "BotNotInConversationRoster",
        "message": "The bot is not part of the conversation roster.",
    }
}


@dataclass
class ConnectorStandIn:
    calls: list[Call] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    fail_next: int = 0  # answer this many calls with a 500, as the service does when it is down
    refused: int = 0
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # by Teams user id
    refuse_private: bool = False
    hold_members: asyncio.Event | None = None  # when set up, member look-ups wait until it is set
    server: TestServer | None = None
    teams: dict[str, Team] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)  # "details <teamId>", "channels <teamId>"
    hold_lookups: asyncio.Event | None = None  # when set up, team calls wait until it is set
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1712674845000))

    @property
    def service_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url(BASE_PATH))

    def of_kind(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind]

    def add_member(
        self,
        user_id: str,
        email: str | None,
        name: str = "Pat Teacher",
        role: str = "user",
        tenant: str = TENANT,
    ) -> None:
        """A TeamsChannelAccount as `GET .../members/{memberId}` returns it."""
        given, _, surname = name.partition(" ")
        self.members[user_id] = {
            "id": user_id,
            "name": name,
            "aadObjectId": f"6be4ad05-ff70-4c5b-a6b8-{len(self.members):012d}",
            "givenName": given,
            "surname": surname,
            "email": email,
            "userPrincipalName": email,
            "tenantId": tenant,
            "userRole": role,
        }

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until no call has come for `quiet` seconds (for "sent nothing more" checks)."""
        deadline = asyncio.get_running_loop().time() + 10
        seen = -1
        while seen != len(self.calls) and asyncio.get_running_loop().time() < deadline:
            seen = len(self.calls)
            await asyncio.sleep(quiet)

    def _note(self, request: web.Request, kind: str, body: dict[str, Any]) -> None:
        self.calls.append(
            Call(
                kind=kind,
                conversation_id=request.match_info.get("conversation", ""),
                activity_id=request.match_info.get("member", ""),
                body=body,
                authorization=request.headers.get("Authorization", ""),
            )
        )

    async def member(self, request: web.Request) -> web.Response:
        self._note(request, "member", {})
        if self.hold_members is not None:
            await self.hold_members.wait()
        found = self.members.get(request.match_info["member"])
        if found is None:
            error = {"code": "MemberNotFoundInConversation", "message": "Member not found."}
            return web.json_response({"error": error}, status=404)
        return web.json_response({k: v for k, v in found.items() if v is not None})

    async def create(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._note(request, "create", body)
        if self.refuse_private:
            return web.json_response(NOT_IN_ROSTER, status=403)
        member = (body.get("members") or [{}])[0].get("id", "")
        return web.json_response({"id": f"a:1private-{member[-12:]}"}, status=201)

    async def _record(self, request: web.Request, kind: str) -> web.Response:
        body = await request.json()
        if self.fail_next > 0:
            self.fail_next -= 1
            self.refused += 1
            return web.json_response({"error": {"code": "ServiceError"}}, status=500)
        activity_id = request.match_info.get("activity", "")
        new_id = "" if kind == "update" else str(next(self._ids))
        self.calls.append(
            Call(
                kind=kind,
                conversation_id=request.match_info["conversation"],
                activity_id=activity_id,
                body=body,
                authorization=request.headers.get("Authorization", ""),
                created_id=new_id,
            )
        )
        if kind == "update":
            return web.json_response({"id": activity_id}, status=200)
        return web.json_response({"id": new_id}, status=201)

    async def send(self, request: web.Request) -> web.Response:
        return await self._record(request, "send")

    async def reply(self, request: web.Request) -> web.Response:
        return await self._record(request, "reply")

    async def update(self, request: web.Request) -> web.Response:
        return await self._record(request, "update")

    async def _team(self, request: web.Request, kind: str) -> tuple[str, Team | None]:
        team_id = request.match_info["team"]
        self.lookups.append(f"{kind} {team_id}")
        if self.hold_lookups is not None:
            await self.hold_lookups.wait()
        return team_id, self.teams.get(team_id)

    async def team_details(self, request: web.Request) -> web.Response:
        team_id, team = await self._team(request, "details")
        if team is None:
            return web.json_response(NOT_IN_ROSTER, status=403)
        return web.json_response(
            {"id": team_id, "name": team.name, "aadGroupId": team.aad_group_id}
        )

    async def team_channels(self, request: web.Request) -> web.Response:
        _, team = await self._team(request, "channels")
        if team is None:
            return web.json_response(NOT_IN_ROSTER, status=403)
        channels = [
            {"id": channel_id, **({"name": name} if name is not None else {})}
            for channel_id, name in team.channels
        ]
        return web.json_response({"conversations": channels})

    async def other(self, request: web.Request) -> web.Response:
        self.unexpected.append(f"{request.method} {request.path}")
        return web.json_response({"error": {"code": "NotFound"}}, status=404)

    def app(self) -> web.Application:
        app = web.Application()
        prefix = BASE_PATH + "v3/conversations/{conversation}/activities"
        app.router.add_post(prefix, self.send)
        app.router.add_post(prefix + "/{activity}", self.reply)
        app.router.add_put(prefix + "/{activity}", self.update)
        app.router.add_get(BASE_PATH + "v3/teams/{team}", self.team_details)
        app.router.add_get(BASE_PATH + "v3/teams/{team}/conversations", self.team_channels)
        app.router.add_get(
            BASE_PATH + "v3/conversations/{conversation}/members/{member}", self.member
        )
        app.router.add_post(BASE_PATH + "v3/conversations", self.create)
        app.router.add_route("*", "/{tail:.*}", self.other)
        return app

    async def start(self) -> None:
        self.server = TestServer(self.app(), host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        for held in (self.hold_lookups, self.hold_members):
            if held is not None:
                held.set()
        if self.server is not None:
            await self.server.close()
