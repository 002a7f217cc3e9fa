"""`passback catalog check [FILE]` and `passback catalog list`."""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources
from pathlib import Path

from bots.cli.common import add_catalog_option, catalog_from_args
from catalog import CatalogError, load_catalog
from catalog.documents import BASE_CATALOG
from catalog.settings import CatalogSettings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("catalog", help="check or list the error catalog")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check", help="validate the catalog, or FILE as an overlay on it; exit 1 on problems"
    )
    check.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="an overlay catalog to check (default: $PASSBACK_CATALOG, what the server loads)",
    )
    check.add_argument(
        "--base", metavar="FILE", help="check FILE as a whole catalog instead of the packaged one"
    )
    check.set_defaults(run=run_check)
    listing = actions.add_parser("list", help="list the errors the bot knows")
    add_catalog_option(listing)
    listing.set_defaults(run=run_list)


def run_check(args: argparse.Namespace) -> int:
    """What the server would load: the packaged catalog (or --base) with FILE, else with the
    overlay PASSBACK_CATALOG names."""
    from_env = CatalogSettings.from_env(os.environ, []).overlay
    overlay = args.file or from_env
    try:
        catalog = load_catalog(path=args.base, overlay=overlay, schema=True)
    except CatalogError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    files = [_shown(name) for name in catalog.origin]
    if from_env is not None and not args.file:
        files[-1] += " (PASSBACK_CATALOG)"
    print(f"{' + '.join(files)}: OK, {len(catalog.entries)} entries")
    return 0


def _shown(name: str) -> str:
    """The packaged catalog by where it is installed, so an operator can open that file."""
    if name == f"catalog/{BASE_CATALOG}":
        return str(Path(str(resources.files("catalog").joinpath(BASE_CATALOG))).resolve())
    return name


def run_list(args: argparse.Namespace) -> int:
    catalog = catalog_from_args(args)
    width = max(len(e.id) for e in catalog.entries)
    for entry in catalog.entries:
        print(f"{entry.id:<{width}}  {entry.title}")
    return 0
