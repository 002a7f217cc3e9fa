"""The load benchmark's figures, each against its target, as `make bench` prints them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.load_bench import LoadReport, Platform

SLACK_ACK_LIMIT = 3.0  # Slack shows the user an error when a command is not acked in 3 s
TEAMS_RETRY_AFTER = 15.0  # Teams sends a message again when it has no answer in about 15 s
P99_TARGET = 0.100
RATIO_TARGET = 0.30


def quantile(values: tuple[float, ...], q: float) -> float:
    """The value below which a share `q` of the ascending `values` lie (nan for none)."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * q))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def _platform_lines(
    platform: Platform, timed: str, limit: float, p99_target: float | None, ratio_target: bool
) -> list[str]:
    load, got, bare = platform.load, platform.answers, platform.bare
    p99 = load.quantile(0.99)
    worst = load.latencies[-1] if load.latencies else float("nan")
    throughput = (
        f"    throughput: {load.per_second:,.0f} requests/s, {platform.ratio:.0%} of the bare "
        f"endpoint's {bare.per_second:,.0f}/s"
    )
    if ratio_target:
        throughput += f" (target >= {RATIO_TARGET:.0%}) {_verdict(platform.ratio >= RATIO_TARGET)}"
    latency = (
        f"    {timed + ':':<12}p50 {_ms(load.quantile(0.5))}, p99 {_ms(p99)}, max {_ms(worst)}"
    )
    if p99_target is not None:
        latency += f" (target p99 < {_ms(p99_target)}) {_verdict(p99 < p99_target)}"
    inside = load.within(limit)
    return [
        f"  {platform.label}",
        throughput,
        latency,
        f"    {'bare:':<12}p50 {_ms(bare.quantile(0.5))}, p99 {_ms(bare.quantile(0.99))}, "
        "the same requests to the bare endpoint",
        f"    {f'in {limit:.0f} s:':<12}{inside}/{load.sent} (target all) "
        f"{_verdict(inside == load.sent)}",
        f"    {'errors:':<12}{load.errors} (target 0) {_verdict(load.errors == 0)}",
        f"    {'answers:':<12}{got.delivered}/{got.expected} delivered, {got.right} name the "
        f"error; p50 {_ms(quantile(got.latencies, 0.5))}, p99 {_ms(quantile(got.latencies, 0.99))} "
        "after the request",
    ]


def report_lines(report: LoadReport) -> list[str]:
    slack, teams = report.slack, report.teams
    return [
        f"load: {report.n} concurrent requests a burst, {report.rounds} bursts of each kind, "
        "passback serve on loopback",
        *_platform_lines(slack, "ack", SLACK_ACK_LIMIT, P99_TARGET, ratio_target=True),
        *_platform_lines(teams, "response", TEAMS_RETRY_AFTER, None, ratio_target=False),
    ]
