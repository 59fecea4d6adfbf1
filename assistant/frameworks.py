"""Frameworks as sessions use them: found in IMPACT_FRAMEWORKS_DIR first, errors translated."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import FrameworkError
from prompts.frameworks import (
    Framework,
    FrameworkFileError,
    FrameworkInfo,
    available_frameworks,
    load_framework,
    validate_framework_file,
)

__all__ = ["get_framework", "list_frameworks", "validate_framework"]


def _framework_error(exc: FrameworkFileError) -> FrameworkError:
    message = str(exc)
    if any(p.line for p in exc.problems):
        message += f" (impact frameworks validate {exc.origin} lists every problem)"
    return FrameworkError(message, [(p.line, p.message) for p in exc.problems])


def get_framework(name: str, frameworks_dir: Path | None = None) -> Framework:
    """The framework called `name` (IMPACT_FRAMEWORKS_DIR first, then the packaged ones)."""
    try:
        return load_framework(name, frameworks_dir)
    except FrameworkFileError as exc:
        raise _framework_error(exc) from exc


def list_frameworks(frameworks_dir: Path | None = None) -> list[FrameworkInfo]:
    try:
        return available_frameworks(frameworks_dir)
    except FrameworkFileError as exc:
        raise _framework_error(exc) from exc


def validate_framework(path: Path) -> Framework:
    """Validate one framework file; FrameworkError lists every problem with its line."""
    try:
        return validate_framework_file(path)
    except FrameworkFileError as exc:
        raise _framework_error(exc) from exc
