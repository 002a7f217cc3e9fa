"""One small async interface over SQLite (aiosqlite) and PostgreSQL (asyncpg).

SQL is written once, PostgreSQL style (`$1`, `$2`, …); for SQLite the placeholders become `?1`,
`?2`, …, which SQLite reads the same way. The few real differences (row locks, identity columns)
are chosen where they are used, by `dialect`.

SQLite: one connection per `Database`, transactions serialised by an asyncio lock in the process
and by `BEGIN IMMEDIATE` (with a busy timeout) between processes sharing the file.
PostgreSQL: a connection pool; each transaction runs on one pooled connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

from bots.logs import quiet_libraries

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_PLACEHOLDER = re.compile(r"\$(\d+)")

# aiosqlite logs every statement with its parameters at DEBUG: pasted text and student ids.
# With LOG_LEVEL=DEBUG those would reach the logs, so its logger stops at INFO.
_BUSY_TIMEOUT_MS = 15_000


class DatabaseError(Exception):
    """The database cannot be opened or used; the message is safe to show (no password)."""


class Transaction(Protocol):
    dialect: str

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]: ...
    async def fetchrow(self, sql: str, *args: Any) -> dict[str, Any] | None: ...
    async def execute(self, sql: str, *args: Any) -> None: ...


class Database(Protocol):
    dialect: str

    def transaction(self, *, write: bool = True) -> Any: ...  # async context -> Transaction
    async def ping(self) -> bool: ...
    async def close(self) -> None: ...
    def retryable(self, exc: BaseException) -> bool: ...


async def open_database(url: str) -> Database:
    """The database at `url`: `sqlite:///relative/path`, `sqlite:////absolute/path`,
    `postgresql://…` or `postgres://…`."""
    quiet_libraries()  # their DEBUG lines carry SQL parameters: pasted text, student ids
    if url.startswith("sqlite:///"):
        return await SqliteDatabase.open(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        return await PostgresDatabase.open(url)
    raise DatabaseError("the database URL must start with sqlite:///, postgresql:// or postgres://")


class _SqliteTransaction:
    dialect = SQLITE

    def __init__(self, conn: Any):
        self._conn = conn

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        async with self._conn.execute(_PLACEHOLDER.sub(r"?\1", sql), args) as cursor:
            rows = await cursor.fetchall()
            names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in rows]

    async def fetchrow(self, sql: str, *args: Any) -> dict[str, Any] | None:
        rows = await self.fetch(sql, *args)
        return rows[0] if rows else None

    async def execute(self, sql: str, *args: Any) -> None:
        await self.fetch(sql, *args)


async def _stop_worker(connection: Any) -> None:
    """Stop an aiosqlite connection's worker thread, whether or not it connected, while the
    loop still runs: the thread reports back to the loop, and it is not a daemon, so left
    running it kept the process from exiting ("Event loop is closed" when the loop was gone)."""
    if connection._connection is not None:
        with contextlib.suppress(Exception):
            await connection.close()
    thread = connection._thread  # a failed connect has already queued the thread's stop
    if thread.is_alive():
        await asyncio.to_thread(thread.join, 5)


class SqliteDatabase:
    dialect = SQLITE

    def __init__(self, conn: Any, label: str):
        self._conn = conn
        self._lock = asyncio.Lock()
        self.label = label

    @classmethod
    async def open(cls, path: str) -> SqliteDatabase:
        import aiosqlite

        connection: Any = None
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            connection = aiosqlite.connect(
                path, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1e3
            )
            conn = await connection
            await conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
        except (OSError, sqlite3.Error) as exc:
            if connection is not None:
                # Its worker thread is not a daemon: left running, the process never exits.
                await _stop_worker(connection)
            raise DatabaseError(f"cannot open the SQLite database {path}: {exc}") from None
        return cls(conn, path)

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[_SqliteTransaction]:
        async with self._lock:
            # IMMEDIATE takes the write lock up front: two processes on one file never both
            # read "no case yet" and then both insert one.
            await self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SqliteTransaction(self._conn)
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            await self._conn.execute("COMMIT")

    async def _rollback(self) -> None:
        # SQLite may have rolled back already (a full disk, say): then there is nothing to undo.
        with contextlib.suppress(sqlite3.Error):
            await self._conn.execute("ROLLBACK")

    async def ping(self) -> bool:
        try:
            async with self.transaction(write=False) as tx:
                await tx.fetch("SELECT 1")
        except Exception:  # any failure (closed, locked, gone) means "not ready"
            return False
        return True

    async def close(self) -> None:
        await self._conn.close()

    def retryable(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


class _PostgresTransaction:
    dialect = POSTGRESQL

    def __init__(self, conn: Any):
        self._conn = conn

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(row) for row in await self._conn.fetch(sql, *args)]

    async def fetchrow(self, sql: str, *args: Any) -> dict[str, Any] | None:
        row = await self._conn.fetchrow(sql, *args)
        return dict(row) if row is not None else None

    async def execute(self, sql: str, *args: Any) -> None:
        await self._conn.execute(sql, *args)


class PostgresDatabase:
    dialect = POSTGRESQL

    def __init__(self, pool: Any):
        self._pool = pool

    @classmethod
    async def open(cls, url: str) -> PostgresDatabase:
        import asyncpg

        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=10, timeout=10)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            reason = (
                exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            )
            if isinstance(exc, asyncpg.PostgresError):
                reason = str(exc)  # e.g. 'password authentication failed for user "x"'
            raise DatabaseError(f"cannot connect to PostgreSQL: {reason}") from None
        return cls(pool)

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[_PostgresTransaction]:
        async with self._pool.acquire() as conn, conn.transaction():
            yield _PostgresTransaction(conn)

    async def ping(self) -> bool:
        try:
            async with self._pool.acquire(timeout=5) as conn:
                await conn.fetchval("SELECT 1")
        except Exception:  # any failure means "not ready"; /readyz only needs the answer
            return False
        return True

    async def close(self) -> None:
        await asyncio.wait_for(self._pool.close(), timeout=10)

    def retryable(self, exc: BaseException) -> bool:
        import asyncpg

        return isinstance(
            exc, asyncpg.exceptions.DeadlockDetectedError | asyncpg.exceptions.SerializationError
        )
