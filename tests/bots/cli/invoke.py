"""Run the `passback` command line in-process, as a user would type it."""

from __future__ import annotations

import io
import sys

import pytest

from bots.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None):
    """(exit code, standard output, standard error) of `passback ARGV`, with `stdin` fed in."""
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err
