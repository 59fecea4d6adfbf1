"""Private copies of read-only stores, deleted when the process leaves.

Embedded Chroma and Tantivy both write to a store's folder even to read it, so a store on a
read-only share is read from a copy in the temporary folder. `atexit` deletes the copies on a
normal exit; `impact ask` and `impact search` leave with `os._exit` (no atexit), so they call
`remove_copies` themselves.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

_COPIES: set[Path] = set()


def private_copy(prefix: str) -> Path:
    """A new empty temporary folder, deleted when the process leaves."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    _COPIES.add(folder)
    return folder


def remove(folder: Path) -> None:
    """Delete one copy now (the index it held was replaced)."""
    shutil.rmtree(folder, ignore_errors=True)
    _COPIES.discard(folder)


def remove_copies() -> None:
    """Delete every copy this process made."""
    for folder in list(_COPIES):
        remove(folder)


atexit.register(remove_copies)
