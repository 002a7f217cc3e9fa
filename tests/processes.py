"""Real `passback serve` processes for the tests: a free loopback port, a clean environment,
and waiting until the server answers."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

import aiohttp

# Variables from the developer's shell that would point the server somewhere else.
_FOREIGN = ("SLACK_", "PASSBACK_", "Microsoft", "PORT", "HOST", "LOG_LEVEL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment(env: dict[str, str]) -> dict[str, str]:
    """This process's environment without passback's own variables, plus `env`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN)}
    return {**kept, **env}


def local_env(port: int, data_dir: object, **extra: str) -> dict[str, str]:
    """A server on 127.0.0.1:`port` keeping its data in `data_dir`, plus `extra`."""
    return {"PORT": str(port), "HOST": "127.0.0.1", "PASSBACK_DATA_DIR": str(data_dir), **extra}


def serve(env: dict[str, str]) -> subprocess.Popen[str]:
    """`passback serve` with `env`, its output captured as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "bots", "serve"],
        env=clean_environment(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def wait_until_up(
    process: subprocess.Popen[str], port: int, path: str = "/healthz", within: float = 60
) -> None:
    """Poll `path` until it answers 200; fail with the process's output if it exits first."""
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"http://127.0.0.1:{port}{path}") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, f"passback serve did not answer {path} in time"
            await asyncio.sleep(0.1)
