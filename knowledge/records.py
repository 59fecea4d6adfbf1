"""Rows of the catalog as plain data: sources, passages, lexical-index rows, vector collections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from knowledge.types import Tags


@dataclass(frozen=True)
class SourceRecord:
    source: str
    doc_id: str
    title: str
    kind: str
    content_hash: str
    version: str
    tags: Tags
    metadata: dict[str, Any]
    chunks: int
    ingested_at: str
    tenant: str = ""


@dataclass(frozen=True)
class ChunkRow:
    id: str
    source: str
    doc_id: str
    position: int
    page: int | None
    heading: tuple[str, ...]
    text: str
    title: str
    tags: Tags
    metadata: dict[str, Any]
    flagged: bool
    tenant: str = ""
    flagged_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class IndexRow:
    """What the lexical index holds for one passage."""

    id: str
    doc_id: str
    tenant: str
    source: str
    tags: Tags
    text: str


@dataclass(frozen=True)
class CollectionRecord:
    name: str
    model: str
    dimension: int
    state: str  # building, active or retired


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def source_record(row: Any) -> SourceRecord:
    return SourceRecord(
        source=row[0],
        doc_id=row[1],
        title=row[2],
        kind=row[3],
        content_hash=row[4],
        version=row[5],
        tags=row[6],
        metadata=row[7],
        chunks=row[8],
        ingested_at=row[9],
        tenant=row[10],
    )


def chunk_row(r: Any) -> ChunkRow:
    return ChunkRow(
        id=r[0],
        source=r[1],
        doc_id=r[2],
        position=r[3],
        page=r[4],
        heading=tuple(r[5]),
        text=r[6],
        title=r[7],
        tags=r[8],
        metadata=r[9],
        flagged=bool(r[10]),
        tenant=r[11],
        flagged_spans=tuple((int(a), int(b)) for a, b in (r[12] or [])),
    )
