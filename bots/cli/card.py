"""`passback card --platform slack|teams [TEXT]`: the payload the bot would send, as JSON.

For Slack the message (`{"text": ..., "blocks": [...]}`), for Teams the Adaptive Card. No text
or `help` gives the help card (how to ask), `list` the list card (the errors the bot knows).
`--escalated PB-1` shows the card after escalation, with the case reference where the Escalate
button was.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bots.cli.common import UserError, add_catalog_option, catalog_from_args, text_from_args

if TYPE_CHECKING:
    from bots.answer import Answer
    from bots.escalation.model import Case
    from catalog import Catalog

PREVIEW_TOKEN = "preview"  # stands in for the token EscalationService.prepare would return
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("card", help="print the Slack or Teams card for TEXT as JSON")
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the pasted error, help or list")
    parser.add_argument(
        "--platform", required=True, choices=("slack", "teams"), help="which card to print"
    )
    parser.add_argument(
        "--escalated",
        metavar="REF",
        default=None,
        help="show the card as it looks once escalated as case REF (e.g. PB-1042)",
    )
    add_catalog_option(parser)
    parser.set_defaults(run=run)


def _text(words: list[str]) -> str:
    if not words and (sys.stdin is None or sys.stdin.isatty()):
        return ""  # nothing to read: the help card
    return text_from_args(words)


def _answer(catalog: Catalog, text: str) -> Answer:
    # Imported here, not at the top: every `passback` command imports this module to build its
    # parser, and `passback match` must start in well under half a second.
    import asyncio

    from bots.assistant import Assistant

    return asyncio.run(Assistant.for_catalog(catalog).read(text)).answer


def _case(reference: str, answer: Answer) -> Case:
    from bots.escalation.model import Case, Origin, Reporter, Status
    from catalog import UNLISTED

    if not _REFERENCE.fullmatch(reference):
        raise UserError(
            f"--escalated takes a case reference like PB-1042, not {reference[:40]!r}.", 2
        )
    now = datetime.now(UTC)
    return Case(
        reference=reference,
        entry_ids=answer.entry_ids or (UNLISTED,),
        text=answer.excerpt,
        fields={},
        origin=Origin(platform="cli"),
        reporters=(Reporter(user_id="you", display_name="you", platform="cli"),),
        status=Status.OPEN,
        created_at=now,
        updated_at=now,
    )


def run(args: argparse.Namespace) -> int:
    catalog = catalog_from_args(args)
    answer = _answer(catalog, _text(args.text))
    case = _case(args.escalated, answer) if args.escalated is not None else None
    # Imported here: every other command must start without loading slack_sdk.
    if args.platform == "slack":
        from bots.cards.slack import render_slack_message

        payload = render_slack_message(answer, escalate_token=PREVIEW_TOKEN, case=case).to_dict()
    else:
        from bots.cards.teams import render_teams_card

        payload = render_teams_card(answer, escalate_token=PREVIEW_TOKEN, case=case)
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0
