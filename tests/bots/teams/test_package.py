"""`passback teams package`: the upload-ready zip, and the manifest and icons that go in it."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from bots.cli import main
from bots.cli.teams_package import SOURCE

APP_ID = "3F5B2C1D-8E7A-4B6C-9D0E-1F2A3B4C5D6E"


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of an 8-bit RGBA, non-interlaced PNG (what make_icons draws)."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert (depth, colour, interlace) == (8, 6, 0)
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    rows = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0  # make_icons writes unfiltered rows
        rows.append(line[1:])
    return width, height, rows


def test_package_fills_in_the_app_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "passback.zip"
    assert main(["teams", "package", "--app-id", APP_ID, "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        assert package.read("color.png") == (SOURCE / "color.png").read_bytes()
    assert manifest["id"] == APP_ID.lower()
    assert manifest["bots"][0]["botId"] == APP_ID.lower()
    # the committed manifest keeps its placeholder
    source = json.loads((SOURCE / "manifest.json").read_text())
    assert source["id"] == "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize(
    "bad", ["my-bot", "", "3f5b2c1d8e7a4b6c9d0e1f2a3b4c5d6e", "{" + APP_ID + "}"]
)
def test_a_bad_app_id_is_a_usage_error(
    bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.zip"
    assert main(["teams", "package", "--app-id", bad, "--out", str(out)]) == 2
    assert "--app-id must be the bot's Microsoft App ID, a GUID" in capsys.readouterr().err
    assert not out.exists()


def test_missing_source_is_said_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["teams", "package", "--app-id", APP_ID, "--source", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert "manifest.json does not exist" in err
    assert "Traceback" not in err


def test_a_wrong_sized_icon_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "manifest.json").write_bytes((SOURCE / "manifest.json").read_bytes())
    (tmp_path / "color.png").write_bytes((SOURCE / "outline.png").read_bytes())  # 32x32
    (tmp_path / "outline.png").write_bytes((SOURCE / "outline.png").read_bytes())
    code = main(["teams", "package", "--app-id", APP_ID, "--source", str(tmp_path)])
    assert code == 1
    assert "must be a 192x192 PNG" in capsys.readouterr().err


def test_manifest_declares_the_bot_in_every_scope_with_help_and_list() -> None:
    manifest = json.loads((SOURCE / "manifest.json").read_text())
    version = manifest["manifestVersion"]
    assert tuple(int(p) for p in version.split(".")) >= (1, 17)
    assert f"/v{version}/MicrosoftTeams.schema.json" in manifest["$schema"]
    for key in ("version", "id", "developer", "name", "description", "icons", "accentColor"):
        assert key in manifest
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    for url in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert manifest["developer"][url].startswith("https://")
    (bot,) = manifest["bots"]
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    titles = set()
    for command_list in bot["commandLists"]:
        assert set(command_list["scopes"]) <= set(bot["scopes"])
        for command in command_list["commands"]:
            assert len(command["title"]) <= 32
            assert len(command["description"]) <= 128
            titles.add(command["title"])
    assert titles == {"help", "list"}


def test_icons_are_the_sizes_teams_wants() -> None:
    width, height, rows = png_pixels((SOURCE / "color.png").read_bytes())
    assert (width, height) == (192, 192)
    assert all(row[i + 3] == 255 for row in rows for i in range(0, len(row), 4))  # opaque

    width, height, rows = png_pixels((SOURCE / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    pixels = [row[i : i + 4] for row in rows for i in range(0, len(row), 4)]
    drawn = [p for p in pixels if p[3]]
    assert drawn, "the outline icon is empty"
    assert all(p[:3] == b"\xff\xff\xff" for p in drawn)  # white only
    transparent = len(pixels) - len(drawn)
    assert transparent > len(pixels) // 2  # a transparent background


def test_committed_icons_are_what_the_script_draws() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_icons", SOURCE / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.outline_icon() == (SOURCE / "outline.png").read_bytes()
    assert module.color_icon() == (SOURCE / "color.png").read_bytes()
