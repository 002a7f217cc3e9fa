"""HMAC-SHA256 signatures for the JSON webhook, both ways.

Outgoing case deliveries and incoming status callbacks (`POST /escalations/{ref}/status`) use the
same scheme, with the secret in PASSBACK_ESCALATION_WEBHOOK_SECRET:

    X-Passback-Timestamp: <unix seconds>
    X-Passback-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body bytes>">

A status callback's signature also covers what it asks for, its method and path:

    X-Passback-Signature: sha256=<hex HMAC-SHA256 of
                          "<timestamp>.POST /escalations/PB-1042/status.<raw body bytes>">

so a callback signed for one case cannot be replayed against another. (An outgoing delivery's
signed text starts with its JSON body's `{`, a callback's with its method: one can never be
taken for the other.)

The timestamp is signed so a captured request cannot be replayed later: receivers reject it when
it is more than five minutes away from their clock.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Passback-Signature"
TIMESTAMP_HEADER = "X-Passback-Timestamp"
TOLERANCE_SECONDS = 300
_MAX_TIMESTAMP_DIGITS = 12  # Unix seconds until the year 33658; longer is not a time


def sign(secret: str, timestamp: str, body: bytes, target: str = "") -> str:
    """The signature of `body` at `timestamp`; `target` ("POST /path") for a status callback."""
    signed = timestamp.encode("ascii") + b"." + (target.encode("utf-8") + b"." if target else b"")
    mac = hmac.new(secret.encode("utf-8"), signed + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, now: float, target: str = "") -> dict[str, str]:
    timestamp = str(int(now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body, target)}


def verify(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    tolerance: float = TOLERANCE_SECONDS,
    target: str = "",
) -> bool:
    """Whether the request (for `target`, when given) was signed with `secret`, recently."""
    if not (secret and timestamp and signature and timestamp.isascii() and timestamp.isdigit()):
        return False
    if len(timestamp) > _MAX_TIMESTAMP_DIGITS or abs(now - int(timestamp)) > tolerance:
        return False
    try:
        expected = sign(secret, timestamp, body, target)
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected, signature.strip())
