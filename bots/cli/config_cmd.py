"""`passback config check`: the effective configuration, secrets masked, problems listed."""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path
from typing import Any

from bots.cli.common import UserError
from bots.config import ConfigError, load_settings

_SECRET_NAME = re.compile(r"token|secret|password|passwd|credential|private|(?<!_)key$", re.I)
_URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]+):([^@/\s]+)@")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help="check the configuration from the environment")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    check = actions.add_parser("check", help="print the effective configuration, secrets masked")
    check.set_defaults(run=run_check)


def mask(name: str, value: Any) -> str:
    if value is None or value == "":
        return "(not set)"
    if _SECRET_NAME.search(name):
        return "****"
    text = str(value)
    if isinstance(value, str | Path) and "://" in text:
        text = _URL_PASSWORD.sub(r"\1:****@", text)
    return text


def describe(settings: Any, prefix: str = "") -> list[str]:
    """One `section.name = value` line per setting, walking nested dataclasses."""
    lines = []
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        name = f"{prefix}{field.name}"
        if dataclasses.is_dataclass(value):
            lines += describe(value, f"{name}.")
        elif value is None and prefix == "":
            lines.append(f"{name} = (off)")
        else:
            lines.append(f"{name} = {mask(field.name, value)}")
    return lines


def run_check(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise UserError(str(exc), 1) from None
    print("\n".join(describe(settings)))
    print("Configuration OK.")
    return 0
