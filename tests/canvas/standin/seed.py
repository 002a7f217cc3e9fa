"""The district's data, in Canvas's JSON shapes: people, courses, sections, assignments, grades.

Ids are Canvas's integers, dates ISO 8601 with offsets. Course 101 ("Chemistry", taught by Pat,
TA Tara) holds one example of every date shape the diagnoses look for; course 105 ("Algebra",
also Pat's) is clean; course 102 belongs to another teacher; course 103 is unpublished.
"""

from __future__ import annotations

from typing import Any


def _u(id_: int, name: str, login: str, sis: str | None, email: str | None = None) -> dict:
    return {
        "id": id_,
        "name": name,
        "sortable_name": name,
        "short_name": name,
        "sis_user_id": sis,
        "login_id": login,
        "email": email or login,
    }


USERS = [
    _u(1, "Passback Service", "passback-svc@district.org", None),
    _u(42, "Pat Teacher", "pteacher@district.org", "T1001"),
    _u(43, "Tara Assistant", "tassist@district.org", "T1002"),
    _u(44, "Oscar Other", "oother@district.org", "T1003"),
    _u(45, "Sam Shared", "sshared1@district.org", "T1004", "shared@district.org"),
    _u(46, "Sam Shared", "sshared2@district.org", "T1005", "shared@district.org"),
    _u(47, "Fran Former", "fformer@district.org", "T1006"),
    _u(48, "Pat Teacherson", "pteacher@district.org.uk", "T1007"),
    _u(511, "Jordan Rivera", "jrivera@students.district.org", "s12345"),
    _u(512, "Alex Kim", "akim@students.district.org", "s12346"),
]

TERM = {
    "id": 34,
    "name": "S1 2026",
    "start_at": "2026-08-20T00:00:00-05:00",
    "end_at": "2027-01-17T23:59:00-06:00",
}


def _course(id_: int, name: str, code: str, sis: str | None, state: str = "available") -> dict:
    return {
        "id": id_,
        "name": name,
        "course_code": code,
        "sis_course_id": sis,
        "workflow_state": state,
        "account_id": 81259,
        "enrollment_term_id": 34,
        "start_at": "2026-08-20T00:00:00-05:00",
        "end_at": "2027-01-17T23:59:00-06:00",
        "restrict_enrollments_to_course_dates": False,
        "time_zone": "America/Chicago",
        "integration_id": None,
    }


COURSES = [
    _course(101, "Chemistry", "CHEM-1", "c34643"),
    _course(102, "Physics", "PHYS-1", "c34644"),
    _course(103, "Biology (draft)", "BIO-1", "c34645", state="unpublished"),
    _course(105, "Algebra", "ALG-1", "c34647"),
]


def _section(
    id_: int,
    course: int,
    name: str,
    sis: str | None,
    students: int,
    nonxlist: int | None = None,
    **dates: str | None,
) -> dict:
    return {
        "id": id_,
        "name": name,
        "course_id": course,
        "sis_section_id": sis,
        "integration_id": None,
        "start_at": dates.get("start_at"),
        "end_at": dates.get("end_at"),
        "restrict_enrollments_to_section_dates": False,
        "nonxlist_course_id": nonxlist,
        "total_students": students,
    }


SECTIONS = [
    _section(7, 101, "Period 1", "s-p1", 28),
    _section(8, 101, "Period 2", "s-p2", 27),
    _section(9, 101, "Period 3", "s-p3", 25),
    _section(10, 101, "Period 4", "s-p4", 24),
    _section(11, 101, "Period 5", "s-p5", 26),
    _section(12, 101, "Extra help (added in Canvas)", None, 3),
    _section(13, 101, "Period 6 (from Physics)", "s-p6", 20, nonxlist=102),
    _section(20, 102, "Physics P1", "s-ph1", 30),
    _section(30, 103, "Biology P1", "s-bi1", 22),
    _section(50, 105, "Algebra P1", "s-al1", 25),
    _section(51, 105, "Algebra P2", "s-al2", 24),
]


def _enrollment(
    id_: int, user: int, course: int, section: int, type_: str, state: str = "active"
) -> dict:
    return {
        "id": id_,
        "user_id": user,
        "course_id": course,
        "course_section_id": section,
        "type": type_,
        "role": type_,
        "enrollment_state": state,
    }


ENROLLMENTS = [
    _enrollment(900, 42, 101, 7, "TeacherEnrollment"),
    _enrollment(901, 43, 101, 8, "TaEnrollment"),
    _enrollment(902, 44, 102, 20, "TeacherEnrollment"),
    _enrollment(903, 47, 101, 7, "TeacherEnrollment", state="completed"),
    _enrollment(904, 42, 105, 50, "TeacherEnrollment"),
    _enrollment(905, 45, 101, 9, "TeacherEnrollment"),
    _enrollment(906, 46, 101, 9, "TeacherEnrollment"),
    _enrollment(907, 42, 103, 30, "TeacherEnrollment"),
    _enrollment(910, 511, 101, 7, "StudentEnrollment"),
    _enrollment(911, 512, 101, 8, "StudentEnrollment"),
]


