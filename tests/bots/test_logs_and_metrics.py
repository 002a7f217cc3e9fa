"""JSON log lines with context and no student data or secrets; Prometheus output."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bots.logs import add_log_context, configure_logging, log_context, redact


def test_redacts_student_ids_and_secrets() -> None:
    text = (
        "result s12345 failed; token xoxb-1234-abcdefgh; Authorization: Bearer abc.def.ghijkl; "
        "secret=hunter22 S998877"
    )
    cleaned = redact(text)
    for leaked in ("s12345", "xoxb-1234", "abc.def.ghijkl", "hunter22", "S998877"):
        assert leaked not in cleaned
    assert (
        redact("case PB-1042 for kimono-job, HTTP 422") == "case PB-1042 for kimono-job, HTTP 422"
    )


@pytest.fixture
def root_logger() -> Iterator[None]:
    """configure_logging changes the root logger: give later tests the one they had."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_one_json_object_per_line_with_context(root_logger: None) -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    log = logging.getLogger("passback.test")
    with log_context(platform="slack"):
        add_log_context(entry_id="kimono-job")
        log.info("answered in %d ms for s4242", 12, extra={"duration_ms": 12})
    log.debug("outside")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["platform"] == "slack" and first["entry_id"] == "kimono-job"
    assert first["duration_ms"] == 12 and len(first["request_id"]) == 12
    assert first["message"] == "answered in 12 ms for s[redacted]"
    assert first["level"] == "INFO" and first["logger"] == "passback.test"
    assert "platform" not in second
