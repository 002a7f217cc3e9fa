"""Running the aiohttp application on its port, with the limits a public endpoint needs.

`web.run_app` had none of these. Here:
- a connection idle or still sending its request head after `idle_seconds` is closed (aiohttp's
  keep-alive timer, which also runs from the moment a connection opens);
- a request body must arrive within `body_seconds` (`read_body_within`, a middleware), or the
  answer is 408 and the connection closes (after at most `LINGER_SECONDS` spent reading and
  dropping what is left of the body, so the client sees the 408 instead of a reset);
both are operator settings (PASSBACK_HTTP_IDLE_SECONDS, PASSBACK_HTTP_BODY_SECONDS; 10 and 5 s);
- at most `connection_cap()` connections are open at once (well under the descriptor limit, so
  `/healthz` and the database keep working); the next ones are answered 503 and closed;
- accept errors (out of descriptors) are logged once every `ACCEPT_LOG_SECONDS` with a count,
  not as a traceback on every turn of the loop;
- the parts start first (catalog, database, platforms: `on_startup`), then the port is bound,
  and only then `on_listening` runs (the banner): a taken port or a broken database never
  prints "running". SIGTERM and SIGINT stop it gracefully (aiohttp's shutdown).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import signal
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from aiohttp.web_server import Server

log = logging.getLogger("passback.server")

ACCEPT_LOG_SECONDS = 10.0
# aiohttp's default is 10 s: a client too slow with its body kept the connection, and delayed a
# graceful shutdown, for 10 s more after its 408.
LINGER_SECONDS = 1.0
MAX_CONNECTIONS = 512
_BUSY = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def connection_cap() -> int:
    """`MAX_CONNECTIONS`, or a quarter of the process's descriptor limit when that is lower:
    asyncio accepts up to 100 connections in one go before any is turned away, and the
    database, the outgoing calls and the logs need descriptors too."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return MAX_CONNECTIONS
    return max(16, min(MAX_CONNECTIONS, soft // 4))


def read_body_within(seconds: float) -> Middleware:
    """A middleware reading the whole body (aiohttp keeps it for the handler) within `seconds`."""

    @web.middleware
    async def read_body_in_time(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.body_exists:
            try:
                async with asyncio.timeout(seconds):
                    await request.read()
            except TimeoutError:
                late = web.json_response(
                    {"error": "the request body did not arrive in time"}, status=408
                )
                late.force_close()  # the rest of the body is never read: the connection ends
                return late
        return await handler(request)

    return read_body_in_time


class _Busy(asyncio.Protocol):
    """Over the cap: say so and hang up, without reading the request."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(_BUSY)
        transport.close()


class _CappedSite(web.TCPSite):
    def __init__(self, runner: web.AppRunner, host: str, port: int, cap: int):
        super().__init__(runner, host, port)
        self._cap = cap
        self._refused = 0

    def _protocol(self) -> asyncio.BaseProtocol:
        server = self._runner.server
        assert isinstance(server, Server)
        if len(server.connections) >= self._cap:
            self._refused += 1
            if self._refused == 1 or self._refused % 1000 == 0:
                log.warning(
                    "refused connections over the cap of %d (%d so far)", self._cap, self._refused
                )
            return _Busy()
        return server()

    async def start(self) -> None:
        await web.BaseSite.start(self)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._protocol, self._host, self._port, backlog=self._backlog, reuse_address=True
        )


class _AcceptErrors:
    """The loop's exception handler: accept failures are summed up every few seconds, once."""

    def __init__(self) -> None:
        self._last = 0.0
        self._count = 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message", ""))
        if "socket.accept()" not in message and "accept" not in message.lower():
            loop.default_exception_handler(context)
            return
        self._count += 1
        now = time.monotonic()
        if now - self._last >= ACCEPT_LOG_SECONDS:
            error = context.get("exception")
            log.warning(
                "could not accept %d connection(s) in the last %.0f s (%s)",
                self._count,
                ACCEPT_LOG_SECONDS,
                type(error).__name__ if error else "out of resources",
            )
            self._last, self._count = now, 0


class CannotListen(Exception):
    """The port could not be bound (taken, not allowed)."""


def serve(
    app: web.Application,
    host: str,
    port: int,
    *,
    idle_seconds: float,
    shutdown_timeout: float,
    on_listening: Callable[[], None],
) -> None:
    """Start `app`, listen on host:port, run until SIGTERM/SIGINT, stop gracefully.
    Raises CannotListen for the port, and whatever a part raised while starting."""
    asyncio.run(_serve(app, host, port, idle_seconds, shutdown_timeout, on_listening))


async def _serve(
    app: web.Application,
    host: str,
    port: int,
    idle_seconds: float,
    shutdown_timeout: float,
    on_listening: Callable[[], None],
) -> None:
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(_AcceptErrors())
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = web.AppRunner(
        app,
        handle_signals=False,
        access_log=None,  # the server logs one JSON line per request itself
        keepalive_timeout=idle_seconds,
        lingering_time=LINGER_SECONDS,
        shutdown_timeout=shutdown_timeout,
    )
    try:
        await runner.setup()
        try:
            await _CappedSite(runner, host, port, connection_cap()).start()
        except OSError as exc:
            raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        on_listening()
        await stop.wait()
    finally:
        await runner.cleanup()