def _override(
    id_: int,
    title: str,
    due: str | None,
    *,
    section: int | None = None,
    students: list[int] | None = None,
    module: int | None = None,
    unlock: str | None = None,
) -> dict:
    data: dict[str, Any] = {
        "id": id_,
        "title": title,
        "due_at": due,
        "unlock_at": unlock,
        "lock_at": None,
        "all_day": False,
    }
    if section is not None:
        data["course_section_id"] = section
    if students is not None:
        data["student_ids"] = students
    if module is not None:
        data["context_module_id"] = module
        data["context_module_name"] = "Unit 2"
    return data


def _assignment(
    id_: int,
    course: int,
    name: str,
    due: str | None,
    *,
    overrides: tuple[dict, ...] = (),
    only_overrides: bool = False,
    post_to_sis: bool = True,
    published: bool = True,
    unlock: str | None = None,
    integration_id: str | None = None,
) -> dict:
    return {
        "id": id_,
        "course_id": course,
        "name": name,
        "due_at": due,
        "unlock_at": unlock,
        "lock_at": None,
        "only_visible_to_overrides": only_overrides,
        "post_to_sis": post_to_sis,
        "published": published,
        "workflow_state": "published" if published else "unpublished",
        "integration_id": integration_id,
        "integration_data": {},
        "points_possible": 10.0,
        "grading_type": "points",
        "max_name_length": 30,
        "due_date_required": False,
        "in_closed_grading_period": False,
        "submission_types": ["online_upload"],
        "created_at": "2026-08-21T09:00:00-05:00",
        "assignment_group_id": 1,
        "overrides": list(overrides),
    }


ASSIGNMENTS = [
    _assignment(1, 101, "Lab 1", "2026-09-10T23:59:00-05:00"),
    _assignment(2, 101, "Lab 4", None),
    _assignment(
        3,
        101,
        "Lab 5",
        None,
        overrides=(
            _override(11, "Period 1", "2026-11-20T23:59:00-06:00", section=7),
            _override(12, "Period 2", "2026-11-21T23:59:00-06:00", section=8),
        ),
    ),
    _assignment(
        4,
        101,
        "Quiz 2",
        "2026-09-24T23:59:00-05:00",
        overrides=(_override(13, "1 student", "2026-09-30T23:59:00-05:00", students=[511]),),
    ),
    _assignment(
        5,
        101,
        "Unit 2 Test",
        None,
        only_overrides=True,
        overrides=(_override(14, "Period 3", "2026-10-08T23:59:00-05:00", section=9, module=9),),
    ),
    _assignment(6, 101, "Final Project", "2027-01-30T23:59:00-06:00"),
    _assignment(7, 101, "Essay 3", "2026-10-28T23:59:00-05:00", integration_id="ic-li-7731"),
    _assignment(8, 101, "Quiz 3", "2026-09-17T23:59:00-05:00"),
    _assignment(9, 101, "Quiz 3", "2026-12-03T23:59:00-06:00"),
    _assignment(10, 101, "Draft lab", None, published=False),
    _assignment(16, 101, "Homework 1", None, post_to_sis=False),
    _assignment(20, 105, "Equations 1", "2026-09-15T23:59:00-05:00"),
    _assignment(
        21,
        105,
        "Equations 2",
        "2026-11-10T23:59:00-06:00",
        overrides=(_override(30, "Algebra P1", "2026-11-12T23:59:00-06:00", section=50),),
    ),
]

GRADING_PERIODS = {
    101: [
        {
            "id": 1023,
            "title": "Q1",
            "start_date": "2026-08-20T05:00:00Z",
            "end_date": "2026-10-25T04:59:59Z",
            "close_date": "2026-10-31T04:59:59Z",
            "weight": None,
            "is_closed": True,
        },
        {
            "id": 1024,
            "title": "Q2",
            "start_date": "2026-11-01T05:00:00Z",
            "end_date": "2027-01-18T05:59:59Z",
            "close_date": "2027-01-25T05:59:59Z",
            "weight": None,
            "is_closed": False,
        },
    ],
}
GRADING_PERIODS[105] = GRADING_PERIODS[101]


def _change(
    id_: str,
    at: str,
    assignment: int,
    course: int,
    student: int,
    before: str | None,
    after: str | None,
    excused_after: bool = False,
) -> dict:
    return {
        "id": id_,
        "created_at": at,
        "event_type": "grade_change",
        "grade_before": before,
        "grade_after": after,
        "excused_before": False,
        "excused_after": excused_after,
        "graded_anonymously": False,
        "version_number": 3,
        "request_id": "r-" + id_,
        "links": {
            "assignment": assignment,
            "course": course,
            "student": student,
            "grader": 42,
            "page_view": None,
        },
    }


GRADE_CHANGES = [
    _change("e2b76430-0001", "2026-11-14T15:00:00-06:00", 1, 101, 511, "8", None),
    _change("e2b76430-0002", "2026-11-15T10:00:00-06:00", 8, 101, 512, "7", "9"),
    _change("e2b76430-0003", "2026-11-16T10:00:00-06:00", 8, 101, 511, "6", None, True),
    _change("e2b76430-0004", "2026-11-16T11:00:00-06:00", 16, 101, 512, "5", None),
    _change("e2b76430-0005", "2026-09-01T11:00:00-05:00", 8, 101, 512, "5", None),
]
