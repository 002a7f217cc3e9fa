"""`passback escalations list|show|ack|resolve`: the support cases in the escalation store.

Reads the same settings as the server (PASSBACK_DATABASE_URL, or the SQLite file under
PASSBACK_DATA_DIR). `ack` and `resolve` queue a follow-up to every reporter; the running server,
which holds the Slack and Teams connections, sends it.
"""

from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING

from bots.cli.common import UserError, add_catalog_option, catalog_from_args

if TYPE_CHECKING:
    from bots.escalation.model import Case
    from bots.escalation.service import EscalationService
    from bots.escalation.settings import EscalationSettings
    from catalog import Catalog

STATUSES = ("open", "acknowledged", "resolved")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("escalations", help="list, show, acknowledge or resolve support cases")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser("list", help="the newest cases first")
    listing.add_argument("--status", choices=STATUSES, help="only cases with this status")
    listing.add_argument(
        "--limit", type=_positive, default=50, help="at most this many (default 50)"
    )
    listing.set_defaults(run=run, handler=_list)
    show = actions.add_parser("show", help="one case as support received it, with its deliveries")
    show.add_argument("reference", metavar="REF", help="the case reference, e.g. PB-1042")
    show.set_defaults(run=run, handler=_show)
    for name, status, text in (
        ("ack", "acknowledged", "acknowledge a case (its reporters are told)"),
        ("resolve", "resolved", "resolve a case (its reporters are told)"),
    ):
        change = actions.add_parser(name, help=text)
        change.add_argument("reference", metavar="REF", help="the case reference, e.g. PB-1042")
        change.add_argument(
            "--by",
            type=_name,
            metavar="NAME",
            help="the name reporters see (default: your login name, or 'district support')",
        )
        change.set_defaults(run=run, handler=_change, status=status)
    for command in actions.choices.values():
        add_catalog_option(command)


_NOT_A_NAME = frozenset(("root", "cli", "admin", "administrator", "passback", "nobody"))


def _positive(raw: str) -> int:
    if not raw.strip().isdigit() or int(raw) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up, not {raw!r}")
    return int(raw)


def _name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise argparse.ArgumentTypeError("needs the name reporters will see, like 'Canvas admins'")
    return name[:100]


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bots.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        raise UserError(str(exc), 2) from None
    if args.catalog is None and settings.server.catalog_overlay is not None:
        args.catalog = str(settings.server.catalog_overlay)
    catalog = catalog_from_args(args)
    _check_database(settings.escalation)
    args.database_label = settings.escalation.database_label
    return asyncio.run(_with_service(settings.escalation, catalog, args))


def _check_database(settings: EscalationSettings) -> None:
    """Never make an empty database where none is: run from another folder than the server's,
    a command would read a new, empty `data/` and say "No cases yet"."""
    from pathlib import Path

    url = settings.database_url
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :]).expanduser().resolve()
        if not path.exists():
            raise UserError(
                f"There is no case database at {path}. Run this in the folder passback serve "
                "runs in, or set PASSBACK_DATA_DIR (or PASSBACK_DATABASE_URL) as the server has "
                "it.",
                1,
            )


async def _with_service(
    settings: EscalationSettings, catalog: Catalog, args: argparse.Namespace
) -> int:
    from bots.escalation.model import EscalationError
    from bots.escalation.service import EscalationService

    try:
        service = await EscalationService.create(settings, catalog)
    except EscalationError as exc:
        raise UserError(exc.user_message, 1) from None
    try:
        return await args.handler(service, args)
    except EscalationError as exc:
        raise UserError(exc.user_message, 1) from None
    finally:
        await service.close()


def _deliveries(case: Case) -> str:
    if not case.deliveries:
        return "kept here only"
    parts = []
    for d in case.deliveries:
        state = d.state + (f" ({d.last_error})" if d.last_error and d.state != "delivered" else "")
        parts.append(f"{d.destination} {state}")
    return ", ".join(parts)


async def _list(service: EscalationService, args: argparse.Namespace) -> int:
    from bots.cards.fit import one_line
    from bots.cards.ticket import ticket_errors, when
    from bots.escalation.model import Status

    status = Status(args.status) if args.status else None
    cases = await service.list_cases(status, limit=args.limit)
    if not cases:
        where = getattr(args, "database_label", "")
        found = f"No {args.status} cases" if args.status else "No cases yet"
        print(f"{found} in {where}." if where else f"{found}.")
        return 0
    for case in cases:
        errors = ticket_errors(case, service.catalog)
        title = one_line(errors[0].title if errors else "-", 40)
        people = len(case.reporters)
        print(
            f"{case.reference:<9} {case.status.value:<12} {when(case.created_at)}  {title:<40}  "
            f"{people} reporter{'s' if people != 1 else ''}  {_deliveries(case)}"
        )
    return 0


async def _show(service: EscalationService, args: argparse.Namespace) -> int:
    from bots.cards.ticket import build_ticket, render_ticket_text, when
    from bots.escalation.model import CaseNotFound

    case = await service.get(args.reference)
    if case is None:
        raise CaseNotFound(args.reference)
    print(render_ticket_text(build_ticket(case, service.catalog)), end="")
    print("\nDeliveries:")
    if not case.deliveries:
        print("  none: no destination was configured when it was opened")
    for d in case.deliveries:
        at = f" at {when(d.delivered_at)}" if d.delivered_at else ""
        error = f", last error: {d.last_error}" if d.last_error else ""
        print(f"  {d.destination}: {d.state}{at}, {d.attempts} attempt(s){error}")
    follow_ups = await service.follow_ups(case)
    if follow_ups:
        print("Follow-ups (a Check in Canvas made after it opened):")
    for event, d in follow_ups:
        at = f" at {when(d.delivered_at)}" if d.delivered_at else ""
        error = f", last error: {d.last_error}" if d.last_error else ""
        print(f"  {d.destination} {event}: {d.state}{at}, {d.attempts} attempt(s){error}")
    return 0


async def _change(service: EscalationService, args: argparse.Namespace) -> int:
    from bots.escalation.model import Reporter, Status

    before = await service.get(args.reference)
    status = Status(args.status)
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment (a bare container)
        user = "cli"
    # Teachers read this name: an administrative login (root) means nothing to them.
    shown = args.by or (user if user not in _NOT_A_NAME else "district support")
    actor = Reporter(user_id=f"cli:{user}", display_name=shown, platform="cli")
    case = await service.set_status(args.reference, status, actor)
    if before is not None and before.status == status:
        print(f"{case.reference} was already {status.value}.")
        return 0
    people = len(case.reporters)
    print(
        f"{case.reference} is now {status.value}. Its {people} reporter"
        f"{'s' if people != 1 else ''} will be told where they reported, by the running "
        "passback server."
    )
    return 0
