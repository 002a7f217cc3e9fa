"""`passback serve`: run the bot's web server."""

from __future__ import annotations

import argparse
import gc
import logging

from bots.cli.common import UserError, catalog_from_args
from bots.config import ConfigError, Settings, load_settings
from bots.logs import configure_logging

log = logging.getLogger("passback")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the Slack and Teams bot server")
    parser.set_defaults(run=run, catalog=None)


def run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise UserError(str(exc), 2) from None
    configure_logging(settings.server.log_level)
    args.catalog = str(settings.server.catalog_overlay) if settings.server.catalog_overlay else None
    catalog = catalog_from_args(args)

    from aiohttp import web

    from bots.server import SHUTDOWN_SECONDS, build_app

    app = build_app(settings, catalog)
    app.on_startup.append(_freeze_heap)  # last: after every part has started
    host, port = settings.server.host, settings.server.port
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    print(
        f"passback is running on http://{shown}:{port} with {len(catalog.entries)} known errors.\n"
        f"  Health check:  curl http://{shown}:{port}/healthz\n"
        '  Try an answer: .venv/bin/passback ask "A Kimono Job has timed out."\n'
        f"{_teams_line(settings, shown, port)}"
        f"{_slack_line(settings, shown, port)}"
        "  Stop with Ctrl+C.",
        flush=True,
    )
    try:
        web.run_app(
            app,
            host=host,
            port=port,
            print=None,
            handle_signals=True,
            access_log=None,  # the server logs one JSON line per request itself
            shutdown_timeout=SHUTDOWN_SECONDS,
        )
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", 1) from None
    return 0


def _teams_line(settings: Settings, shown: str, port: int) -> str:
    teams = settings.teams
    if teams is None or not teams.enabled:
        return ""
    how = (
        "the Azure Bot's messaging endpoint"
        if teams.authenticated
        else "open it in the Bot Framework Emulator"
    )
    return f"  Teams:         http://{shown}:{port}/api/messages ({how})\n"


def _slack_line(settings: Settings, shown: str, port: int) -> str:
    slack = settings.slack
    if slack is None:
        return '  Slack:         off (see "Install in Slack" in the README)\n'
    if slack.socket_mode:
        return "  Slack:         Socket Mode (no public URL needed)\n"
    return f"  Slack:         http://{shown}:{port}/slack/events (the app's Request URL)\n"


async def _freeze_heap(app: object) -> None:
    """Everything loaded at start-up (catalog, SDKs, compiled patterns, clients) lives as long
    as the process. Moved out of the garbage collector's reach, it is no longer walked by every
    full collection, which otherwise paused a burst of requests for tens of milliseconds."""
    gc.collect()
    gc.freeze()
