"""`passback ask [TEXT]`: a readable answer in the terminal."""

from __future__ import annotations

import argparse

from bots.answer import build_answer, help_answer
from bots.assistant import Assistant
from bots.cli.common import add_catalog_option, catalog_from_args, text_from_args
from bots.render_text import render_text
from matcher import Matcher


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ask", help="explain an error (TEXT or standard input)")
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the pasted error")
    add_catalog_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    catalog = catalog_from_args(args)
    text = text_from_args(args.text)
    if Assistant.command(text) is not None:  # nothing, "help" or "list": what the bot knows
        answer = help_answer(catalog)
    else:
        answer = build_answer(Matcher(catalog).match(text), catalog)
    print(render_text(answer), end="")
    return 0
