"""District overlays: problems named by the overlay's own file, line and id; what a careless or
hostile overlay cannot do (duplicate ids, an unknown version, an alias bomb, a pattern that
takes minutes)."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bots.config import ConfigError
from bots.startup import check_startup
from catalog import CatalogError, check_catalog, load_catalog
from catalog.regex_safety import backtracking_risk
from tests.bots.cli.invoke import run


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


# Each takes seconds to minutes on a paste of a few dozen to 40,000 characters.
ATTACKS = [
    "(?:a+)+b",
    "(?:a*)*b",
    "(?:a{1,9})*b",
    "(?:x|a+){2,5}",
    "(?:a|a)*b",  # overlapping alternatives, repeated
    "(?:a|aa)+b",
    "(?:a|)+b",
    "(?:.*a){12}",  # a bounded repeat of an unbounded one
    "\\w*\\w*\\w*\\w*!",  # adjacent repeats over the same characters: polynomial
    "[a-z]{0,200}[a-z]{0,200}!",  # the same with bounds
]
SLOW = "in too many ways|can match nothing"


@pytest.mark.parametrize("key", ["pattern", "near"])
@pytest.mark.parametrize("pattern", ATTACKS)
def test_a_pattern_that_can_take_minutes_is_refused(tmp_path: Path, pattern: str, key: str) -> None:
    path = write(
        tmp_path,
        f"""\
        fields:
          evil:
            label: Evil
            pattern: '{pattern if key == "pattern" else "e[0-9]{1,9}"}'
            near: '{pattern if key == "near" else "e[0-9]{1,9}"}'
        """,
    )
    (problem,) = check_catalog(overlay=path)
    line = 4 if key == "pattern" else 5
    assert problem.startswith(f"{path}:{line}: fields.evil.{key}: ")
    assert re.search(SLOW, problem), problem
    assert "minutes on a long paste" in problem


@pytest.mark.parametrize(
    "pattern", ["\\w*!", "s[0-9]{3,}", "(?=[a-z]+!)s[0-9]{1,9}", "(?:-[a-z]{1,64}){0,99}"]
)
def test_a_pattern_that_may_run_over_the_whole_paste_is_refused(pattern: str) -> None:
    """`\\w*!` is tried from every character of a 40,000-letter paste: seconds of CPU."""
    risk = backtracking_risk(pattern)
    assert risk is not None and "more than 1000 characters" in risk


def test_fields_side_by_side_in_a_message_that_take_minutes_together_are_refused(
    tmp_path: Path,
) -> None:
    """`{a}{b}` compiles to `(?P<a>...)(?P<b>...)`: fine each alone, slow together."""
    path = write(
        tmp_path,
        """\
        fields:
          evil_a:
            label: A
            pattern: '[a-z]{1,200}'
        entries:
          - id: kimono-job
            messages:
              - "Kimono job failed {evil_a}, {evil_a} at {http_status}"
        """,
    )
    (problem,) = check_catalog(overlay=path)
    assert problem.startswith(f"{path}:8: entries[0] (kimono-job).messages[0]: ")
    assert "{evil_a} {evil_a} side by side can match the same text in too many ways" in problem


JOINED_FIELDS = """\
fields:
  evil_a:
    label: A
    pattern: '[^\\n]{1,300}'
  evil_b:
    label: B
    pattern: '[^\\n]{1,300}'
entries:
  - id: kimono-job
    messages:
      - "MESSAGE"
"""


@pytest.mark.parametrize(
    "message",
    ["Evil {evil_a}-{evil_b}!", "Evil {evil_a} / {evil_b} done", "{evil_a}-{evil_b} evil error"],
)
def test_fields_joined_by_a_kept_separator_are_checked_together(
    capsys, tmp_path: Path, message: str
) -> None:
    """The template keeps `-` and `/` as required, so `{a}-{b}` is `(?P<a>..)-(?P<b>..)`."""
    path = write(tmp_path, JOINED_FIELDS.replace("MESSAGE", message))
    code, _, err = run(capsys, "catalog", "check", str(path))
    assert code == 1
    assert (
        f"{path}:11: entries[0] (kimono-job).messages[0]: {{evil_a}} {{evil_b}} side by side "
        "can match the same text in too many ways"
    ) in err


def test_fields_joined_by_a_separator_they_cannot_take_are_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        JOINED_FIELDS.replace("[^\\n]", "[a-z]").replace("MESSAGE", "{evil_a}-{evil_b} evil"),
    )
    assert check_catalog(overlay=path) == []


def test_an_overlay_with_joined_fields_costs_no_cpu_on_a_paste(tmp_path: Path) -> None:
    """Before this check, this 8,000-character paste took about 25 s of CPU."""
    path = write(tmp_path, JOINED_FIELDS.replace("MESSAGE", "{evil_a}-{evil_b} evil error"))

    def ten_cpu_seconds() -> None:  # a runaway match is killed, not left to burn the machine
        resource.setrlimit(resource.RLIMIT_CPU, (10, 10))

    paste = "Evil x" + "-" * 8000
    done = subprocess.run(
        [sys.executable, "-m", "bots", "match", "--catalog", str(path), "--", paste],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=ten_cpu_seconds,
    )
    assert done.returncode != 0
    assert f"{path}:11: entries[0] (kimono-job).messages[0]" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_serve_refuses_a_slow_overlay_too(tmp_path: Path) -> None:
    path = write(tmp_path, "fields:\n  evil:\n    label: Evil\n    pattern: '(?:a|a)*b'\n")
    with pytest.raises(ConfigError) as caught:
        check_startup({"PASSBACK_CATALOG": str(path)})
    assert any(
        p.startswith(f"PASSBACK_CATALOG: {path}:4: fields.evil.pattern: ")
        for p in caught.value.problems
    )


def test_a_slow_overlay_costs_no_cpu_on_a_paste(tmp_path: Path) -> None:
    """The reviewer's overlay: before this check, this paste took 23 s of CPU."""
    path = write(
        tmp_path,
        """\
        fields:
          evil:
            label: Evil
            pattern: '(?:a|a)*b'
        entries:
          - id: kimono-job
            messages: ["Evil error {evil} end"]
        """,
    )

    def one_cpu_minute() -> None:  # a runaway match is killed, not left to burn the machine
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bots",
            "match",
            "--catalog",
            str(path),
            "Evil error " + "a" * 27 + " end",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=one_cpu_minute,
    )
    assert done.returncode != 0
    assert f"{path}:4: fields.evil.pattern" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "pattern",
    [
        "s\\d{3,12}",
        "[A-Z]{1,20}(?:[_ ][A-Z]{1,20}){0,3}",
        "(?:\\d{1,3}\\.){3}\\d{1,3}",
        "(?:a|b){1,64}",
        "\\w{1,64}-\\w{1,64}",
        "(\\w|\\d){1,64}x",  # the engine runs the alternatives as one class
        "[A-Za-z0-9_.:]{1,64}(?:-[A-Za-z0-9_.:]{1,64}){0,8}",
    ],
)
def test_bounded_or_flat_repeats_are_fine(pattern: str) -> None:
    assert backtracking_risk(pattern, tail_free=False) is None


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
