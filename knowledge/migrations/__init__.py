"""Alembic migrations of the catalog's tables (version table `alembic_version_catalog`)."""

from __future__ import annotations

from pathlib import Path

VERSION_TABLE = "alembic_version_catalog"
HEAD = "0001_catalog"
SCRIPT_LOCATION = Path(__file__).resolve().parent
