"""One SQLAlchemy engine per database: SQLite in the data directory by default, PostgreSQL by URL.

The catalog (knowledge) and the session store (assistant) share the engine for a URL. Each keeps
its own Alembic migrations with its own version table, applied by `migrate`, which holds a lock
while it runs so that processes starting together do not migrate twice: a file lock beside a
SQLite file, a PostgreSQL advisory lock on PostgreSQL (which also works across hosts).
"""

from __future__ import annotations

import os
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from knowledge.errors import StoreUnavailable

__all__ = [
    "DATABASE_FILE",
    "default_database_url",
    "dispose_engines",
    "get_engine",
    "is_sqlite",
    "migrate",
    "normalise_url",
    "safe_url",
    "sqlite_path",
]

DATABASE_FILE = "impact.sqlite3"
_ENGINES: dict[tuple[str, bool], Engine] = {}
_LOCK = threading.Lock()


def default_database_url(data_dir: Path) -> str:
    """The SQLite database in the data directory."""
    return f"sqlite:///{(Path(data_dir) / DATABASE_FILE).resolve().as_posix()}"


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// mean PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite engine (None for PostgreSQL or an in-memory database)."""
    if not is_sqlite(engine):
        return None
    database = engine.url.database or ""
    if database.startswith("file:"):  # a read-only URI, file:/path?mode=ro
        database = database[len("file:") :].split("?", 1)[0]
    return Path(database) if database and database != ":memory:" else None


def get_engine(url: str, *, read_only: bool = False) -> Engine:
    """The process's engine for `url` (created once; SQLAlchemy pools a connection per thread)."""
    url = normalise_url(url)
    key = (url, read_only)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _create(url, read_only)
            _ENGINES[key] = engine
        return engine


def _create(url: str, read_only: bool) -> Engine:
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise StoreUnavailable(
            f"the database URL {safe_url(url)!r} cannot be read ({exc}); "
            "use sqlite:///PATH or postgresql://USER@HOST/DB"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed.database or "", read_only)
    try:
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    except Exception as exc:  # e.g. the driver is missing
        raise StoreUnavailable(
            f"cannot use the database {safe_url(url)} ({exc.__class__.__name__}: {exc})"
        ) from exc


def _sqlite_engine(database: str, read_only: bool) -> Engine:
    if read_only:
        # A read-only URI never creates or writes the file, so a read-only folder can be read.
        # SQLite needs to create the -shm file to read a WAL database; in a folder nobody can
        # write to, no writer can be changing the file either, so it is opened as immutable.
        flags = "mode=ro"
        if not os.access(Path(database).parent, os.W_OK) and not Path(f"{database}-shm").exists():
            flags += "&immutable=1"
        engine = create_engine(
            f"sqlite:///file:{Path(database).as_posix()}?{flags}&uri=true",
            connect_args={"timeout": 30, "check_same_thread": False},
        )
    else:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            f"sqlite:///{database}", connect_args={"timeout": 30, "check_same_thread": False}
        )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, and a process that forks workers)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


@contextmanager
def _migration_lock(engine: Engine, name: str) -> Iterator[None]:
    path = sqlite_path(engine)
    if path is not None:
        from filelock import FileLock

        with FileLock(str(path) + f".{name}.migrate.lock"):
            yield
        return
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(f"impact-migrate:{name}".encode()) & 0x7FFFFFFF
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    yield


def migrate(engine: Engine, script_location: Path, version_table: str) -> None:
    """Bring one package's tables to the newest Alembic revision (idempotent, safe to race).

    The package's `env.py` runs on `config.attributes["connection"]` and records its revision in
    `config.attributes["version_table"]`.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["version_table"] = version_table
    try:
        with _migration_lock(engine, version_table), engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise StoreUnavailable(
            f"could not prepare the database {safe_url(str(engine.url))} "
            f"({exc.__class__.__name__}: {str(exc).splitlines()[0][:200]})"
        ) from exc
