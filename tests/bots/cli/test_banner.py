"""`passback serve`'s start-up banner: friendly lines on a terminal, a log record elsewhere."""

from __future__ import annotations

import io
import logging

import pytest

from bots.cli.serve import announce
from bots.config import load_settings


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_the_friendly_banner(caplog: pytest.LogCaptureFixture) -> None:
    terminal = Terminal()
    with caplog.at_level(logging.INFO):
        announce(load_settings({"PORT": "4000", "HOST": "0.0.0.0"}), 12, terminal)
    assert terminal.getvalue().splitlines() == [
        "passback is running on http://localhost:4000 with 12 known errors.",
        "  Health check:  curl http://localhost:4000/healthz",
        '  Try an answer: .venv/bin/passback ask "A Kimono Job has timed out."',
        "  Teams:         http://localhost:4000/api/messages (open it in the Bot Framework "
        "Emulator)",
        '  Slack:         off (see "Install in Slack" in the README)',
        "  Stop with Ctrl+C.",
    ]
    assert not [r for r in caplog.records if "is running" in r.getMessage()]


def test_elsewhere_the_banner_is_one_log_record(caplog: pytest.LogCaptureFixture) -> None:
    pipe = io.StringIO()
    with caplog.at_level(logging.INFO):
        announce(
            load_settings({"PORT": "4000", "HOST": "0.0.0.0", "PASSBACK_TEAMS": "off"}), 12, pipe
        )
    assert pipe.getvalue() == ""
    (record,) = [r for r in caplog.records if "is running" in r.getMessage()]
    assert (
        record.getMessage() == "passback is running on http://localhost:4000 with 12 known errors"
    )
    assert vars(record)["slack"] == 'off (see "Install in Slack" in the README)'
    assert "teams" not in vars(record)
