"""What each Canvas endpoint of the stand-in answers, from the district's data and the token.

Permission names follow Canvas's (read_roster, read_sis, view_all_grades, ...); a missing
right is Canvas's "user not authorized" refusal, a missing object its 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from multidict import MultiMapping

from tests.canvas.standin.district import District, Token

# setting assignment_all_dates_too_many_threshold: from this many overrides on, all_dates is
# replaced by all_dates_count (lib/api/v1/assignment.rb)
ALL_DATES_THRESHOLD = 25


@dataclass
class Context:
    district: District
    token: Token
    query: MultiMapping[str]
    includes_allowed: bool
    base: str  # scheme://host the request came to: Canvas builds html_url from it

    def require(self, *rights: str) -> None:
        from tests.canvas.standin.server import UNAUTHORIZED, Refusal

        if not any(r in self.token.rights for r in rights):
            raise Refusal(403, UNAUTHORIZED)

    def includes(self) -> set[str]:
        if not self.includes_allowed:  # developer_keys.md: ignored for scoped tokens
            return set()
        return set(self.query.getall("include[]", ())) | set(self.query.getall("include", ()))

    def host_url(self, path: str) -> str:
        return f"{self.base}{path}"


def _missing() -> Any:
    from tests.canvas.standin.server import NOT_FOUND, Refusal

    return Refusal(404, NOT_FOUND)


def _course(ctx: Context, raw_id: str) -> dict:
    for course in ctx.district.courses:
        if raw_id == str(course["id"]) or raw_id == f"sis_course_id:{course['sis_course_id']}":
            return course
    raise _missing()


def _user(ctx: Context, user: dict) -> dict:
    out = {k: user[k] for k in ("id", "name", "sortable_name", "short_name", "login_id")}
    if "read_sis" in ctx.token.rights:
        out["sis_user_id"] = user["sis_user_id"]
    if "email" in ctx.includes():
        out["email"] = user["email"]
    return out


def user_self(ctx: Context) -> dict:
    me = next(u for u in ctx.district.users if u["id"] == ctx.token.user_id)
    return {
        "id": me["id"],
        "name": me["name"],
        "sortable_name": me["sortable_name"],
        "short_name": me["short_name"],
        "login_id": me["login_id"],
    }


def account_users(ctx: Context, account_id: str) -> list[dict]:
    from tests.canvas.standin.server import Refusal

    if account_id not in ("self", "81259"):
        raise _missing()
    ctx.require("view_users")
    term = ctx.query.get("search_term", "")
    if term and len(term) < 3:
        raise Refusal(
            400,
            {
                "errors": [
                    {
                        "field": "search_term",
                        "code": "invalid",
                        "message": "3 or more characters is required",
                    }
                ]
            },
        )
    found = []
    for user in ctx.district.users:
        fields = (user["name"], user["login_id"], user["email"], user["sis_user_id"] or "")
        if not term or any(term.lower() in f.lower() for f in fields):
            found.append(_user(ctx, user))
    return found


def user_courses(ctx: Context, user_id: str) -> list[dict]:
    """courses_controller.rb#user_index: another user's courses for "an observer of that user
    or an administrator"; `enrollment_type` (teacher, ta, ...) and `enrollment_state` filter
    on the user's enrollments."""
    from tests.canvas.standin.seed import TERM

    ctx.require("read_roster")
    user = next((u for u in ctx.district.users if str(u["id"]) == user_id), None)
    if user is None:
        raise _missing()
    kind = ctx.query.get("enrollment_type")
    types = {"teacher": "TeacherEnrollment", "ta": "TaEnrollment", "student": "StudentEnrollment"}
    state = ctx.query.get("enrollment_state")
    ids = {
        e["course_id"]
        for e in ctx.district.enrollments
        if e["user_id"] == user["id"]
        and (kind is None or e["type"] == types.get(kind))
        and (state is None or e["enrollment_state"] == state)
    }
    found = []
    for course in ctx.district.courses:
        if course["id"] in ids:
            data = dict(course)
            if "read_sis" not in ctx.token.rights:
                data.pop("sis_course_id")
            if "term" in ctx.includes():
                data["term"] = dict(course.get("term") or TERM)
            found.append(data)
    return found


def course(ctx: Context, course_id: str) -> dict:
    """courses_controller.rb#show: api_find (404) before authorized_action(:read) (403)."""
    data = dict(_course(ctx, course_id))
    ctx.require("read_course")
    if "read_sis" not in ctx.token.rights:
        data.pop("sis_course_id")
    if "term" in ctx.includes():
        from tests.canvas.standin.seed import TERM

        data["term"] = dict(TERM)
    if "total_students" in ctx.includes():
        data["total_students"] = sum(
            s["total_students"] for s in ctx.district.sections if s["course_id"] == data["id"]
        )
    return data


def _sections_of(ctx: Context, course_id: int) -> list[dict]:
    return [s for s in ctx.district.sections if s["course_id"] == course_id]


