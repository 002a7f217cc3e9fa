"""Everything `passback serve` needs before it starts, checked in one place.

`passback serve` and `passback config check` both call `check_startup`, so the check never says
OK to what the server then refuses, and both list every problem at once and exit 1: the
variables (each part's `from_env`), the catalog with its overlay (`PASSBACK_CATALOG`), and
whether the embedded database's file can be created where the settings put it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bots.config import ConfigError, Settings, load_settings
from bots.escalation.settings import EscalationSettings
from catalog import Catalog, CatalogError, load_catalog
from catalog.settings import VARIABLE as CATALOG_VARIABLE
from catalog.settings import CatalogSettings

SQLITE = "sqlite:///"


@dataclass(frozen=True, slots=True)
class Checked:
    settings: Settings
    catalog: Catalog


def check_startup(env: Mapping[str, str] | None = None) -> Checked:
    """The settings and the catalog the server would run with; ConfigError lists every
    problem found (variables, catalog, database location)."""
    env = os.environ if env is None else env
    problems: list[str] = []
    settings: Settings | None = None
    try:
        settings = load_settings(env)
    except ConfigError as exc:
        problems.extend(exc.problems)
    catalog_problems: list[str] = []  # load_settings has listed them already
    overlay = CatalogSettings.from_env(env, catalog_problems).overlay
    catalog: Catalog | None = None
    if not catalog_problems:
        try:
            catalog = load_catalog(overlay=overlay)
        except CatalogError as exc:
            problems.extend(f"{CATALOG_VARIABLE}: {problem}" for problem in exc.problems)
    # Also when other variables are wrong: every problem at once (its own are listed above).
    escalation = settings.escalation if settings else EscalationSettings.from_env(env, [])
    if escalation is not None:
        problems.extend(database_location_problems(escalation.database_url))
    if problems or settings is None or catalog is None:
        raise ConfigError(problems)
    return Checked(settings=settings, catalog=catalog)


def database_location_problems(url: str) -> list[str]:
    """Why the SQLite file named by `url` could not be created or written; [] when it can
    (and for PostgreSQL, which only the server's own start-up can reach)."""
    if not url.startswith(SQLITE):
        return []
    path = Path(url[len(SQLITE) :])
    where = f"the case database {path}"
    if path.exists():
        if not path.is_file():
            return [f"{where} is not a file"]
        if not os.access(path, os.R_OK | os.W_OK):
            return [f"{where} cannot be read and written by this user"]
        return []
    existing = path.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return [f"{where} cannot be created: {existing} is not a directory (PASSBACK_DATA_DIR)"]
    if not os.access(existing, os.W_OK | os.X_OK):
        return [f"{where} cannot be created: {existing} is not writable (PASSBACK_DATA_DIR)"]
    return []
