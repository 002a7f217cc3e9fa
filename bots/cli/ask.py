"""`passback ask [TEXT]`: a readable answer in the terminal.

With Canvas configured and a Canvas course link in TEXT, the answer also says what Canvas
shows (the operator on the server is trusted, as with `passback diagnose`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import TYPE_CHECKING

from bots.cli.common import add_catalog_option, catalog_from_args, text_from_args

if TYPE_CHECKING:
    from bots.answer import Answer
    from bots.canvas_check import Checked
    from canvas.settings import CanvasSettings
    from catalog import Catalog
    from matcher import MatchResult


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ask", help="explain an error (TEXT or standard input)")
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the pasted error")
    add_catalog_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: every `passback` command imports this module to build its
    # parser, and `passback match` must start in well under half a second.
    from bots.assistant import Assistant
    from bots.cards.text import render_text

    catalog = catalog_from_args(args)
    text = text_from_args(args.text)
    # Nothing or "help": how to ask, with the errors the bot knows; "list": those errors alone.
    reading = asyncio.run(Assistant.for_catalog(catalog).read(text))
    answer = reading.answer
    if reading.result is not None:
        answer = with_canvas_if_configured(answer, text, reading.result, catalog)
    print(render_text(answer), end="")
    return 0


def with_canvas_if_configured(
    answer: Answer, text: str, result: MatchResult, catalog: Catalog
) -> Answer:
    if answer.kind != "errors" or "/courses/" not in text:
        return answer  # nothing Canvas could add: do not even import the client
    from canvas.settings import CanvasSettings

    problems: list[str] = []
    settings = CanvasSettings.from_env(os.environ, problems)
    if settings is None or problems:
        return answer
    checked = asyncio.run(_check(answer, text, result, catalog, settings))
    if checked.note:
        print(f"Canvas: {checked.note}", file=sys.stderr)
    return checked.answer


async def _check(
    answer: Answer, text: str, result: MatchResult, catalog: Catalog, settings: CanvasSettings
) -> Checked:
    import aiohttp

    from bots.canvas_check import check_in_canvas

    async with aiohttp.ClientSession() as session:
        return await check_in_canvas(answer, text, result, catalog, settings, session)
