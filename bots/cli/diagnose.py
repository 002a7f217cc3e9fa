"""`passback diagnose`: check the real course in Canvas and say which cause applies.

passback diagnose [--course COURSE] [--as EMAIL] [--json] [TEXT]

COURSE is a Canvas course or assignment URL on the configured host, or a course id; a Canvas
URL inside TEXT counts too. Without --as the operator on the server is trusted; with it the
checks run only if that person may see the course. Exit 0 when the checks ran, whatever they
found; 1 when Canvas is off, unreachable, refuses the token or the person may not see the
course; 2 for usage. Canvas code is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import TYPE_CHECKING

from bots.cli.common import UserError, add_catalog_option, catalog_from_args
from catalog import Catalog

if TYPE_CHECKING:
    from canvas.diagnoses import Diagnosis, Suspect
    from canvas.settings import CanvasSettings
    from canvas.urls import CourseRef

NOT_CONFIGURED = (
    "Canvas is not configured: set PASSBACK_CANVAS_URL and PASSBACK_CANVAS_TOKEN, or a "
    "developer key (see README, Canvas)."
)


EPILOG = """\
COURSE (or a Canvas link inside TEXT) may be a course URL (.../courses/101), an assignment
URL (.../courses/101/assignments/8: the checks look at that assignment) or a course id.
Without TEXT, every error Canvas can check is checked.

exit codes:
  0  the checks ran (whatever they found)
  1  Canvas is not configured, cannot be reached, refuses the token, or the person may not
     see the course
  2  usage: no course given, or a link that is not on the configured Canvas
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "diagnose",
        help="check the real course in Canvas and say which cause applies",
        description="Check the real course in Canvas and say which cause applies.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the pasted error (optional)")
    parser.add_argument(
        "--course",
        metavar="COURSE",
        help="a Canvas course or assignment URL on the configured Canvas, or a course id",
    )
    parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="check as this person")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_catalog_option(parser)
    parser.set_defaults(run=run)


def canvas_settings() -> CanvasSettings:
    from canvas.settings import CanvasSettings

    problems: list[str] = []
    settings = CanvasSettings.from_env(os.environ, problems)
    if problems:
        raise UserError(problems[0] + ".", 1)
    if settings is None:
        raise UserError(NOT_CONFIGURED, 1)
    return settings


def _text(words: list[str]) -> str:
    if words:
        return " ".join(words)
    if sys.stdin is None or sys.stdin.isatty():
        return ""
    return sys.stdin.buffer.read().decode("utf-8", errors="replace")


def suspects_for(text: str, catalog: Catalog) -> list[Suspect]:
    """One suspect per matched entry; with no text, every entry Canvas can check."""
    from canvas.diagnoses import Suspect
    from canvas.diagnoses.run import CHECKS
    from matcher import Matcher

    if not text.strip():
        return [Suspect(e.id) for e in catalog.entries if e.id in CHECKS]
    result = Matcher(catalog).match(text)
    return [Suspect(m.entry_id, dict(m.fields)) for m in result.matches]


def course_ref(args: argparse.Namespace, text: str, base_url: str) -> CourseRef:
    from canvas.urls import CourseRefError, course_in_text, parse_course

    try:
        if args.course:
            return parse_course(args.course, base_url)
        ref = course_in_text(text, base_url)
    except CourseRefError as exc:
        raise UserError(str(exc), 2) from None
    if ref is None:
        raise UserError(
            "Which course? Give --course (a Canvas course URL or id), or paste the error with "
            "a link to the course.",
            2,
        )
    return ref


def run(args: argparse.Namespace) -> int:
    settings = canvas_settings()
    catalog = catalog_from_args(args)
    text = _text(args.text)
    ref = course_ref(args, text, settings.url)
    suspects = suspects_for(text, catalog)
    diagnosis = asyncio.run(_diagnose(settings, suspects, ref, args.as_email))
    if args.json:
        print(json.dumps(diagnosis.as_json(), indent=2, ensure_ascii=False))
    else:
        print(render(diagnosis, catalog), end="")
    return 0


async def _diagnose(
    settings: CanvasSettings, suspects: list[Suspect], ref: CourseRef, email: str | None
) -> Diagnosis:
    import aiohttp

    from bots.canvas_problems import sentence
    from canvas import errors
    from canvas.access import Authoriser
    from canvas.diagnoses import Denied, Diagnoser
    from canvas.settings import open_client
    from canvas.urls import host

    async with aiohttp.ClientSession() as session:
        client = open_client(settings, session)
        diagnoser = Diagnoser(client, Authoriser(settings.admins))
        try:
            return await diagnoser.diagnose(suspects, ref, email)
        except Denied as exc:
            raise UserError(str(exc), 1) from None
        except TimeoutError:
            raise UserError(f"Canvas at {host(settings.url)} answered too slowly.", 1) from None
        except errors.CanvasError as exc:
            raise UserError(sentence(exc, host(settings.url)), 1) from None


def render(diagnosis: Diagnosis, catalog: Catalog) -> str:
    lines = []
    if diagnosis.course is not None:
        lines.append(f"{diagnosis.course.name} ({diagnosis.course.url})")
    if not diagnosis.checks:
        lines.append("The text matches no error passback knows, so there was nothing to check.")
    for check in diagnosis.checks:
        entry = catalog.get(check.entry_id)
        title = entry.title if entry else check.entry_id
        cause = entry.cause_for(check.cause) if entry and check.cause else None
        label = f" - {cause.label}" if cause and cause.label else ""
        lines.append("")
        lines.append(f"{title}: {check.status}{label}")
        lines.append(f"  Checked in Canvas: {check.summary}")
        for item in check.items:
            lines.append(f"  - {item.name}: {item.url}")
    return "\n".join(lines) + "\n"
