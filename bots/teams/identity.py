"""Who clicked, as Teams knows them: `TeamsInfo.get_member` -> e-mail or UPN, never message text.

`TeamsInfo.get_member` asks the Bot Connector (`GET /v3/conversations/{id}/members/{member}`)
with the bot's own credentials in the conversation the click came from: no Graph permission,
no admin consent. A guest (`userRole` "guest") or anonymous meeting participant, someone of
another tenant, a member the connector does not know, a look-up slower than `seconds`, or a
profile with neither an e-mail nor a user principal name gets None: no Canvas check, and the
card says why.
"""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

log = logging.getLogger("passback.teams")

MEMBER_SECONDS = 5.0
OUTSIDERS = ("guest", "anonymous")


def _address(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    local, at, domain = value.partition("@")
    return value if local and at and "." in domain and " " not in value else None


async def teams_email(
    turn_context: TurnContext, member_id: str, tenant: str = "", seconds: float | None = None
) -> str | None:
    if not member_id:
        return None
    seconds = MEMBER_SECONDS if seconds is None else seconds
    try:
        async with asyncio.timeout(seconds):
            member = await TeamsInfo.get_member(turn_context, member_id)
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
