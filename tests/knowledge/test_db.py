"""The shared engine: SQLite in the data directory, or a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from knowledge.db import default_database_url, get_engine, normalise_url, safe_url, sqlite_path
from knowledge.errors import StoreUnavailable


def test_default_database_is_a_sqlite_file_in_the_data_directory(tmp_path: Path) -> None:
    engine = get_engine(default_database_url(tmp_path))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert sqlite_path(engine) == (tmp_path / "impact.sqlite3").resolve()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_read_only_engine_reads_but_never_writes(tmp_path: Path) -> None:
    url = default_database_url(tmp_path)
    with get_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    reader = get_engine(url, read_only=True)
    with reader.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM t")).scalar() == 0
        with pytest.raises(Exception, match="readonly"):
            conn.execute(text("INSERT INTO t VALUES (1)"))


def test_postgres_urls_use_psycopg_and_passwords_never_show() -> None:
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert "secret" not in safe_url("postgresql://u:secret@h/db")


def test_an_unreadable_url_is_a_clear_error() -> None:
    with pytest.raises(StoreUnavailable, match="cannot be read"):
        get_engine("not a url")


def test_postgres_engine_runs_queries(postgres_url: str) -> None:
    engine = get_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_the_catalog_head_constant_is_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from knowledge.migrations import HEAD, SCRIPT_LOCATION

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_the_catalog_is_created_once_and_keeps_its_id(tmp_path: Path, postgres_url: str) -> None:
    from knowledge.catalog import Catalog

    for url in (default_database_url(tmp_path), postgres_url):
        first = Catalog.open(url)
        again = Catalog.open(url)
        assert first.kb_id() == again.kb_id() and len(first.kb_id()) == 32
        assert first.generation() == 0 and first.sources() == []
