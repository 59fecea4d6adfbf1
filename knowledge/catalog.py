"""SQLite catalog: the record of truth for which sources and chunks are in the index.

A document counts as indexed only once its rows are committed here; the vector store and the
BM25 index are checked against this catalog, so a crash mid-ingest never exposes half a document.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from knowledge.errors import StoreUnavailable
from knowledge.types import Chunk, SourceInfo, Tags

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version TEXT NOT NULL,
    tags TEXT NOT NULL,
    metadata TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(source) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    page INTEGER,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0,
    flagged_spans TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE INDEX IF NOT EXISTS chunks_doc_position ON chunks(doc_id, position);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


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
    flagged_spans: tuple[tuple[int, int], ...] = ()


_ROW_COLUMNS = (
    "c.id, c.source, c.doc_id, c.position, c.page, c.heading, c.text, s.title, s.tags, "
    "s.metadata, c.flagged, c.flagged_spans"
)


def _chunk_row(r: tuple) -> ChunkRow:
    return ChunkRow(
        id=r[0],
        source=r[1],
        doc_id=r[2],
        position=r[3],
        page=r[4],
        heading=tuple(json.loads(r[5])),
        text=r[6],
        title=r[7],
        tags=json.loads(r[8]),
        metadata=json.loads(r[9]),
        flagged=bool(r[10]),
        flagged_spans=tuple((int(a), int(b)) for a, b in json.loads(r[11] or "[]")),
    )


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            columns = {r[1] for r in self._db.execute("PRAGMA table_info(chunks)")}
            if columns and "flagged_spans" not in columns:  # a catalog from before the column
                self._db.execute(
                    "ALTER TABLE chunks ADD COLUMN flagged_spans TEXT NOT NULL DEFAULT '[]'"
                )
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreUnavailable(
                f"could not open the catalog {path} ({exc}); check the data directory"
            ) from exc

    def close(self) -> None:
        self._db.close()

    def generation(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self) -> None:
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
        )

    def get_source(self, source: str) -> SourceRecord | None:
        row = self._db.execute(
            "SELECT source, doc_id, title, kind, content_hash, version, tags, metadata, chunks, "
            "ingested_at FROM sources WHERE source = ?",
            (source,),
        ).fetchone()
        return _source(row) if row else None

    def sources(self) -> list[SourceRecord]:
        rows = self._db.execute(
            "SELECT source, doc_id, title, kind, content_hash, version, tags, metadata, chunks, "
            "ingested_at FROM sources ORDER BY source"
        ).fetchall()
        return [_source(r) for r in rows]

    def source_infos(self) -> list[SourceInfo]:
        return [
            SourceInfo(r.source, r.title, r.chunks, r.content_hash, r.kind, r.tags, r.ingested_at)
            for r in self.sources()
        ]

    def chunk_ids(self, source: str) -> list[str]:
        rows = self._db.execute("SELECT id FROM chunks WHERE source = ?", (source,)).fetchall()
        return [r[0] for r in rows]

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT id FROM chunks")}

    def replace_document(self, record: SourceRecord, chunks: Sequence[Chunk]) -> list[str]:
        """Swap a source's chunks for new ones in one transaction; return the old chunk ids."""
        try:
            with self._db:
                old = self.chunk_ids(record.source)
                self._db.execute("DELETE FROM chunks WHERE source = ?", (record.source,))
                self._db.execute(
                    "INSERT OR REPLACE INTO sources(source, doc_id, title, kind, content_hash, "
                    "version, tags, metadata, chunks, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        record.source,
                        record.doc_id,
                        record.title,
                        record.kind,
                        record.content_hash,
                        record.version,
                        json.dumps(record.tags),
                        json.dumps(record.metadata),
                        len(chunks),
                        record.ingested_at,
                    ),
                )
                self._db.executemany(
                    "INSERT INTO chunks(id, source, doc_id, position, page, heading, text, "
                    "index_text, content_hash, flagged, flagged_spans) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            c.id,
                            record.source,
                            c.doc_id,
                            c.position,
                            c.page,
                            json.dumps(list(c.heading)),
                            c.text,
                            c.index_text(),
                            c.content_hash,
                            int(c.flagged),
                            json.dumps([list(span) for span in c.flagged_spans]),
                        )
                        for c in chunks
                    ],
                )
                self._bump()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"could not write the catalog ({exc})") from exc
        return old

    def remove_source(self, source: str) -> list[str]:
        try:
            with self._db:
                old = self.chunk_ids(source)
                self._db.execute("DELETE FROM chunks WHERE source = ?", (source,))
                deleted = self._db.execute("DELETE FROM sources WHERE source = ?", (source,))
                if deleted.rowcount:
                    self._bump()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"could not write the catalog ({exc})") from exc
        return old

    def iter_index_rows(self) -> Iterator[tuple[str, str, str, Tags]]:
        """(id, index text, source, tags) for every chunk, in a stable order."""
        cursor = self._db.execute(
            "SELECT c.id, c.index_text, c.source, s.tags FROM chunks c "
            "JOIN sources s ON s.source = c.source ORDER BY c.source, c.position"
        )
        for cid, text, source, tags in cursor:
            yield cid, text, source, json.loads(tags)

    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, ChunkRow]:
        if not ids:
            return {}
        out: dict[str, ChunkRow] = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT {_ROW_COLUMNS} FROM chunks c "
                f"JOIN sources s ON s.source = c.source WHERE c.id IN ({marks})",
                part,
            ).fetchall()
            for r in rows:
                out[r[0]] = _chunk_row(r)
        return out

    def chunks_by_position(self, doc_id: str, positions: Sequence[int]) -> dict[int, ChunkRow]:
        """The chunks of one document at the given positions (for small-to-big context)."""
        wanted = sorted({int(p) for p in positions})
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT {_ROW_COLUMNS} FROM chunks c JOIN sources s ON s.source = c.source "
            f"WHERE c.doc_id = ? AND c.position IN ({marks})",
            [doc_id, *wanted],
        ).fetchall()
        return {r[3]: _chunk_row(r) for r in rows}

    def count_chunks(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _source(row: tuple) -> SourceRecord:
    return SourceRecord(
        source=row[0],
        doc_id=row[1],
        title=row[2],
        kind=row[3],
        content_hash=row[4],
        version=row[5],
        tags=json.loads(row[6]),
        metadata=json.loads(row[7]),
        chunks=row[8],
        ingested_at=row[9],
    )
