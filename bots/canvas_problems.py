"""Canvas failures as one sentence each, for the person at the edge (CLI, chat)."""

from __future__ import annotations

from canvas import errors


def sentence(exc: errors.CanvasError, host: str) -> str:
    if isinstance(exc, errors.TokenInvalid) and exc.developer_key:
        return (
            f"Canvas at {host} refuses the token passback got from its developer key ({exc}); "
            "check PASSBACK_CANVAS_CLIENT_ID, PASSBACK_CANVAS_CLIENT_SECRET and "
            "PASSBACK_CANVAS_REFRESH_TOKEN, or authorize passback again (see README, Canvas)."
        )
    if isinstance(exc, errors.TokenInvalid):
        return (
            f"Canvas at {host} refuses passback's token ({exc}); "
            "check PASSBACK_CANVAS_TOKEN, or ask your Canvas admin for a new one."
        )
    if isinstance(exc, errors.ScopeMissing):
        return (
            f"Canvas at {host} accepts passback's token, but its developer key does not allow "
            "this request; ask your Canvas admin to add the scope (see README, Canvas)."
        )
    if isinstance(exc, errors.NotPermitted):
        return (
            f"Canvas at {host} accepts passback's token, but its role may not read this; "
            "ask your Canvas admin to check the passback role (see README, Canvas)."
        )
    if isinstance(exc, errors.Throttled):
        return f"Canvas at {host} is rate-limiting passback's token; try again in a minute."
    if isinstance(exc, errors.Unreachable):
        return f"Canvas at {host} did not answer ({exc}); try again later."
    return f"Canvas at {host} did not give a usable answer ({exc}); try again later."
