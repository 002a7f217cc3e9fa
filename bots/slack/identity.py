"""Who clicked, as Slack knows them: `users.info` -> `user.profile.email`, never message text.

`profile.email` needs the `users:read` and `users:read.email` scopes. A guest (single- or
multi-channel: `is_restricted`, `is_ultra_restricted`), a Slack Connect person from another
organisation (`is_stranger`, or a `team_id` other than `team_id` given here: the workspace the
click was made in, never the clicker's own team), a bot, a deactivated account, or a profile
without an e-mail gets None: no Canvas check, and the card says why.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bots.slack.failures import describe

log = logging.getLogger("passback.slack")


async def slack_email(client: AsyncWebClient, user_id: str, team_id: str = "") -> str | None:
    if not user_id:
        return None
    try:
        found = await client.users_info(user=user_id)
    except Exception as exc:  # missing_scope, user_not_found, ratelimited...: no identity
        log.warning("slack: users.info gave no identity (%s)", describe(exc))
        return None
    user = found.get("user")
    if not isinstance(user, dict):
        return None
    outsider = any(
        user.get(flag)
        for flag in ("deleted", "is_bot", "is_restricted", "is_ultra_restricted", "is_stranger")
    )
    other_team = bool(team_id and user.get("team_id") and user.get("team_id") != team_id)
    if outsider or other_team:
        return None
    profile = user.get("profile")
    email = profile.get("email") if isinstance(profile, dict) else None
    if not isinstance(email, str) or "@" not in email:
        return None
    return email.strip()
