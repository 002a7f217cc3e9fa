"""`passback serve`: run the bot's web server."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from typing import TYPE_CHECKING, TextIO

from bots.cli.common import UserError

if TYPE_CHECKING:
    from bots.config import Settings

log = logging.getLogger("passback")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the Slack and Teams bot server")
    parser.set_defaults(run=run, catalog=None)


def run(args: argparse.Namespace) -> int:
    # Imported here: every `passback` command imports this module to build its parser.
    from bots.config import ConfigError
    from bots.logs import configure_logging
    from bots.startup import check_startup

    try:
        checked = check_startup()  # the same check as `passback config check`
    except ConfigError as exc:
        raise UserError(str(exc), 1) from None
    settings, catalog = checked.settings, checked.catalog
    configure_logging(settings.server.log_level)

    from bots.escalation.model import EscalationError
    from bots.http_server import CannotListen, serve
    from bots.server import SHUTDOWN_SECONDS, build_app

    app = build_app(settings, catalog)
    app.on_startup.append(_freeze_heap)  # last: after every part has started
    host, port = settings.server.host, settings.server.port

    def banner() -> None:  # once the port is bound and every part (the database) has started
        announce(settings, len(catalog.entries))

    try:
        serve(
            app,
            host,
            port,
            idle_seconds=settings.server.idle_seconds,
            shutdown_timeout=SHUTDOWN_SECONDS,
            on_listening=banner,
        )
    except CannotListen as exc:
        raise UserError(str(exc), 1) from None
    except EscalationError as exc:
        raise UserError(exc.user_message, 1) from None
    return 0


def announce(settings: Settings, known_errors: int, stream: TextIO | None = None) -> None:
    """Where the server is and how to try it: a friendly banner on a terminal; one JSON log
    record elsewhere (a container, systemd, CI), where every line must parse."""
    stream = stream or sys.stdout
    host, port = settings.server.host, settings.server.port
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    headline = f"passback is running on http://{shown}:{port} with {known_errors} known errors."
    parts = {
        "Health check": f"curl http://{shown}:{port}/healthz",
        "Try an answer": '.venv/bin/passback ask "A Kimono Job has timed out."',
        "Teams": _teams_line(settings, shown, port),
        "Slack": _slack_line(settings, shown, port),
    }
    parts = {label: text for label, text in parts.items() if text}
    if not stream.isatty():
        fields = {label.lower().replace(" ", "_"): text for label, text in parts.items()}
        log.info(headline.rstrip("."), extra=fields)
        return
    lines = [headline, *(f"  {label + ':':<15}{text}" for label, text in parts.items())]
    print("\n".join([*lines, "  Stop with Ctrl+C."]), file=stream, flush=True)


def _teams_line(settings: Settings, shown: str, port: int) -> str:
    teams = settings.teams
    if teams is None or not teams.enabled:
        return ""
    how = (
        "the Azure Bot's messaging endpoint"
        if teams.authenticated
        else "open it in the Bot Framework Emulator"
    )
    return f"http://{shown}:{port}/api/messages ({how})"


def _slack_line(settings: Settings, shown: str, port: int) -> str:
    slack = settings.slack
    if slack is None:
        return 'off (see "Install in Slack" in the README)'
    if slack.socket_mode:
        return "Socket Mode (no public URL needed)"
    return f"http://{shown}:{port}/slack/events (the app's Request URL)"


async def _freeze_heap(app: object) -> None:
    """Everything loaded at start-up (catalog, SDKs, compiled patterns, clients) lives as long
    as the process. Moved out of the garbage collector's reach, it is no longer walked by every
    full collection, which otherwise paused a burst of requests for tens of milliseconds."""
    gc.collect()
    gc.freeze()
