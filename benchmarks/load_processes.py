"""The load benchmark's processes on loopback: the stand-ins, `passback serve`, a bare endpoint.

Each is started with its output in a log file in the run's temporary directory (a full pipe
would stall a server under load), waited for with a deadline, and stopped (terminate, then
kill) when the run ends, however it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 60.0
STOP_SECONDS = 10.0
# Variables that would point the server somewhere else or change what it runs.
_FOREIGN = ("SLACK_", "PASSBACK_", "Microsoft", "PORT", "HOST", "LOG_LEVEL")


class BenchError(Exception):
    """The benchmark could not run (a process did not start, a deadline passed)."""


@dataclass(frozen=True, slots=True)
class Running:
    url: str  # http://127.0.0.1:PORT
    process: Any  # asyncio.subprocess.Process
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN)}
    return {**env, **extra}


def log_tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.asynccontextmanager
async def spawned(
    args: list[str], env: dict[str, str], log: Path, *, url_on_first_line: bool = False
) -> AsyncIterator[tuple[Any, str]]:
    """A child process (`python -m …`), and its first output line when asked for one."""
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE if url_on_first_line else out,
            stderr=out,
        )
    try:
        first = ""
        if url_on_first_line:
            assert process.stdout is not None
            try:
                line = await asyncio.wait_for(process.stdout.readline(), START_SECONDS)
            except TimeoutError:
                raise BenchError(f"{args[-1]} said nothing within {START_SECONDS:.0f} s") from None
            first = line.decode().strip()
            if not first.startswith("http://127.0.0.1:"):
                raise BenchError(f"{args[-1]} did not start:\n{log_tail(log)}")
        yield process, first
    finally:
        await asyncio.shield(_stop(process))


async def _stop(process: Any) -> None:
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), STOP_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()


async def wait_until_up(url: str, process: Any, log: Path, path: str = "/healthz") -> None:
    """Poll `url + path` until it answers 200; fail in words if the process exits or is slow."""
    deadline = time.monotonic() + START_SECONDS
    timeout = aiohttp.ClientTimeout(total=5)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while True:
            if process.returncode is not None:
                raise BenchError(f"{url} exited with {process.returncode}:\n{log_tail(log)}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(url + path) as response:
                    if response.status == 200:
                        return
            if time.monotonic() > deadline:
                raise BenchError(f"{url}{path} not up within {START_SECONDS:.0f} s")
            await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def standins(workdir: Path) -> AsyncIterator[Running]:
    log = workdir / "standins.log"
    args = ["-m", "benchmarks.standins"]
    async with spawned(args, clean_environment(), log, url_on_first_line=True) as (process, url):
        await wait_until_up(url, process, log, "/bench/received")
        yield Running(url, process, log)


@contextlib.asynccontextmanager
async def passback_serve(workdir: Path, env: dict[str, str]) -> AsyncIterator[Running]:
    port = free_port()
    log = workdir / "passback-serve.log"
    data = workdir / "data"
    environment = clean_environment(
        PORT=str(port), HOST="127.0.0.1", PASSBACK_DATA_DIR=str(data), **env
    )
    async with spawned(["-m", "bots", "serve"], environment, log) as (process, _):
        url = f"http://127.0.0.1:{port}"
        await wait_until_up(url, process, log)
        yield Running(url, process, log)


@contextlib.asynccontextmanager
async def bare_endpoint(workdir: Path) -> AsyncIterator[Running]:
    port = free_port()
    log = workdir / "bare-endpoint.log"
    args = ["-m", "benchmarks.bare_endpoint", str(port)]
    async with spawned(args, clean_environment(), log) as (process, _):
        url = f"http://127.0.0.1:{port}"
        await wait_until_up(url, process, log)
        yield Running(url, process, log)
