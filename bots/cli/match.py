"""`passback match [TEXT]` and `passback match --jsonl`: the matcher's result as JSON."""

from __future__ import annotations

import argparse
import json
import sys

from bots.cli.common import UserError, add_catalog_option, catalog_from_args, text_from_args
from matcher import Matcher


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("match", help="print the matches for TEXT as JSON")
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the pasted error")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"text": ...} lines on standard input, write one result line each',
    )
    add_catalog_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    matcher = Matcher(catalog_from_args(args))
    if not args.jsonl:
        result = matcher.match(text_from_args(args.text))
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    if args.text:
        raise UserError("--jsonl reads standard input; give no TEXT with it.", 2)
    out = sys.stdout
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise UserError(f'line {number} is not a JSON object with a "text" string', 1) from None
        out.write(json.dumps(matcher.match(text).to_json(), ensure_ascii=False) + "\n")
    return 0
