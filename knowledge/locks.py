"""One writer at a time per knowledge base: a file lock on SQLite, an advisory lock on PostgreSQL.

The PostgreSQL lock is held by the database, so ingests on different hosts sharing one catalog
queue behind each other; a crashed holder's lock goes with its connection. Whoever holds the
lock records who it is in the catalog, so that a second writer can say what it is waiting for.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from knowledge.catalog import Catalog, now_iso
from knowledge.db import sqlite_path
from knowledge.errors import StoreUnavailable

Notice = Callable[[str], None]
_WRITER_KEY = "writer"


def describe_self(what: str) -> str:
    return json.dumps(
        {"pid": os.getpid(), "host": socket.gethostname(), "what": what, "since": now_iso()}
    )


def waiting_message(catalog: Catalog) -> str:
    """What a second writer is waiting for, from the holder's record in the catalog."""
    try:
        raw = catalog.get_meta(_WRITER_KEY)
        holder = json.loads(raw) if raw else None
    except (StoreUnavailable, ValueError):
        holder = None
    if not holder:
        return "Waiting for another write to this knowledge base to finish…"
    return (
        f"Waiting for another write to this knowledge base to finish ({holder.get('what')}, "
        f"process {holder.get('pid')} on {holder.get('host')}, since {holder.get('since')})…"
    )


@contextmanager
def write_lock(
    catalog: Catalog, lock_dir: Path, what: str, on_wait: Notice | None = None
) -> Iterator[None]:
    """Hold the knowledge base's write lock; call on_wait once if another writer holds it."""
    path = sqlite_path(catalog.engine)
    if catalog.engine.dialect.name == "postgresql":
        with _advisory(catalog, what, on_wait):
            yield
        return
    lock_file = (path.parent if path is not None else lock_dir) / "ingest.lock"
    with _file_lock(lock_file, lambda: waiting_message(catalog), on_wait):
        catalog.set_meta(_WRITER_KEY, describe_self(what))
        try:
            yield
        finally:
            catalog.set_meta(_WRITER_KEY, None)


@contextmanager
def _file_lock(path: Path, message: Callable[[], str], on_wait: Notice | None) -> Iterator[None]:
    from filelock import FileLock, Timeout

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(message())
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


@contextmanager
def host_lock(path: Path, on_wait: Notice | None = None, what: str = "") -> Iterator[None]:
    """A lock for this host only (the lexical index, which each host keeps for itself)."""
    with _file_lock(
        path, lambda: f"Waiting for {what or 'another process'} on this host…", on_wait
    ):
        yield


@contextmanager
def _advisory(catalog: Catalog, what: str, on_wait: Notice | None) -> Iterator[None]:
    key = zlib.crc32(f"impact-write:{catalog.kb_id()}".encode()) & 0x7FFFFFFF
    with catalog.engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        if not got:
            if on_wait is not None:
                on_wait(waiting_message(catalog))
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
        conn.commit()
        catalog.set_meta(_WRITER_KEY, describe_self(what))
        try:
            yield
        finally:
            try:
                catalog.set_meta(_WRITER_KEY, None)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


def process_label() -> str:
    """A short description of this process for the writer record (its command line)."""
    args = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv else ["python"]
    label = " ".join(args)
    return label if len(label) <= 120 else label[:117] + "…"
