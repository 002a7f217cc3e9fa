"""Who clicked, as Teams knows them: `TeamsInfo.get_member` -> e-mail or UPN, never message text.

`TeamsInfo.get_member` asks the Bot Connector (`GET /v3/conversations/{id}/members/{member}`)
with the bot's own credentials in the conversation the click came from: no Graph permission,
no admin consent. In a team it is asked with the team's id, as the .NET and JavaScript SDKs
ask it (botbuilder-python 4.17 would send the channel thread's `<channel>;messageid=<root>`).

A guest (`userRole` "guest") or anonymous meeting participant, someone of another tenant, a
member the connector does not know, a look-up slower than `seconds` (MEMBER_SECONDS), or a
profile with neither an e-mail nor a user principal name gets None: no Canvas check, and the
card says why.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Mapping

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import ConversationAccount

log = logging.getLogger("passback.teams")

MEMBER_SECONDS = 5.0
OUTSIDERS = ("guest", "anonymous")


def _address(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    local, at, domain = value.partition("@")
    return value if local and at and "." in domain and " " not in value else None


def _in_the_team(turn_context: TurnContext) -> TurnContext:
    """The turn as TeamsInfo should see it: in a team, its conversation is the team."""
    data = turn_context.activity.channel_data
    team = data.get("team") if isinstance(data, Mapping) else None
    team_id = team.get("id") if isinstance(team, Mapping) else None
    if not isinstance(team_id, str) or not team_id:
        return turn_context
    activity = copy.copy(turn_context.activity)
    activity.conversation = ConversationAccount(id=team_id, conversation_type="channel")
    asked = TurnContext(turn_context.adapter, activity)
    key = BotAdapter.BOT_CONNECTOR_CLIENT_KEY
    asked.turn_state[key] = turn_context.turn_state.get(key)
    return asked


async def teams_email(
    turn_context: TurnContext, member_id: str, tenant: str = "", seconds: float | None = None
) -> str | None:
    if not member_id:
        return None
    seconds = MEMBER_SECONDS if seconds is None else seconds
    try:
        async with asyncio.timeout(seconds):
            member = await TeamsInfo.get_member(_in_the_team(turn_context), member_id)
    except TimeoutError:
        log.warning("teams: the member look-up took longer than %g s: no identity", seconds)
        return None
    except Exception as exc:  # MemberNotFoundInConversation, 403, the connector down: none
        log.warning("teams: the member look-up gave no identity (%s)", type(exc).__name__)
        return None
    if (member.user_role or "").lower() in OUTSIDERS:
        return None
    if tenant and member.tenant_id and member.tenant_id != tenant:
        return None
    return _address(member.email) or _address(member.user_principal_name)
