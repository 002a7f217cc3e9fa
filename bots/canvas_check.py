"""An answer with what Canvas shows: diagnose the course a pasted Canvas link names.

Used where a person asks (`passback ask`, and the chat flows next): the answer is the
catalog's either way; Canvas adds findings when it is configured, the paste links a course
on it, and the person may see that course. Any Canvas problem leaves the answer as it was,
with one sentence saying why there is no finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiohttp

from bots.answer import Answer
from bots.answer_canvas import canvas_findings, with_canvas
from bots.canvas_problems import sentence
from canvas import errors
from canvas.access import Authoriser
from canvas.diagnoses import Denied, Diagnoser, Suspect
from canvas.settings import CanvasSettings, open_client
from canvas.urls import CourseRefError, course_in_text, host
from catalog import Catalog
from matcher import MatchResult


@dataclass(frozen=True, slots=True)
class Checked:
    answer: Answer
    note: str | None = None  # why Canvas added nothing, when it was asked and could not


async def check_in_canvas(
    answer: Answer,
    text: str,
    result: MatchResult,
    catalog: Catalog,
    settings: CanvasSettings,
    session: aiohttp.ClientSession,
    email: str | None = None,
    now: datetime | None = None,
) -> Checked:
    """`email` None: the operator on the server. Never raises for a Canvas problem."""
    if answer.kind != "errors":
        return Checked(answer)
    try:
        ref = course_in_text(text, settings.url)  # the raw paste: cleaning may touch a URL
    except CourseRefError as exc:
        return Checked(answer, str(exc))
    if ref is None:
        return Checked(answer)
    suspects = [Suspect(m.entry_id, dict(m.fields)) for m in result.matches]
    diagnoser = Diagnoser(open_client(settings, session), Authoriser(settings.admins))
    try:
        diagnosis = await diagnoser.diagnose(suspects, ref, email, now)
    except Denied as exc:
        return Checked(answer, str(exc))
    except TimeoutError:
        return Checked(answer, f"Canvas at {host(settings.url)} answered too slowly.")
    except errors.CanvasError as exc:
        return Checked(answer, sentence(exc, host(settings.url)))
    return Checked(with_canvas(answer, canvas_findings(diagnosis, catalog)))
