"""District overlays: problems named by the overlay's own file, line and id; what a careless or
hostile overlay cannot do (duplicate ids, an unknown version, an alias bomb, a pattern that
takes minutes)."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from catalog import CatalogError, check_catalog, load_catalog
from catalog.regex_safety import nested_quantifier


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "district.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_problems_point_at_the_overlay_its_line_and_the_entry_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        entries:
          - id: kimono-job
            title: ""
          - id: brand-new
            title: Brand new
            messages: ["Brand new error {job_id}"]
        """,
    )
    problems = check_catalog(overlay=path)
    assert problems == [
        f"{path}:3: entries[0] (kimono-job).title: must not be blank",  # once, not twice
        f"{path}:4: entries[1] (brand-new): 'causes' is required",
        f"{path}:4: entries[1] (brand-new): 'resources' is required",
        f"{path}:4: entries[1] (brand-new): 'escalation' is required",
    ]


def test_an_entry_changed_twice_in_one_overlay_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        entries:
          - id: kimono-job
            title: Ours
          - id: kimono-job
            title: Theirs
        """,
    )
    assert check_catalog(overlay=path) == [
        f"{path}:4: entries[1].id: 'kimono-job' is already changed by entries[0] of this "
        "overlay: change each entry once"
    ]


def test_an_unknown_version_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 2\nentries: []\n")
    (problem,) = check_catalog(overlay=path)
    assert problem.startswith(f"{path}:1: version: must be 1")


@pytest.mark.parametrize("pattern", ["(?:a+)+b", "(?:a*)*b", "(?:a{1,9})*b", "(?:x|a+){2,5}"])
def test_a_pattern_that_can_take_minutes_is_refused(tmp_path: Path, pattern: str) -> None:
    path = write(
        tmp_path,
        f"""\
        fields:
          evil:
            label: Evil
            pattern: '{pattern}'
        """,
    )
    (problem,) = check_catalog(overlay=path)
    assert problem.startswith(f"{path}:4: fields.evil.pattern: repeats something that repeats")


@pytest.mark.parametrize(
    "pattern",
    ["s\\d{3,}", "[A-Z]{1,20}(?:[_ ][A-Z]{1,20}){0,3}", "(?:\\d{1,3}\\.){3}\\d{1,3}", "(?:a|b)+"],
)
def test_bounded_or_flat_repeats_are_fine(pattern: str) -> None:
    assert not nested_quantifier(pattern)


BOMB = "\n".join(
    [f"a: &a [{', '.join(['lol'] * 9)}]"]
    + [
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB + "\n")

    def small() -> None:  # the bomb expanded would take minutes and gigabytes
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "bots", "catalog", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=small,
    )
    assert done.returncode == 1
    assert "YAML aliases" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    with pytest.raises(CatalogError, match="aliases"):
        load_catalog(overlay=path)


def test_the_packaged_catalog_uses_its_aliases_within_the_budget() -> None:
    assert check_catalog() == []
