"""Every Bot Framework import lives in bots/teams/, the seam a move to the Microsoft 365 Agents
SDK (botbuilder-python's successor) will replace; and nothing loads it unless Teams is on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.imports import imported_names

ROOT = Path(__file__).parents[3]
SDK = ("botbuilder", "botframework", "msrest", "msal")
ALLOWED = ROOT / "bots" / "teams"


def sdk_imports(path: Path) -> list[str]:
    return [n for n in imported_names(path) if n.split(".")[0] in SDK]


def test_bot_framework_imports_stay_in_the_teams_package() -> None:
    outside = {}
    for package in ("bots", "catalog", "matcher"):
        for path in (ROOT / package).rglob("*.py"):
            if ALLOWED in path.parents:
                continue
            if found := sdk_imports(path):
                outside[str(path.relative_to(ROOT))] = found
    assert outside == {}
    assert sdk_imports(ALLOWED / "web.py")  # the check would see them


def test_the_settings_and_the_package_command_do_not_load_the_sdk() -> None:
    probe = (
        "import sys; import bots.config, bots.teams.settings, bots.teams.replies, "
        "bots.cli.teams_package; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(SDK)!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
