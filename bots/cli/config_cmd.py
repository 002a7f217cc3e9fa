"""`passback config check`: the effective configuration, secrets masked, problems listed."""

from __future__ import annotations

import argparse

from bots.cli.common import UserError
from bots.config import ConfigError, load_settings
from bots.masking import describe


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help="check the configuration from the environment")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    check = actions.add_parser("check", help="print the effective configuration, secrets masked")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise UserError(str(exc), 1) from None
    print("\n".join(describe(settings)))
    print("Configuration OK.")
    return 0
