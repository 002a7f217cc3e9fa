"""The `passback` command line: one small module per command, registered here.

Every command returns an exit code: 0 success, 1 a problem the user can fix (an invalid
catalog, an evaluation below its threshold), 2 a usage error. No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bots.cli import (
    ask,
    card,
    catalog_cmd,
    config_cmd,
    diagnose,
    escalations,
    evaluate,
    match,
    serve,
    teams_package,
)
from bots.cli.common import UserError

COMMANDS = (
    ask,
    match,
    card,
    diagnose,
    evaluate,
    catalog_cmd,
    config_cmd,
    serve,
    teams_package,
    escalations,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="passback",
        description="Explain Canvas to Infinite Campus grade passback errors.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.register(sub)
    return parser


def quiet_command_logs() -> None:
    """A command answers in sentences: without this, a library's or the Canvas client's
    WARNING reaches stderr through Python's last-resort handler, before the sentence.
    `serve` replaces this with its JSON log lines; PASSBACK_DEBUG=1 shows warnings."""
    root = logging.getLogger()
    if root.handlers:
        return
    if os.environ.get("PASSBACK_DEBUG"):
        logging.basicConfig(level=logging.WARNING)
    else:
        root.addHandler(logging.NullHandler())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    quiet_command_logs()
    try:
        return int(args.run(args) or 0)
    except UserError as exc:
        print(f"passback: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `passback match | head`
        return 0
    except Exception as exc:  # the last line of defence: a sentence, not a traceback
        if os.environ.get("PASSBACK_DEBUG"):
            raise
        print(f"passback: something went wrong: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("Set PASSBACK_DEBUG=1 to see the details.", file=sys.stderr)
        return 1
