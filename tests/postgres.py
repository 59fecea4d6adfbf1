"""A real PostgreSQL server for the tests: Debian's binaries, a throwaway cluster on loopback.

`postgres_server` (session) runs initdb in a temporary folder and starts the server on a free port
(as the `postgres` user when the tests run as root, since PostgreSQL refuses to run as root);
`postgres_url` (per test) creates a fresh database and drops it afterwards. Without PostgreSQL
installed the tests that need it are skipped with the reason (`.ci/run` installs it).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(found) / "initdb").exists():
            return Path(found)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user(argv: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *argv] if user else argv


class PostgresServer:
    def __init__(self, bin_dir: Path, root: Path, user: str | None) -> None:
        self.bin_dir = bin_dir
        self.root = root
        self.user = user
        self.port = _free_port()
        self.data = root / "data"
        self.sockets = root / "sockets"

    def start(self) -> None:
        self.sockets.mkdir(parents=True)
        if self.user:
            account = pwd.getpwnam(self.user)
            for path in (self.root, self.sockets):
                os.chown(path, account.pw_uid, account.pw_gid)
        subprocess.run(
            _as_user(
                [
                    str(self.bin_dir / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "impact",
                    "--auth=trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ],
                self.user,
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_user(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.root / "server.log"),
                    "-w",
                    "-o",
                    f"-p {self.port} -h 127.0.0.1 -k {self.sockets} -c fsync=off "
                    "-c max_connections=200",
                    "start",
                ],
                self.user,
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_user(
                [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
                self.user,
            ),
            capture_output=True,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://impact@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="impact", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; .ci/run does)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed; run `make install-test`")
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
        user = "postgres"
    root = Path(tempfile.mkdtemp(prefix="impact-pg-"))
    server = PostgresServer(bin_dir, root, user)
    try:
        server.start()
    except subprocess.CalledProcessError as exc:
        log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {exc.stderr!r} {log[-500:]}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the test server; dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    postgres_server.admin(f"CREATE DATABASE {name}")
    try:
        yield postgres_server.url(name)
    finally:
        from knowledge.db import dispose_engines

        dispose_engines()
        for _ in range(20):
            try:
                postgres_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                break
            except Exception:
                time.sleep(0.2)
