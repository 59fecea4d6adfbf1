"""The catalog (SQLAlchemy: SQLite by default, PostgreSQL by URL): the record of truth.

A document counts as indexed only once its rows are committed here, in one transaction; the
vector store and the lexical index are read through it, so a crash mid-ingest never exposes half
a document. Every commit bumps the catalog's generation, which the lexical index follows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Result, func, select
from sqlalchemy.exc import SQLAlchemyError

from knowledge import schema as t
from knowledge.catalog_writes import CatalogWrites
from knowledge.errors import StoreUnavailable
from knowledge.records import (
    ChunkRow,
    CollectionRecord,
    IndexRow,
    SourceRecord,
    chunk_row,
    now_iso,
    source_record,
)
from knowledge.types import SourceInfo

__all__ = ["Catalog", "ChunkRow", "CollectionRecord", "IndexRow", "SourceRecord", "now_iso"]

_BATCH = 500  # ids per IN (...) list: well under SQLite's variable limit


def _fail(action: str, exc: SQLAlchemyError) -> StoreUnavailable:
    first = str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
    return StoreUnavailable(f"could not {action} the catalog ({first})")


_SOURCE_COLUMNS = (
    t.sources.c.source,
    t.sources.c.doc_id,
    t.sources.c.title,
    t.sources.c.kind,
    t.sources.c.content_hash,
    t.sources.c.version,
    t.sources.c.tags,
    t.sources.c.metadata,
    t.sources.c.chunks,
    t.sources.c.ingested_at,
    t.sources.c.tenant,
)
_CHUNK_COLUMNS = (
    t.chunks.c.id,
    t.chunks.c.source,
    t.chunks.c.doc_id,
    t.chunks.c.position,
    t.chunks.c.page,
    t.chunks.c.heading,
    t.chunks.c.text,
    t.sources.c.title,
    t.sources.c.tags,
    t.sources.c.metadata,
    t.chunks.c.flagged,
    t.chunks.c.tenant,
    t.chunks.c.flagged_spans,
)


class Catalog(CatalogWrites):
    """Sources and passages by tenant, the vector collections, and the change counter."""

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self.engine = engine
        self.read_only = read_only

    @classmethod
    def open(cls, url: str, *, read_only: bool = False) -> Catalog:
        """The catalog at `url`, its tables brought up to date (never migrated when read-only)."""
        from knowledge.db import get_engine, migrate, safe_url
        from knowledge.migrations import HEAD, SCRIPT_LOCATION, VERSION_TABLE

        engine = get_engine(url, read_only=read_only)
        if schema_version(engine) != HEAD:
            if read_only:
                raise StoreUnavailable(
                    f"the catalog {safe_url(url)} is read-only here and has not been set up "
                    "for this version; run any `impact ingest` once with write access"
                )
            migrate(engine, SCRIPT_LOCATION, VERSION_TABLE)
        return cls(engine, read_only=read_only)

    # -- reading --------------------------------------------------------------------------
    def _read(self, action: str, fn: Any) -> Any:
        try:
            with self.engine.connect() as conn:
                found = fn(conn)
                # Rows are fetched before the connection goes back to the pool: a result read
                # afterwards fails once the pool has closed that connection (more threads than
                # pooled connections: "Cannot operate on a closed database").
                return found.all() if isinstance(found, Result) else found
        except SQLAlchemyError as exc:
            raise _fail(action, exc) from exc

    def kb_id(self) -> str:
        return str(self._read("read", lambda c: c.execute(select(t.state.c.kb_id)).scalar_one()))

    def generation(self) -> int:
        return int(
            self._read("read", lambda c: c.execute(select(t.state.c.generation)).scalar_one())
        )

    def get_meta(self, key: str) -> str | None:
        query = select(t.meta.c.value).where(t.meta.c.key == key)
        return self._read("read", lambda c: c.execute(query).scalar_one_or_none())  # type: ignore[no-any-return]

    def get_source(self, tenant: str, source: str) -> SourceRecord | None:
        query = select(*_SOURCE_COLUMNS).where(
            t.sources.c.tenant == tenant, t.sources.c.source == source
        )
        row = self._read("read", lambda c: c.execute(query).first())
        return source_record(row) if row else None

    def sources(self, tenants: Sequence[str] | None = None) -> list[SourceRecord]:
        query = select(*_SOURCE_COLUMNS).order_by(t.sources.c.tenant, t.sources.c.source)
        if tenants is not None:
            query = query.where(t.sources.c.tenant.in_(list(tenants)))
        return [source_record(r) for r in self._read("read", lambda c: c.execute(query).all())]

    def source_infos(self, tenants: Sequence[str] | None = None) -> list[SourceInfo]:
        return [
            SourceInfo(
                r.source, r.title, r.chunks, r.content_hash, r.kind, r.tags, r.ingested_at, r.tenant
            )
            for r in self.sources(tenants)
        ]

    def tenants(self) -> list[str]:
        query = select(t.sources.c.tenant).distinct().order_by(t.sources.c.tenant)
        return [r[0] for r in self._read("read", lambda c: c.execute(query).all())]

    def chunk_ids(self, tenant: str, source: str) -> list[str]:
        query = select(t.chunks.c.id).where(
            t.chunks.c.tenant == tenant, t.chunks.c.source == source
        )
        return [r[0] for r in self._read("read", lambda c: c.execute(query).all())]

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self._read("read", lambda c: c.execute(select(t.chunks.c.id)))}

    def count_chunks(self, tenants: Sequence[str] | None = None) -> int:
        query = select(func.count()).select_from(t.chunks)
        if tenants is not None:
            query = query.where(t.chunks.c.tenant.in_(list(tenants)))
        return int(self._read("read", lambda c: c.execute(query).scalar_one()))

    def count_sources(self, tenants: Sequence[str] | None = None) -> int:
        query = select(func.count()).select_from(t.sources)
        if tenants is not None:
            query = query.where(t.sources.c.tenant.in_(list(tenants)))
        return int(self._read("read", lambda c: c.execute(query).scalar_one()))

    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, ChunkRow]:
        out: dict[str, ChunkRow] = {}
        for start in range(0, len(ids), _BATCH):
            part = list(ids[start : start + _BATCH])
            query = _joined().where(t.chunks.c.id.in_(part))
            for r in self._read("read", lambda c, q=query: c.execute(q).all()):
                out[r[0]] = chunk_row(r)
        return out

    def chunks_by_position(self, doc_id: str, positions: Sequence[int]) -> dict[int, ChunkRow]:
        """The passages of one document at these positions (neighbours, for small-to-big)."""
        if not positions:
            return {}
        query = _joined().where(
            t.chunks.c.doc_id == doc_id, t.chunks.c.position.in_(list(positions))
        )
        return {r.position: chunk_row(r) for r in self._read("read", lambda c: c.execute(query))}

    def iter_index_rows(
        self, doc_ids: Sequence[str] | None = None, tenants: Sequence[str] | None = None
    ) -> Iterator[IndexRow]:
        """Every passage (or those of some documents, or of some tenants) as the lexical index
        needs it."""
        base = (
            select(
                t.chunks.c.id,
                t.chunks.c.doc_id,
                t.chunks.c.tenant,
                t.chunks.c.source,
                t.sources.c.tags,
                t.chunks.c.index_text,
            )
            .join(
                t.sources,
                (t.sources.c.tenant == t.chunks.c.tenant)
                & (t.sources.c.source == t.chunks.c.source),
            )
            .order_by(t.chunks.c.id)
        )
        if tenants is not None:
            base = base.where(t.chunks.c.tenant.in_(list(tenants)))
        if doc_ids is not None:
            for start in range(0, len(doc_ids), _BATCH):
                query = base.where(t.chunks.c.doc_id.in_(list(doc_ids[start : start + _BATCH])))
                for r in self._read("read", lambda c, q=query: c.execute(q).all()):
                    yield IndexRow(*r)
            return
        last = ""
        while True:  # keyset pages: a million rows never sit in memory at once
            query = base.where(t.chunks.c.id > last).limit(20_000)
            rows = self._read("read", lambda c, q=query: c.execute(q).all())
            if not rows:
                return
            for r in rows:
                yield IndexRow(*r)
            last = rows[-1][0]

    def changes(self, after: int, upto: int) -> tuple[list[str], list[str]]:
        """(doc ids written, doc ids removed) in generations after..upto."""

        def run(c: Connection) -> tuple[list[str], list[str]]:
            written = c.execute(
                select(t.sources.c.doc_id).where(
                    t.sources.c.generation > after, t.sources.c.generation <= upto
                )
            ).all()
            removed = c.execute(
                select(t.tombstones.c.doc_id).where(
                    t.tombstones.c.generation > after, t.tombstones.c.generation <= upto
                )
            ).all()
            return [r[0] for r in written], sorted({r[0] for r in removed})

        return self._read("read", run)  # type: ignore[no-any-return]

    def unknown_ids(self, ids: Sequence[str]) -> list[str]:
        """Those of `ids` that no committed passage has."""
        known: set[str] = set()
        for start in range(0, len(ids), _BATCH):
            part = list(ids[start : start + _BATCH])
            query = select(t.chunks.c.id).where(t.chunks.c.id.in_(part))
            known.update(r[0] for r in self._read("read", lambda c, q=query: c.execute(q)))
        return [i for i in ids if i not in known]

    # -- collections ----------------------------------------------------------------------
    def collections(self) -> list[CollectionRecord]:
        query = select(
            t.collections.c.name,
            t.collections.c.model,
            t.collections.c.dimension,
            t.collections.c.state,
        ).order_by(t.collections.c.created_at)
        return [CollectionRecord(*r) for r in self._read("read", lambda c: c.execute(query))]

    def active_collection(self) -> CollectionRecord | None:
        return next((c for c in self.collections() if c.state == "active"), None)

    def pending_vectors(self, limit: int = 10_000) -> list[tuple[str, str]]:
        query = select(t.pending_vectors.c.id, t.pending_vectors.c.collection).limit(limit)
        return [(r[0], r[1]) for r in self._read("read", lambda c: c.execute(query))]


def schema_version(engine: Engine) -> str | None:
    """The catalog's Alembic revision, or None when its tables were never created."""
    from sqlalchemy import text

    from knowledge.migrations import VERSION_TABLE

    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()  # type: ignore[no-any-return]
    except SQLAlchemyError:
        return None


def _joined() -> Any:
    return select(*_CHUNK_COLUMNS).join(
        t.sources,
        (t.sources.c.tenant == t.chunks.c.tenant) & (t.sources.c.source == t.chunks.c.source),
    )
