"""`passback config check`: the effective configuration, secrets masked, problems listed."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from bots.cli.common import UserError

if TYPE_CHECKING:
    from canvas.settings import CanvasSettings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help="check the configuration from the environment")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    check = actions.add_parser("check", help="print the effective configuration, secrets masked")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    # Imported here: building the parser for `passback match` must not load every setting.
    from bots.config import ConfigError
    from bots.masking import describe
    from bots.startup import check_startup

    try:
        settings = check_startup().settings  # what `passback serve` checks, the same way
    except ConfigError as exc:
        raise UserError(str(exc), 1) from None
    print("\n".join(describe(settings)))
    if settings.canvas is not None:
        answers, words = asyncio.run(canvas_answers(settings.canvas))
        print(f"Canvas: {words}")
        if not answers:
            return 1
    print("Configuration OK.")
    return 0


async def canvas_answers(settings: CanvasSettings) -> tuple[bool, str]:
    """Whether Canvas accepts the token (GET /api/v1/users/self), in words."""
    import aiohttp

    from bots.canvas_problems import sentence
    from canvas import errors
    from canvas.settings import open_client
    from canvas.transport import Limits
    from canvas.urls import host

    async with aiohttp.ClientSession() as session:
        client = open_client(settings, session, limits=Limits(server_retries=1))
        try:
            me = await client.reader().users_self()
        except errors.CanvasError as exc:
            return False, sentence(exc, host(settings.url))
    return True, f"answers at {host(settings.url)} and accepts the token (as '{me.name}')."
