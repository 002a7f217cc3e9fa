"""What several commands share: the catalog option and reading TEXT or standard input."""

from __future__ import annotations

import argparse
import os
import sys

from catalog import Catalog, CatalogError, load_catalog
from catalog.settings import CatalogSettings


class UserError(Exception):
    """A problem the user can fix; the message is printed as is."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        default=None,
        help="a district overlay catalog (default: $PASSBACK_CATALOG)",
    )


def catalog_from_args(args: argparse.Namespace) -> Catalog:
    """The packaged catalog with the overlay from --catalog or PASSBACK_CATALOG."""
    overlay = getattr(args, "catalog", None) or CatalogSettings.from_env(os.environ, []).overlay
    try:
        return load_catalog(overlay=overlay)
    except CatalogError as exc:
        raise UserError(exc.render(), 1) from None


def text_from_args(words: list[str]) -> str:
    """TEXT from the arguments, else everything on standard input."""
    if words:
        return " ".join(words)
    if sys.stdin is None or sys.stdin.isatty():
        raise UserError("Give the error text as an argument or on standard input.", 2)
    data = sys.stdin.buffer.read()
    return data.decode("utf-8", errors="replace")
