"""The API's tables live on the shared engine (SQLite in the data dir, or PostgreSQL by URL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from assistant.settings import Settings
from knowledge.db import default_database_url, get_engine, migrate

VERSION_TABLE = "alembic_version_api"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(settings: Settings) -> str:
    return settings.database_url or default_database_url(settings.data_dir)


def open_engine(settings: Settings) -> Engine:
    """The shared engine, with the API's tables brought to the newest revision."""
    engine = get_engine(database_url(settings))
    migrate(engine, MIGRATIONS, VERSION_TABLE)
    return engine
