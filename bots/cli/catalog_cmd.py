"""`passback catalog check [FILE]` and `passback catalog list`."""

from __future__ import annotations

import argparse
import sys

from bots.cli.common import add_catalog_option, catalog_from_args
from catalog import CatalogError, load_catalog


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("catalog", help="check or list the error catalog")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check", help="validate the catalog, or FILE as an overlay on it; exit 1 on problems"
    )
    check.add_argument("file", nargs="?", metavar="FILE", help="an overlay catalog to check")
    check.add_argument(
        "--base", metavar="FILE", help="check FILE as a whole catalog instead of the packaged one"
    )
    check.set_defaults(run=run_check)
    listing = actions.add_parser("list", help="list the errors the bot knows")
    add_catalog_option(listing)
    listing.set_defaults(run=run_list)


def run_check(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(path=args.base, overlay=args.file, schema=True)
    except CatalogError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    files = " + ".join(catalog.origin)
    print(f"{files}: OK, {len(catalog.entries)} entries")
    return 0


def run_list(args: argparse.Namespace) -> int:
    catalog = catalog_from_args(args)
    width = max(len(e.id) for e in catalog.entries)
    for entry in catalog.entries:
        print(f"{entry.id:<{width}}  {entry.title}")
    return 0
