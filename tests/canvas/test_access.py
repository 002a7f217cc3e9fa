"""Authorisation fails closed: exactly one Canvas user, teaching the course, or an admin."""

from __future__ import annotations

import pytest

from canvas.access import REFUSAL, Authoriser
from canvas.diagnoses import Denied, Diagnoser, Suspect
from canvas.urls import CourseRef
from tests.canvas.conftest import Canvas

AUTH_PATHS = {
    "/api/v1/accounts/self/users",
    "/api/v1/courses/101/enrollments",
    "/api/v1/courses/102/enrollments",
    "/api/v1/courses/999/enrollments",
}


@pytest.mark.parametrize(
    "email", ["pteacher@district.org", "PTeacher@District.ORG", "tassist@district.org"]
)
async def test_a_teacher_or_ta_of_the_course_may_see_it(canvas: Canvas, email: str) -> None:
    decision = await Authoriser().decide(canvas.client().reader(), email, "101")
    assert decision.allowed


@pytest.mark.parametrize(
    ("email", "course"),
    [
        ("oother@district.org", "101"),  # teaches another course
        ("pteacher@district.org", "102"),  # not this course
        ("fformer@district.org", "101"),  # enrollment concluded
        ("shared@district.org", "101"),  # two Canvas users have that e-mail
        ("jrivera@students.district.org", "101"),  # a student
        ("pteacher@district", "101"),  # only a prefix of a login: no exact match
        ("nobody@district.org", "101"),
        ("pteacher@district.org", "999"),  # no such course: the same refusal
        ("not an e-mail", "101"),
    ],
)
async def test_everyone_else_is_refused_alike(canvas: Canvas, email: str, course: str) -> None:
    decision = await Authoriser().decide(canvas.client().reader(), email, course)
    assert not decision.allowed and decision.why == REFUSAL


async def test_admins_need_no_enrollment(canvas: Canvas) -> None:
    decision = await Authoriser(["Admin@District.org"]).decide(
        canvas.client().reader(), "admin@district.org", "102"
    )
    assert decision.allowed and canvas.paths() == []


async def test_a_refused_person_gets_no_course_data_and_nothing_else_is_fetched(
    canvas: Canvas,
) -> None:
    diagnoser = Diagnoser(canvas.client(), Authoriser())
    with pytest.raises(Denied) as caught:
        await diagnoser.diagnose(
            [Suspect("unable-to-process-score")], CourseRef("101"), "oother@district.org"
        )
    assert "Chemistry" not in str(caught.value)
    assert set(canvas.paths()) <= AUTH_PATHS


async def test_a_decision_is_cached_for_minutes_not_longer(canvas: Canvas) -> None:
    authoriser = Authoriser(seconds=60)
    reader = canvas.client().reader()
    assert (await authoriser.decide(reader, "pteacher@district.org", "101")).allowed
    assert (await authoriser.decide(reader, "pteacher@district.org", "101")).allowed
    assert len(canvas.district.requests) == 2  # one search, one enrollment look-up
    expired = Authoriser(seconds=0)
    await expired.decide(reader, "pteacher@district.org", "101")
    await expired.decide(reader, "pteacher@district.org", "101")
    assert len(canvas.district.requests) == 6
