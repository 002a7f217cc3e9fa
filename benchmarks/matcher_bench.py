"""Matcher throughput and latency, and `passback match` start-up time.

Targets on the project's 2-core machine: >= 10,000 messages/s in one process, p99 < 1 ms per
message, start-up < 0.5 s.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from catalog import load_catalog
from matcher import Matcher

DEV_SET = Path(__file__).parents[1] / "tests" / "data" / "dev.jsonl"
MIN_MESSAGES = 10_000


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in DEV_SET.read_text().splitlines() if line]
    repeat = -(-MIN_MESSAGES // len(texts))
    return texts * repeat


def throughput() -> dict[str, float]:
    matcher = Matcher(load_catalog())
    texts = _texts()
    for text in texts[:500]:  # warm the typo cache and the regex engine
        matcher.match(text)
    latencies = []
    clock = time.perf_counter
    started = clock()
    for text in texts:
        t0 = clock()
        matcher.match(text)
        latencies.append(clock() - t0)
    elapsed = clock() - started
    latencies.sort()
    return {
        "messages": len(texts),
        "per_second": len(texts) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
    }


def startup(runs: int = 7) -> float:
    """Median wall time of `passback match` on one short message, in seconds."""
    command = [sys.executable, "-m", "bots", "match", "A Kimono Job has timed out"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> None:
    figures = throughput()
    print("matcher")
    print(
        f"  throughput: {figures['per_second']:,.0f} messages/s over {figures['messages']:,} "
        "messages (target >= 10,000)"
    )
    print(
        f"  latency:    p50 {figures['p50_ms']:.3f} ms, p99 {figures['p99_ms']:.3f} ms "
        "(target p99 < 1 ms)"
    )
    print(f"  start-up:   passback match {startup():.3f} s (target < 0.5 s)")


if __name__ == "__main__":
    run()
