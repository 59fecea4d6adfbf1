"""`impact` stays light to start, and `make run`'s demo key is made once and can be revoked."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from api.demo import demo_key_path, ensure_demo_key
from tests.api.conftest import key_store
from tests.api.server import ROOT

HEAVY = ("fastapi", "starlette", "uvicorn", "argon2", "limits", "sqlalchemy", "alembic")


def test_the_cli_module_imports_no_web_server_or_database_code() -> None:
    probe = f"import sys, api.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_every_earlier_command_is_still_there() -> None:
    from api.cli import app

    names = {c.name or c.callback.__name__ for c in app.registered_commands}  # type: ignore[union-attr]
    assert {
        "ingest",
        "forget",
        "sources",
        "search",
        "ask",
        "chat",
        "start",
        "info",
        "serve",
    } <= names
    assert "keys" in {g.name for g in app.registered_groups}


def test_the_demo_key_is_created_once_and_stays_revoked(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = key_store(data_dir)
    key, note = ensure_demo_key(store, data_dir, "default")
    assert key and "created demo key" in note and "impact keys revoke" in note
    assert stat.S_IMODE(demo_key_path(data_dir).stat().st_mode) == 0o600
    again, note = ensure_demo_key(store, data_dir, "default")
    assert again == key and "created" not in note
    assert len(store.list()) == 1
    store.revoke(store.authenticate(key).id)
    gone, note = ensure_demo_key(store, data_dir, "default")
    assert gone is None and "revoked" in note and len(store.list()) == 1
