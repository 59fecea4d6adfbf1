"""Upload limits (413, 415) for the documents routes: checked before anything is stored."""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from api.errors import PayloadTooLarge, UnsupportedMediaType

CHUNK = 1 << 16
# What a browser or client may declare for each accepted suffix (plus the generic binary type).
_GENERIC = {"application/octet-stream", ""}
_TYPES = {
    ".pdf": {"application/pdf"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".html": {"text/html", "application/xhtml+xml"},
    ".htm": {"text/html", "application/xhtml+xml"},
    ".md": {"text/markdown", "text/x-markdown", "text/plain"},
    ".markdown": {"text/markdown", "text/x-markdown", "text/plain"},
    ".txt": {"text/plain"},
}


def safe_filename(filename: str | None) -> str:
    """The file's base name with no folders (browsers on Windows send C:\\...\\name.pdf)."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    if not name or name in (".", ".."):
        raise UnsupportedMediaType("the upload has no file name; send it as multipart field `file`")
    return name


def check_type(filename: str | None, content_type: str | None, allowed: list[str]) -> str:
    """The upload's suffix if its name and declared type are accepted, else UnsupportedMediaType."""
    name = safe_filename(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise UnsupportedMediaType(
            f"{suffix or 'a file without an extension'} is not accepted; send one of "
            f"{', '.join(allowed)}"
        )
    declared = (content_type or "").split(";")[0].strip().lower()
    expected = _TYPES.get(suffix) or {mimetypes.types_map.get(suffix, "")}
    if declared not in _GENERIC and declared not in expected:
        raise UnsupportedMediaType(
            f"the file is named {suffix} but was sent as {declared}; send it as "
            f"{sorted(expected)[0]}"
        )
    return suffix


def _size(n: int) -> str:
    return f"{n / 1_048_576:g} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KiB"


def copy_limited(source: BinaryIO, target: Path, max_bytes: int) -> int:
    """Copy an upload to `target`, stopping with PayloadTooLarge past `max_bytes` (nothing kept)."""
    written = 0
    try:
        with target.open("wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise PayloadTooLarge(
                        f"uploads may be at most {_size(max_bytes)} (IMPACT_API_MAX_UPLOAD_MB); "
                        "split the document or ask the administrator to raise the limit"
                    )
                out.write(chunk)
    except PayloadTooLarge:
        target.unlink(missing_ok=True)
        raise
    return written


def copy_upload(source: BinaryIO, folder: Path, filename: str, max_bytes: int) -> Path:
    """Store an accepted upload under `folder` with its safe name; return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_filename(filename)
    copy_limited(source, target, max_bytes)
    return target
