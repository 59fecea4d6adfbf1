"""Small results computed once from packaged data and kept on disk between processes.

The injection detector's weights and the intent exemplars' vectors are derived from files that
ship with the package; computing them takes seconds, which every new `impact ask` would pay.
Each is stored under a key made from everything it depends on, so a changed input computes a
fresh copy and an old one is never used. A cache that cannot be written (a read-only home, a
full disk) costs only the time: the result is computed in memory again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

__all__ = ["cached_arrays", "default_cache_dir", "digest"]

Arrays = dict[str, np.ndarray]


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("impact-assistant", appauthor=False)) / "derived"


def digest(parts: Iterable[bytes | str]) -> str:
    """A short hash of the inputs a result depends on."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:24]


def cached_arrays(
    name: str, key: str, compute: Callable[[], Arrays], directory: Path | None = None
) -> Arrays:
    """The arrays stored for (name, key), or `compute()`'s result, stored for next time."""
    folder = directory if directory is not None else default_cache_dir()
    path = folder / f"{name}-{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as stored:
            return {k: stored[k] for k in stored.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        pass  # not there yet, or a damaged copy: compute it again
    arrays = compute()
    tmp = folder / f".{name}-{key}.{os.getpid()}.tmp.npz"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(tmp, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, path)  # readers see the old file or the whole new one
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return arrays
