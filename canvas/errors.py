"""What can go wrong talking to Canvas, one type per failure a person can act on.

The bot turns each into a sentence at its edge; none of them carries a response body, a query
string or the token, so printing or logging one never leaks student data or a secret.
"""

from __future__ import annotations


class CanvasError(Exception):
    """Base of every Canvas failure. `status` is the HTTP status, when there was one."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class TokenInvalid(CanvasError):
    """Canvas does not accept the token: unknown, expired or revoked. `developer_key` is True
    when the token came from the developer key's refresh flow, not PASSBACK_CANVAS_TOKEN."""

    developer_key: bool = False


class TokenExpired(TokenInvalid):
    """The token was good and has expired (developer-key tokens last an hour)."""


class ScopeMissing(CanvasError):
    """The token's developer key does not allow this endpoint."""


class NotPermitted(CanvasError):
    """The token's user may not do this (Canvas answers 401 or 403 depending on its version)."""


class NotFound(CanvasError):
    """The course, section or assignment does not exist (or was deleted)."""


class GradeExportDisabled(CanvasError):
    """No SIS integration is configured and bulk SIS grade export is off for the course."""


class CourseUnpublished(CanvasError):
    """Canvas keeps grade data of an unpublished course from the SIS integration."""


class Throttled(CanvasError):
    """Canvas's rate limit for this token is used up (403 text or 429)."""


class Unreachable(CanvasError):
    """Canvas did not answer, answered too slowly, or kept failing with server errors."""


class BadResponse(CanvasError):
    """Canvas answered with something that is not the JSON the API documents."""


class BudgetExceeded(CanvasError):
    """A diagnosis would need more requests than it is allowed to make."""
