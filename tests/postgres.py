"""A throwaway PostgreSQL server for the tests, started from Debian's binaries.

`postgres_server` (session scope) runs initdb and pg_ctl in a temporary directory on a free
loopback port, as the `postgres` user when the tests run as root (PostgreSQL refuses root), and
stops it at the end. Without the binaries the tests that need it are skipped, saying why;
`.ci/run` installs them so CI always runs them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import free_port


@dataclass
class PostgresServer:
    port: int
    root: Path

    data: Path
    bin_dir: Path
    as_postgres: tuple[str, ...] = ()
    shared: str = ""  # the one migrated database most tests use, emptied between them

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    async def new_database(self) -> str:
        """The URL of a new, empty database on this server."""
        import asyncpg

        name = f"test_{uuid.uuid4().hex[:16]}"
        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url(name)

    async def clean_database(self) -> str:
        """The URL of the one shared test database, migrated once, with every table emptied
        (identities restarted, so case numbers start at 1001 again). Creating a database per
        test cost most of the PostgreSQL tests' time. Falls back to a new database if a table
        stays locked (a test left a transaction open)."""
        import asyncpg

        from bots.escalation.database import open_database
        from bots.escalation.migrations import MIGRATIONS, migrate

        if not self.shared:
            self.shared = await self.new_database()
            db = await open_database(self.shared)
            try:
                await migrate(db)
            finally:
                await db.close()
        conn = await asyncpg.connect(self.shared)
        try:
            await conn.execute("SET lock_timeout = '10s'")
            tables = [
                row["tablename"]
                for row in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'schema_migrations'"
                )
            ]
            await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            await conn.execute(
                "DELETE FROM schema_migrations WHERE version > $1", MIGRATIONS[-1].version
            )
        except asyncpg.LockNotAvailableError:
            self.shared = ""
            return await self.clean_database()
        finally:
            await conn.close()
        return self.shared

    def pg_ctl(self, *args: str) -> None:
        """Run pg_ctl on this server's data directory (e.g. "stop", "-m", "fast")."""
        subprocess.run(
            [*self.as_postgres, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )


def _postgres_bin() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries are not installed (apt-get install postgresql; "
            ".ci/run does it): the PostgreSQL runs of the escalation tests are skipped"
        )
    as_postgres: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="passback-pg-"))  # not under pytest's 0700 root dir
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            shutil.chown(root, "postgres", "postgres")
        except LookupError:
            shutil.rmtree(root, ignore_errors=True)
            pytest.skip("running as root without a postgres user to run PostgreSQL as")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_postgres, *args], check=True, capture_output=True, timeout=120)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E",
            "UTF8", "--no-sync")  # fmt: skip
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
            "-w", "-t", "60", "start")  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(root, ignore_errors=True)
        output = getattr(exc, "stderr", b"") or b""
        pytest.fail(f"could not start PostgreSQL: {exc}: {output.decode(errors='replace')}")
    try:
        yield PostgresServer(port, root, data, bin_dir, tuple(as_postgres))
    finally:
        with contextlib.suppress(Exception):
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
