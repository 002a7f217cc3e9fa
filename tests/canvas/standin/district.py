"""The state of one Canvas stand-in: the seeded district (seed.py), tokens and fault switches."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.canvas.standin.seed import (
    ASSIGNMENTS,
    COURSES,
    ENROLLMENTS,
    GRADE_CHANGES,
    GRADING_PERIODS,
    SECTIONS,
    USERS,
)

HOST_TOKEN = "svc-token-7f3a9c"  # the district's service token (full read rights)

FULL_RIGHTS = frozenset(
    {
        "read_course",
        "read_roster",
        "read_sis",
        "view_all_grades",
        "view_grade_changes",
        "view_users",
    }
)


PASSBACK_SCOPES = (  # the developer key of README "A least-privilege token"
    "url:GET|/api/v1/users/self",
    "url:GET|/api/v1/accounts/:account_id/users",
    "url:GET|/api/v1/users/:user_id/courses",
    "url:GET|/api/v1/courses/:id",
    "url:GET|/api/v1/courses/:course_id/sections",
    "url:GET|/api/v1/courses/:course_id/enrollments",
    "url:GET|/api/v1/courses/:course_id/assignments",
    "url:GET|/api/v1/courses/:course_id/assignments/:assignment_id/date_details",
    "url:GET|/api/v1/courses/:course_id/grading_periods",
    "url:GET|/api/sis/courses/:course_id/assignments",
    "url:GET|/api/v1/audit/grade_change/courses/:course_id",
)


@dataclass
class Token:
    user_id: int
    rights: frozenset[str] = FULL_RIGHTS
    scopes: tuple[str, ...] | None = None  # None: not a scoped developer key
    allow_includes: bool = True
    state: str = "active"  # active | expired | revoked


@dataclass
class District:
    """Mutable state of one stand-in: seed data plus the switches tests flip."""

    users: list[dict] = field(default_factory=lambda: [dict(u) for u in USERS])
    courses: list[dict] = field(default_factory=lambda: [dict(c) for c in COURSES])
    sections: list[dict] = field(default_factory=lambda: [dict(s) for s in SECTIONS])
    enrollments: list[dict] = field(default_factory=lambda: [dict(e) for e in ENROLLMENTS])
    assignments: list[dict] = field(default_factory=lambda: [dict(a) for a in ASSIGNMENTS])
    grading_periods: dict[int, list[dict]] = field(default_factory=lambda: dict(GRADING_PERIODS))
    grade_changes: list[dict] = field(default_factory=lambda: list(GRADE_CHANGES))
    tokens: dict[str, Token] = field(
        default_factory=lambda: {
            HOST_TOKEN: Token(user_id=1),
            "svc-no-sis": Token(user_id=1, rights=FULL_RIGHTS - {"read_sis"}),
            "svc-no-grades": Token(
                user_id=1, rights=FULL_RIGHTS - {"view_all_grades", "view_grade_changes"}
            ),
            "svc-scoped": Token(user_id=1, scopes=("url:GET|/api/v1/users/self",)),
            "svc-scoped-noinclude": Token(
                user_id=1,
                allow_includes=False,
                scopes=PASSBACK_SCOPES,
            ),
            "expired-token": Token(user_id=1, state="expired"),
            "revoked-token": Token(user_id=1, state="revoked"),
        }
    )
    grade_export_enabled: bool = True
    legacy_401: bool = False  # older Canvas: "not permitted" as 401, not 403
    max_per_page: int = 100  # Canvas's maximum is unspecified; tests lower it to force pages
    throttle_status: int = 403  # 403 text (request_throttle.rb) or 429 (2025 change log)
    throttle_next: int = 0  # refuse this many requests as throttled
    low_remaining_next: int = 0  # report a nearly empty bucket on this many responses
    server_errors_next: int = 0  # answer this many requests with a 500
    delay: float = 0.0  # seconds before each answer (a slow Canvas)
    truncate_next: int = 0  # cut this many bodies short
    hijack_prefix: bool = False  # prefix JSON with `while(1);`
    foreign_next_link: bool = False  # a Link rel="next" to another origin
    # The scoped developer key (doc/api/oauth_endpoints.md): its client, the refresh tokens it
    # issued (to the service account), and how long its access tokens live.
    client_id: str = "170000000000042"
    client_secret: str = "dk-s3cret-1b2c"
    refresh_tokens: dict[str, int] = field(default_factory=lambda: {"rt-svc-9e8d": 1})
    redirect_uri: str = "urn:ietf:wg:oauth:2.0:oob"  # the one the key was authorized with
    access_seconds: int = 3600
    issued: list[str] = field(default_factory=list)  # access tokens from the key, in order
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Authorization)
    in_flight: int = 0
    peak_in_flight: int = 0

    def expire_issued_tokens(self) -> None:
        """An hour has passed: every token the developer key issued has expired."""
        for token in self.issued:
            self.tokens[token].state = "expired"
