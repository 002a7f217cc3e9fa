"""`passback teams package --app-id ID [--out FILE]`: the zip to upload to Teams.

The package is `deploy/teams/manifest.json` with the bot's Microsoft App ID as both the Teams
app id and the bot id, and the two icons next to it, all at the root of the zip as Teams wants.
The manifest is edited as JSON, never by replacing text.
"""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

from bots.cli.common import UserError

SOURCE = Path(__file__).resolve().parents[2] / "deploy" / "teams"
DEFAULT_OUT = SOURCE / "build" / "passback-teams.zip"
ICONS = {"color": ("color.png", 192), "outline": ("outline.png", 32)}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("teams", help="Microsoft Teams app tools")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    package = actions.add_parser(
        "package", help="build the app package (zip) to upload to Teams, with the app id filled in"
    )
    package.add_argument(
        "--app-id",
        required=True,
        metavar="ID",
        help="the bot's Microsoft App ID (MicrosoftAppId), a GUID",
    )
    package.add_argument(
        "--out",
        metavar="FILE",
        default=None,
        help=f"where to write the zip (default: {DEFAULT_OUT})",
    )
    package.add_argument(
        "--source",
        metavar="DIR",
        default=None,
        help=f"the folder with manifest.json and the icons (default: {SOURCE})",
    )
    package.set_defaults(run=run_package)


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _read_manifest(source: Path) -> dict:
    path = source / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(
            f"{path} does not exist; run this from a passback checkout or give --source DIR"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path} is not readable JSON: {exc}") from None
    bots = manifest.get("bots") if isinstance(manifest, dict) else None
    if not isinstance(bots, list) or not bots or not isinstance(bots[0], dict):
        raise UserError(f'{path} has no bot to fill in (expected a "bots" list)')
    return manifest


def _read_icons(source: Path, manifest: dict) -> dict[str, bytes]:
    icons_field = manifest.get("icons")
    named = icons_field if isinstance(icons_field, dict) else {}
    icons = {}
    for kind, (default_name, size) in ICONS.items():
        name = named.get(kind) or default_name
        path = source / name
        try:
            data = path.read_bytes()
        except OSError:
            raise UserError(
                f"the {kind} icon {path} is missing (python deploy/teams/make_icons.py draws it)"
            ) from None
        if _png_size(data) != (size, size):
            raise UserError(f"the {kind} icon {path} must be a {size}x{size} PNG")
        icons[name] = data
    return icons


def build_package(app_id: str, out: Path, source: Path = SOURCE) -> Path:
    """Write the zip and return its path; UserError says what is wrong, in words."""
    from bots.teams.settings import is_guid

    app_id = app_id.strip()
    if not is_guid(app_id):
        raise UserError(
            f"--app-id must be the bot's Microsoft App ID, a GUID like "
            f"00000000-0000-0000-0000-000000000000, not {app_id!r}",
            2,
        )
    manifest = _read_manifest(source)
    icons = _read_icons(source, manifest)
    manifest["id"] = app_id.lower()
    manifest["bots"][0]["botId"] = app_id.lower()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
            text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
            package.writestr("manifest.json", text)
            for name, data in icons.items():
                package.writestr(name, data)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out


def run_package(args: argparse.Namespace) -> int:
    source = Path(args.source) if args.source else SOURCE
    out = Path(args.out) if args.out else DEFAULT_OUT
    written = build_package(args.app_id, out, source)
    print(f"wrote {written}")
    print("Upload it in Teams: Apps > Manage your apps > Upload an app > Upload a custom app.")
    return 0
