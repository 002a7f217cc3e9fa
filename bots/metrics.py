"""Prometheus metrics. Labels are platforms, kinds, entry ids and events: never user data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)


class Metrics:
    """One registry per server, so tests and several apps in one process stay apart."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "passback_requests",
            "Requests from chat platforms, by platform and kind (command, mention, dm, action...)",
            ["platform", "kind"],
            registry=self.registry,
        )
        self.answers = Counter(
            "passback_answers",
            "Answers sent, by catalog entry id ('no_match' and 'help' for the others)",
            ["entry"],
            registry=self.registry,
        )
        self.escalations = Counter(
            "passback_escalations",
            "Escalation events: opened, joined, delivered, retried, failed",
            ["event"],
            registry=self.registry,
        )
        self.outbox_backlog = Gauge(
            "passback_outbox_backlog",
            "Escalation deliveries waiting to be delivered",
            registry=self.registry,
        )
        self.answer_latency = Histogram(
            "passback_answer_latency_seconds",
            "Time from receiving a question to having its answer ready",
            ["platform"],
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        # Canvas checks from the chat: by catalog entry, platform and outcome (found, clear,
        # not_permitted, canvas_error). Never an e-mail, a course name or an id.
        self.canvas_checks = Counter(
            "passback_canvas_checks_total",
            "Checks in Canvas asked for from a card",
            ["entry", "platform", "outcome"],
            registry=self.registry,
        )
        self.canvas_check_latency = Histogram(
            "passback_canvas_check_seconds",
            "Time from a Check in Canvas click to its finding (or failure)",
            ["platform"],
            buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30),
            registry=self.registry,
        )
        self._before_scrape: list[Callable[[], Awaitable[None]]] = []

    def count_answer(self, entry_ids: tuple[str, ...], kind: str) -> None:
        """One answer: each matched entry, or the answer's kind when nothing matched."""
        for entry in entry_ids or (kind,):
            self.answers.labels(entry=entry).inc()

    def before_scrape(self, refresh: Callable[[], Awaitable[None]]) -> None:
        """Run `refresh` before each scrape, e.g. to read the outbox backlog from the database."""
        self._before_scrape.append(refresh)

    async def handle(self, request: web.Request) -> web.Response:
        for refresh in self._before_scrape:
            try:
                await refresh()
            except Exception:  # a scrape must still answer when the database is down
                continue
        body = generate_latest(self.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


METRICS_KEY = web.AppKey("metrics", Metrics)
