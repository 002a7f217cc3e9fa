"""JSON log lines with context and no student data or secrets; Prometheus output."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from aiohttp.test_utils import make_mocked_request

from bots.logs import add_log_context, configure_logging, log_context, redact
from bots.metrics import Metrics


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


async def test_metrics_exposition_has_the_series() -> None:
    metrics = Metrics()
    metrics.requests.labels(platform="slack", kind="command").inc()
    metrics.count_answer(("kimono-job", "exchange"), "errors")
    metrics.count_answer((), "no_match")
    metrics.escalations.labels(event="opened").inc()
    metrics.answer_latency.labels(platform="teams").observe(0.004)

    async def backlog() -> None:
        metrics.outbox_backlog.set(3)

    metrics.before_scrape(backlog)
    response = await metrics.handle(make_mocked_request("GET", "/metrics"))
    assert isinstance(response.body, bytes)
    body = response.body.decode()
    assert 'passback_requests_total{kind="command",platform="slack"} 1.0' in body
    assert 'passback_answers_total{entry="kimono-job"} 1.0' in body
    assert 'passback_answers_total{entry="no_match"} 1.0' in body
    assert 'passback_escalations_total{event="opened"} 1.0' in body
    assert "passback_outbox_backlog 3.0" in body
    assert 'passback_answer_latency_seconds_bucket{le="0.005",platform="teams"} 1.0' in body
    assert response.content_type == "text/plain"
