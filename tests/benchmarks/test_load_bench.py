"""The load benchmark end to end with a handful of requests: real processes on loopback,
requests taken and answered, and errors counted (no timings: speed is for `make bench`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from benchmarks.load_bench import measure
from benchmarks.load_report import report_lines


async def test_a_small_run_counts_what_was_taken_answered_and_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The run's temporary directory goes under this test's own folder, so another bench
    # running on the machine at the same time cannot make the last check fail.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # Two bursts of five of each kind; in each, two are sent wrong: slash commands signed with
    # the wrong secret (401) and Teams activities without a serviceUrl (400).
    report = await measure(5, rounds=2, broken=2)

    for platform in (report.slack, report.teams):
        assert platform.load.sent == 10
        assert platform.load.errors == 4
        assert len(platform.load.latencies) == 6  # the taken ones are timed
        assert platform.answers.expected == 6
        assert platform.answers.delivered == 6
        assert platform.answers.right == 6  # each answer names the error its request carried
        assert len(platform.answers.latencies) == 6
        assert platform.bare.sent == 10 and platform.bare.errors == 0  # it takes anything
        assert platform.load.per_second > 0 and platform.bare.per_second > 0

    printed = "\n".join(report_lines(report))
    assert "slack /passback" in printed and "teams messages" in printed
    assert printed.count("errors:     4 (target 0) MISSED") == 2
    assert printed.count("answers:    6/6 delivered, 6 name the error") == 2
    assert os.listdir(tmp_path) == []  # its temporary directory is gone


async def test_a_clean_run_has_no_errors() -> None:
    report = await measure(3, rounds=1)
    for platform in (report.slack, report.teams):
        assert (platform.load.sent, platform.load.errors) == (3, 0)
        assert (platform.answers.delivered, platform.answers.right) == (3, 3)
    assert "errors:     0 (target 0) ok" in "\n".join(report_lines(report))
