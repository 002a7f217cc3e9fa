"""The catalog's one setting: PASSBACK_CATALOG, a district's overlay file on the packaged catalog.

Read here and nowhere else: `passback serve`, `passback config check` and every command that
takes `--catalog` all ask `CatalogSettings.from_env`, so they load the same overlay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

VARIABLE = "PASSBACK_CATALOG"


@dataclass(frozen=True, slots=True)
class CatalogSettings:
    overlay: Path | None  # None: the packaged catalog alone

    @classmethod
    def from_env(cls, env: Mapping[str, str], problems: list[str]) -> CatalogSettings:
        """The overlay PASSBACK_CATALOG names. One that is not a file is a problem, and is kept,
        so loading it says what is wrong rather than quietly running without it."""
        named = env.get(VARIABLE, "").strip()
        overlay = Path(named) if named else None
        if overlay is not None and not overlay.is_file():
            problems.append(f"{VARIABLE} points to {named!r}, which is not a file")
        return cls(overlay=overlay)
