"""`passback catalog check` checks what the server will load, and says where that is."""

from __future__ import annotations

from pathlib import Path

from tests.bots.cli.invoke import run


def test_catalog_check_checks_what_the_server_loads(capsys, tmp_path: Path, monkeypatch) -> None:
    overlay = tmp_path / "district.yaml"
    overlay.write_text('entries:\n  - id: kimono-job\n    title: ""\n')
    monkeypatch.setenv("PASSBACK_CATALOG", str(overlay))
    code, _, err = run(capsys, "catalog", "check")
    assert code == 1
    assert f"{overlay}:3: entries[0] (kimono-job).title: must not be blank" in err
    overlay.write_text("entries:\n  - id: kimono-job\n    title: Our title\n")
    code, out, _ = run(capsys, "catalog", "check")
    assert code == 0
    packaged = (Path(__file__).parents[3] / "catalog" / "infinite_campus.yaml").resolve()
    assert out.startswith(f"{packaged} + {overlay} (PASSBACK_CATALOG): OK")


def test_every_command_reads_passback_catalog_as_the_server_does(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    """The server trims the variable and takes a blank one as unset; so does every command."""
    overlay = tmp_path / "district.yaml"
    overlay.write_text("entries:\n  - id: kimono-job\n    title: Our Kimono title\n")
    monkeypatch.setenv("PASSBACK_CATALOG", f" {overlay}\n")
    code, out, err = run(capsys, "catalog", "list")
    assert (code, err) == (0, "")
    assert "Our Kimono title" in out
    code, out, _ = run(capsys, "catalog", "check")
    assert code == 0 and f"{overlay} (PASSBACK_CATALOG): OK" in out
    monkeypatch.setenv("PASSBACK_CATALOG", "  ")
    code, out, err = run(capsys, "ask", "A Kimono Job has timed out and been cancelled.")
    assert (code, err) == (0, "")
    assert "Kimono Job Error" in out
