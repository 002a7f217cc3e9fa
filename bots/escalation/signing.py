"""HMAC-SHA256 signatures for the JSON webhook, both ways.

Outgoing case deliveries and incoming status callbacks (`POST /escalations/{ref}/status`) use the
same scheme, with the secret in PASSBACK_ESCALATION_WEBHOOK_SECRET:

    X-Passback-Timestamp: <unix seconds>
    X-Passback-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body bytes>">

The timestamp is signed so a captured request cannot be replayed later: receivers reject it when
it is more than five minutes away from their clock.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Passback-Signature"
TIMESTAMP_HEADER = "X-Passback-Timestamp"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, now: float) -> dict[str, str]:
    timestamp = str(int(now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    tolerance: float = TOLERANCE_SECONDS,
) -> bool:
    """Whether the request was signed with `secret`, recently."""
    if not (secret and timestamp and signature and timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs(now - int(timestamp)) > tolerance:
        return False
    try:
        expected = sign(secret, timestamp, body)
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected, signature.strip())
