"""The demo key `make run` prints: created once, kept (mode 600) in the data directory."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from api.errors import NotAuthenticated
from api.keys import KeyStore

DEMO_FILE = "demo-key"
DEMO_LABEL = "demo"


def demo_key_path(data_dir: Path) -> Path:
    return Path(data_dir) / DEMO_FILE


def ensure_demo_key(store: KeyStore, data_dir: Path, tenant: str) -> tuple[str | None, str]:
    """(the demo key or None if it was revoked, a one-line note on where it came from)."""
    path = demo_key_path(data_dir)
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        try:
            record = store.authenticate(key)
        except NotAuthenticated:
            return None, (
                f"the demo key was revoked; delete {path} and run again for a new one, "
                "or create a key with `impact keys create`"
            )
        return key, f"demo key {record.id} (tenant {record.tenant}, role {record.role})"
    record, key = store.create(tenant, "facilitator", label=DEMO_LABEL)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    return key, (
        f"created demo key {record.id} (tenant {record.tenant}, role facilitator); "
        f"revoke it with `impact keys revoke {record.id}`"
    )
