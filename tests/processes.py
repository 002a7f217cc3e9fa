"""Child processes for the tests and the load benchmark: `passback serve` (or another
`python -m` module) on a free loopback port, with a clean environment, waited for until it
answers, stopped within a bound (SIGTERM, then SIGKILL), its output kept.

Output goes to files, not pipes: a server under load never stalls on a full pipe, and a test
can read what was logged so far. The waits have an async form, for tests whose stand-ins run
on the test's event loop (blocking it would starve them: a server draining its Slack answers
on SIGTERM would wait out its own timeout), and a `_blocking` form for plain functions.
The benchmarks import this module too, so there is one way to run a process here.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from tests.polling import eventually, eventually_blocking

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60.0
STOP_SECONDS = 30.0
SERVE = ("-m", "bots", "serve")
# Variables from the developer's shell that would point the server somewhere else.
_FOREIGN = ("SLACK_", "PASSBACK_", "Microsoft", "PORT", "HOST", "LOG_LEVEL")


class DidNotStart(AssertionError):
    """A process exited, or did not answer, before its deadline; the message has its output."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment(env: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without passback's own variables, plus `env`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN)}
    return {**kept, **env}


def local_env(port: int, data_dir: object, **extra: str) -> dict[str, str]:
    """A server on 127.0.0.1:`port` keeping its data in `data_dir`, plus `extra`."""
    return {"PORT": str(port), "HOST": "127.0.0.1", "PASSBACK_DATA_DIR": str(data_dir), **extra}


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    directory: Path  # holds <name>.out and <name>.err
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def out(self) -> str:
        return _read(self.directory / f"{self.name}.out")

    @property
    def err(self) -> str:
        return _read(self.directory / f"{self.name}.err")

    @property
    def output(self) -> str:
        return self.out + self.err

    @property
    def returncode(self) -> int | None:
        return self.process.poll()

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.output.splitlines()[-lines:])

    def _alive(self) -> None:
        if self.process.poll() is not None:
            raise DidNotStart(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")

    async def ready(self, path: str = "/healthz", within: float = STARTUP_SECONDS) -> Child:
        """Once `path` answers 200 (`/readyz`: as a load balancer waits before sending traffic)."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:

            async def answers() -> bool:
                self._alive()
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with session.get(self.url + path) as response:
                        return response.status == 200
                return False

            try:
                await eventually(answers, within)
            except DidNotStart:
                raise
            except AssertionError:
                raise DidNotStart(f"{self.name} did not answer {path}:\n{self.tail()}") from None
        return self

    def ready_blocking(self, path: str = "/healthz", within: float = STARTUP_SECONDS) -> Child:
        def answers() -> bool:
            self._alive()
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as response:
                    return response.status == 200
            except (urllib.error.URLError, OSError):
                return False

        try:
            eventually_blocking(answers, within)
        except DidNotStart:
            raise
        except AssertionError:
            raise DidNotStart(f"{self.name} did not answer {path}:\n{self.tail()}") from None
        return self

    async def first_line(self, within: float = STARTUP_SECONDS) -> str:
        """The first line it printed (a stand-in's URL)."""

        def line() -> str:
            self._alive()
            out = self.out
            return out.partition("\n")[0].strip() if "\n" in out else ""

        try:
            return await eventually(line, within)
        except DidNotStart:
            raise
        except AssertionError:
            raise DidNotStart(f"{self.name} printed nothing:\n{self.tail()}") from None

    async def exited(self, within: float = STOP_SECONDS) -> int:
        """Its exit code, once it exits by itself (a refused start-up, a SIGTERM sent)."""
        await eventually(lambda: self.process.poll() is not None, within, f"{self.name} to exit")
        return self.process.returncode

    def exited_blocking(self, within: float = STOP_SECONDS) -> int:
        eventually_blocking(lambda: self.process.poll() is not None, within, f"{self.name} to exit")
        return self.process.returncode

    async def stop(self, within: float = STOP_SECONDS) -> int:
        """SIGTERM; SIGKILL if it has not exited within `within` seconds. Its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(AssertionError):
                await self.exited(within)
        return self._killed()

    def stop_blocking(self, within: float = STOP_SECONDS) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(AssertionError):
                self.exited_blocking(within)
        return self._killed()

    def _killed(self) -> int:
        if self.process.poll() is None:
            self.process.kill()
        return self.process.wait(timeout=STOP_SECONDS)


def start(
    args: Sequence[str],
    env: Mapping[str, str],
    directory: Path,
    *,
    name: str,
    port: int = 0,
    descriptors: int | None = None,
    program: str = sys.executable,
    cwd: Path = ROOT,
) -> Child:
    """`program <args>` (Python by default) in `cwd` with a clean environment plus `env`."""
    directory.mkdir(parents=True, exist_ok=True)
    with (
        (directory / f"{name}.out").open("wb") as out,
        (directory / f"{name}.err").open("wb") as err,
    ):  # the child keeps its own copies of the descriptors
        process = subprocess.Popen(
            [program, *args],
            cwd=cwd,
            env=clean_environment(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            preexec_fn=None if descriptors is None else lambda: _limit(descriptors),
        )
    return Child(name, process, directory, port)


def start_serve(
    directory: Path,
    env: Mapping[str, str] | None = None,
    *,
    name: str = "passback",
    args: Sequence[str] = SERVE,
    host: bool = True,
    descriptors: int | None = None,
) -> Child:
    """`passback serve` on a free loopback port, its data in `directory`/data unless `env`
    says otherwise; without HOST when `host` is false (to see the default it picks)."""
    port = free_port()
    full = local_env(port, directory / "data", **(env or {}))
    if not host:
        del full["HOST"]
    return start(args, full, directory, name=name, port=port, descriptors=descriptors)


@dataclass
class Processes:
    """The processes one test started, all stopped when it ends (the `processes` fixture)."""

    directory: Path
    started: list[Child] = field(default_factory=list)

    def start(self, env: Mapping[str, str] | None = None, *, host: bool = True) -> Child:
        """A `passback serve`, not waited for (one expected to refuse to start, say)."""
        child = start_serve(self.directory / f"serve-{len(self.started)}", env, host=host)
        self.started.append(child)
        return child

    async def serve(self, env: Mapping[str, str] | None = None, *, host: bool = True) -> Child:
        """A `passback serve` that answers /healthz."""
        return await self.start(env, host=host).ready()

    async def stop_all(self) -> None:
        for child in self.started:
            await child.stop()


@contextlib.asynccontextmanager
async def serving(
    names: Sequence[str], env: Mapping[str, str], directory: Path, path: str = "/readyz"
) -> AsyncIterator[list[Child]]:
    """One `passback serve` per name, started at once and each answering `path`; all stopped on
    the way out, their output printed (pytest shows it when the test failed)."""
    started: list[Child] = []
    try:
        for name in names:
            started.append(start_serve(directory, env, name=name))
        await asyncio.gather(*(child.ready(path) for child in started))
        yield started
    finally:
        for child in started:
            await child.stop()
            print(f"--- {child.name} ---\n{child.output}")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _limit(descriptors: int) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (descriptors, descriptors))
