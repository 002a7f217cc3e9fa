"""Which course a person means (a Canvas URL or id), and links to the pages that fix things.

A course URL counts only on the configured Canvas host: a link to another Canvas is refused
rather than followed (the token belongs to this district's Canvas).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from urlsafety import host_is_ambiguous

_COURSE_PATH = re.compile(r"^/courses/(\d{1,20})(?:/assignments/(\d{1,20}))?(?:[/?#]|$)")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'|]+/courses/\d{1,20}[^\s<>\"'|]*", re.I)


class CourseRefError(ValueError):
    """Not a course this Canvas can look at; the message says why, in one sentence."""


@dataclass(frozen=True, slots=True)
class CourseRef:
    course_id: str
    assignment_id: str | None = None


def _origin(url: str) -> tuple[str, str, int | None]:
    try:
        parts = urlsplit(url)
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme.lower())
    except ValueError:  # `[::1` or a port that is not a number
        raise CourseRefError("That Canvas link is not a valid URL.") from None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def parse_course(value: str, base_url: str) -> CourseRef:
    """A course id, or a course or assignment URL on the configured Canvas."""
    value = value.strip()
    if value.isdigit() and len(value) <= 20:
        return CourseRef(value)
    if not re.match(r"^https?://", value, re.I):
        raise CourseRefError("Give the course as a Canvas course URL or a course id.")
    origin = _origin(value)
    if host_is_ambiguous(value) or origin[1:] != _origin(base_url)[1:]:
        raise CourseRefError(f"That link is not on this district's Canvas ({host(base_url)}).")
    match = _COURSE_PATH.match(urlsplit(value).path)
    if not match:
        raise CourseRefError("That Canvas link does not point at a course or an assignment.")
    return CourseRef(match.group(1), match.group(2))


def course_in_text(text: str, base_url: str) -> CourseRef | None:
    """The first Canvas course URL in a paste; CourseRefError for one on another host."""
    for url in _URL_IN_TEXT.findall(text):
        return parse_course(url.rstrip(".,;:)]}"), base_url)
    return None


def host(base_url: str) -> str:
    return urlsplit(base_url).netloc


@dataclass(frozen=True, slots=True)
class Links:
    """Canvas UI pages (routes confirmed in canvas-lms: settings#tab-sections, sections/:id,
    gradebook/history, gradebook/speed_grader)."""

    base_url: str

    def course(self, course_id: str) -> str:
        return f"{self.base_url}/courses/{course_id}"

    def assignment_edit(self, course_id: str, assignment_id: str, html_url: str = "") -> str:
        url = (
            html_url
            if html_url.startswith(self.base_url)
            else (f"{self.course(course_id)}/assignments/{assignment_id}")
        )
        return f"{url}/edit"

    def sections_settings(self, course_id: str) -> str:
        return f"{self.course(course_id)}/settings#tab-sections"

    def section(self, course_id: str, section_id: str) -> str:
        return f"{self.course(course_id)}/sections/{section_id}"

    def gradebook_history(self, course_id: str) -> str:
        return f"{self.course(course_id)}/gradebook/history"

    def speed_grader(self, course_id: str, assignment_id: str, student_id: str) -> str:
        return (
            f"{self.course(course_id)}/gradebook/speed_grader"
            f"?assignment_id={assignment_id}&student_id={student_id}"
        )
