"""Teams settings from the Bot Framework's conventional variables.

`MicrosoftAppId`, `MicrosoftAppPassword`, `MicrosoftAppType` and `MicrosoftAppTenantId` are the
names Azure Bot Service, the BotBuilder samples and the Bot Framework Emulator all expect. With no
`MicrosoftAppId` the bot runs in local mode: unauthenticated, for the Emulator on this machine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# A tenant is a GUID or a verified domain such as contoso.onmicrosoft.com.
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")
_OFF = ("0", "false", "no", "off")
_ON = ("", "1", "true", "yes", "on")


def is_guid(value: str) -> bool:
    return bool(_GUID.match(value))


@dataclass(frozen=True, slots=True)
class TeamsSettings:
    enabled: bool  # PASSBACK_TEAMS=off leaves /api/messages unmounted
    app_id: str
    app_password: str = field(repr=False)  # never printed, never logged
    app_type: str = "MultiTenant"
    tenant_id: str = ""

    @property
    def authenticated(self) -> bool:
        """Whether requests must carry a valid Bot Framework token (False: Emulator mode)."""
        return bool(self.app_id)

    @classmethod
    def from_env(cls, env: Mapping[str, str], problems: list[str]) -> TeamsSettings:
        switch = env.get("PASSBACK_TEAMS", "").strip().lower()
        if switch not in _ON + _OFF:
            problems.append(f"PASSBACK_TEAMS must be on or off, not {switch!r}")
        enabled = switch not in _OFF
        app_id = env.get("MicrosoftAppId", "").strip()
        password = env.get("MicrosoftAppPassword", "").strip()
        tenant = env.get("MicrosoftAppTenantId", "").strip()
        raw_type = env.get("MicrosoftAppType", "").strip() or "MultiTenant"
        app_type = next((t for t in APP_TYPES if t.lower() == raw_type.lower()), "")
        if not app_type:
            problems.append(
                f"MicrosoftAppType must be one of {', '.join(APP_TYPES)}, not {raw_type!r}"
            )
            app_type = "MultiTenant"
        if app_id and not is_guid(app_id):
            problems.append(
                "MicrosoftAppId must be the bot's Microsoft App ID, a GUID like "
                "00000000-0000-0000-0000-000000000000 (see the Azure Bot's Configuration page)"
            )
        if tenant and not _TENANT.match(tenant):
            problems.append("MicrosoftAppTenantId must be a tenant GUID or domain name")
        if password and not app_id:
            problems.append("MicrosoftAppPassword is set but MicrosoftAppId is not")
        elif app_id and app_type in ("MultiTenant", "SingleTenant") and not password:
            problems.append(
                f"MicrosoftAppPassword is required with MicrosoftAppId for a {app_type} bot "
                "(the client secret from the app registration)"
            )
        if app_id and app_type in ("SingleTenant", "UserAssignedMSI") and not tenant:
            problems.append(f"MicrosoftAppTenantId is required for a {app_type} bot")
        return cls(
            enabled=enabled,
            app_id=app_id,
            app_password=password,
            app_type=app_type,
            tenant_id=tenant,
        )