def sections(ctx: Context, course_id: str) -> list[dict]:
    """sections_controller.rb#index: any of read, read_roster, view_all_grades; SIS fields
    only with SIS rights (lib/api/v1/section.rb)."""
    ctx.require("read_course", "read_roster", "view_all_grades")
    found = []
    for section in _sections_of(ctx, _course(ctx, course_id)["id"]):
        data = dict(section)
        if "read_sis" not in ctx.token.rights:
            data.pop("sis_section_id")
            data.pop("integration_id")
        if "total_students" not in ctx.includes():
            data.pop("total_students")
        found.append(data)
    return found


def enrollments(ctx: Context, course_id: str) -> list[dict]:
    ctx.require("read_roster")
    cid = _course(ctx, course_id)["id"]
    user_id = ctx.query.get("user_id")
    types = set(ctx.query.getall("type[]", ()))
    states = set(ctx.query.getall("state[]", ())) or {"active", "invited"}
    return [
        dict(e)
        for e in ctx.district.enrollments
        if e["course_id"] == cid
        and (user_id is None or str(e["user_id"]) == user_id)
        and (not types or e["type"] in types)
        and e["enrollment_state"] in states
    ]


def _assignments_of(ctx: Context, course_id: int) -> list[dict]:
    return [a for a in ctx.district.assignments if a["course_id"] == course_id]


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _overridden_for_admin(a: dict) -> dict[str, str | None]:
    """The dates as they apply to the requesting user with override_assignment_dates=true
    (Canvas's default): for an admin every override applies and the most lenient date wins
    (AssignmentOverrideApplicator: the latest due/lock date, none beats any; the earliest
    unlock date), so `due_at` is not the base date once an assignment has overrides."""
    sets = [dict(o) for o in a["overrides"]]
    if not a["only_visible_to_overrides"]:
        sets.append({"due_at": a["due_at"], "unlock_at": a["unlock_at"], "lock_at": a["lock_at"]})
    if not sets:
        return {}
    found: dict[str, str | None] = {}
    for key, pick in (("due_at", max), ("lock_at", max), ("unlock_at", min)):
        values: list[str] = [s[key] for s in sets if s.get(key) is not None]
        found[key] = pick(values, key=_when) if len(values) == len(sets) else None
    return found


def _assignment_json(ctx: Context, a: dict, includes: set[str]) -> dict:
    data = {k: v for k, v in a.items() if k != "overrides"}
    if ctx.query.get("override_assignment_dates", "true").lower() not in ("false", "0"):
        data.update(_overridden_for_admin(a))
    data["html_url"] = ctx.host_url(f"/courses/{a['course_id']}/assignments/{a['id']}")
    data["has_overrides"] = bool(a["overrides"])
    overrides = [dict(o, assignment_id=a["id"]) for o in a["overrides"]]
    if "overrides" in includes:
        data["overrides"] = overrides
    if "all_dates" in includes or ctx.query.get("all_dates") == "true":
        dates = [
            {
                "id": o["id"],
                "title": o["title"],
                "due_at": o["due_at"],
                "unlock_at": o["unlock_at"],
                "lock_at": o["lock_at"],
            }
            for o in overrides
        ]
        if not a["only_visible_to_overrides"]:
            dates.append(
                {
                    "base": True,
                    "title": "Everyone else" if overrides else "Everyone",
                    "due_at": a["due_at"],
                    "unlock_at": a["unlock_at"],
                    "lock_at": a["lock_at"],
                }
            )
        if len(overrides) >= ALL_DATES_THRESHOLD:  # lib/api/v1/assignment.rb
            data["all_dates_count"] = len(overrides)
        else:
            data["all_dates"] = dates
    return data


def assignments(ctx: Context, course_id: str) -> list[dict]:
    ctx.require("read_course")
    includes = ctx.includes()
    return [
        _assignment_json(ctx, a, includes)
        for a in _assignments_of(ctx, _course(ctx, course_id)["id"])
    ]


def date_details(ctx: Context, course_id: str, assignment_id: str) -> dict:
    ctx.require("read_course")
    for a in _assignments_of(ctx, _course(ctx, course_id)["id"]):
        if str(a["id"]) == assignment_id:
            return {
                "id": a["id"],
                "due_at": a["due_at"],
                "unlock_at": a["unlock_at"],
                "lock_at": a["lock_at"],
                "only_visible_to_overrides": a["only_visible_to_overrides"],
                "visible_to_everyone": not a["only_visible_to_overrides"],
                "graded": True,
                "overrides": [dict(o, assignment_id=a["id"]) for o in a["overrides"]],
            }
    raise _missing()


def grading_periods(ctx: Context, course_id: str) -> dict:
    ctx.require("read_course")
    cid = _course(ctx, course_id)["id"]
    return {"grading_periods": [dict(p) for p in ctx.district.grading_periods.get(cid, [])]}
