"""The catalog (SQLAlchemy: SQLite by default, PostgreSQL by URL): the record of truth.

A document counts as indexed only once its rows are committed here, in one transaction; the
vector store and the lexical index are read through it, so a crash mid-ingest never exposes half
a document. Every commit bumps the catalog's generation, which the lexical index follows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, tuple_, update
from sqlalchemy.exc import SQLAlchemyError

from knowledge import schema as t
from knowledge.errors import StoreUnavailable
from knowledge.types import Chunk, SourceInfo, Tags

_BATCH = 500  # ids per IN (...) list: well under SQLite's variable limit


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


class Catalog:
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
                return fn(conn)
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
        return _source(row) if row else None

    def sources(self, tenants: Sequence[str] | None = None) -> list[SourceRecord]:
        query = select(*_SOURCE_COLUMNS).order_by(t.sources.c.tenant, t.sources.c.source)
        if tenants is not None:
            query = query.where(t.sources.c.tenant.in_(list(tenants)))
        return [_source(r) for r in self._read("read", lambda c: c.execute(query).all())]

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
                out[r[0]] = _chunk(r)
        return out

    def chunks_by_position(self, doc_id: str, positions: Sequence[int]) -> dict[int, ChunkRow]:
        """The passages of one document at these positions (neighbours, for small-to-big)."""
        if not positions:
            return {}
        query = _joined().where(
            t.chunks.c.doc_id == doc_id, t.chunks.c.position.in_(list(positions))
        )
        return {r.position: _chunk(r) for r in self._read("read", lambda c: c.execute(query))}

    def iter_index_rows(self, doc_ids: Sequence[str] | None = None) -> Iterator[IndexRow]:
        """Every passage (or those of some documents) as the lexical index needs it."""
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

    def index_rows_upto(self, doc_ids: Sequence[str], upto: int) -> list[IndexRow]:
        """Passages of these documents as committed at generation <= upto."""
        rows = list(self.iter_index_rows(doc_ids))
        keep = {
            r[0]
            for start in range(0, len(doc_ids), _BATCH)
            for r in self._read(
                "read",
                lambda c, s=start: c.execute(
                    select(t.sources.c.doc_id).where(
                        t.sources.c.doc_id.in_(list(doc_ids[s : s + _BATCH])),
                        t.sources.c.generation <= upto,
                    )
                ).all(),
            )
        }
        return [r for r in rows if r.doc_id in keep]

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

    # -- writing --------------------------------------------------------------------------
    def _write(self, fn: Any) -> Any:
        try:
            with self.engine.begin() as conn:
                return fn(conn)
        except SQLAlchemyError as exc:
            raise _fail("write", exc) from exc

    def set_meta(self, key: str, value: str | None) -> None:
        def run(c: Connection) -> None:
            c.execute(delete(t.meta).where(t.meta.c.key == key))
            if value is not None:
                c.execute(insert(t.meta).values(key=key, value=value))

        self._write(run)

    def add_collection(self, name: str, model: str, dimension: int, state: str) -> None:
        def run(c: Connection) -> None:
            c.execute(delete(t.collections).where(t.collections.c.name == name))
            c.execute(
                insert(t.collections).values(
                    name=name, model=model, dimension=dimension, state=state, created_at=now_iso()
                )
            )
            if state == "active":
                _bump(c)

        self._write(run)

    def activate_collection(self, name: str) -> list[str]:
        """Make one collection the active one (in one commit); return the ones it replaced."""

        def run(c: Connection) -> list[str]:
            old = [
                r[0]
                for r in c.execute(
                    select(t.collections.c.name).where(
                        t.collections.c.state == "active", t.collections.c.name != name
                    )
                )
            ]
            c.execute(
                update(t.collections).where(t.collections.c.name.in_(old)).values(state="retired")
            )
            c.execute(
                update(t.collections).where(t.collections.c.name == name).values(state="active")
            )
            _bump(c)
            return old

        return self._write(run)  # type: ignore[no-any-return]

    def drop_collection_record(self, name: str) -> None:
        def run(c: Connection) -> None:
            c.execute(delete(t.collections).where(t.collections.c.name == name))
            c.execute(delete(t.pending_vectors).where(t.pending_vectors.c.collection == name))

        self._write(run)

    def add_pending(self, ids: Sequence[str], collection: str) -> None:
        """Record vectors about to be written, so a crash before the commit can be tidied."""
        if ids:
            rows = [{"id": i, "collection": collection} for i in dict.fromkeys(ids)]
            self._write(lambda c: c.execute(insert(t.pending_vectors), rows))

    def clear_pending(self, ids: Sequence[str], collection: str) -> None:
        def run(c: Connection) -> None:
            for start in range(0, len(ids), _BATCH):
                c.execute(
                    delete(t.pending_vectors).where(
                        t.pending_vectors.c.collection == collection,
                        t.pending_vectors.c.id.in_(list(ids[start : start + _BATCH])),
                    )
                )

        self._write(run)

    def unknown_ids(self, ids: Sequence[str]) -> list[str]:
        """Those of `ids` that no committed passage has."""
        known: set[str] = set()
        for start in range(0, len(ids), _BATCH):
            part = list(ids[start : start + _BATCH])
            query = select(t.chunks.c.id).where(t.chunks.c.id.in_(part))
            known.update(r[0] for r in self._read("read", lambda c, q=query: c.execute(q)))
        return [i for i in ids if i not in known]

    def replace_document(
        self, record: SourceRecord, chunks: Sequence[Chunk], collection: str | None = None
    ) -> list[str]:
        """Swap a source's passages for new ones in one transaction; return the old passage ids.

        The new ids leave the pending list and the old ones join it (their vectors are deleted
        next), in the same commit.
        """
        new_ids = [c.id for c in chunks]

        def run(c: Connection) -> list[str]:
            key = (t.chunks.c.tenant == record.tenant) & (t.chunks.c.source == record.source)
            old = [r[0] for r in c.execute(select(t.chunks.c.id).where(key))]
            c.execute(delete(t.chunks).where(key))
            c.execute(
                delete(t.sources).where(
                    t.sources.c.tenant == record.tenant, t.sources.c.source == record.source
                )
            )
            generation = _bump(c)
            c.execute(
                insert(t.sources).values(
                    tenant=record.tenant,
                    source=record.source,
                    doc_id=record.doc_id,
                    title=record.title,
                    kind=record.kind,
                    content_hash=record.content_hash,
                    version=record.version,
                    tags=record.tags,
                    metadata=record.metadata,
                    chunks=len(chunks),
                    ingested_at=record.ingested_at,
                    generation=generation,
                )
            )
            if chunks:
                c.execute(
                    insert(t.chunks),
                    [
                        {
                            "id": ch.id,
                            "doc_id": record.doc_id,
                            "tenant": record.tenant,
                            "source": record.source,
                            "position": ch.position,
                            "page": ch.page,
                            "heading": list(ch.heading),
                            "text": ch.text,
                            "index_text": ch.index_text(),
                            "content_hash": ch.content_hash,
                            "flagged": bool(ch.flagged),
                            "flagged_spans": [list(s) for s in ch.flagged_spans],
                        }
                        for ch in chunks
                    ],
                )
            if collection is not None:
                _swap_pending(c, collection, new_ids, [i for i in old if i not in set(new_ids)])
            return old

        return self._write(run)  # type: ignore[no-any-return]

    def remove_source(self, tenant: str, source: str, collection: str | None = None) -> list[str]:
        """Remove a source and its passages in one transaction; return the passage ids."""

        def run(c: Connection) -> list[str]:
            row = c.execute(
                select(t.sources.c.doc_id).where(
                    t.sources.c.tenant == tenant, t.sources.c.source == source
                )
            ).first()
            if row is None:
                return []
            key = (t.chunks.c.tenant == tenant) & (t.chunks.c.source == source)
            old = [r[0] for r in c.execute(select(t.chunks.c.id).where(key))]
            c.execute(delete(t.chunks).where(key))
            c.execute(
                delete(t.sources).where(t.sources.c.tenant == tenant, t.sources.c.source == source)
            )
            generation = _bump(c)
            c.execute(
                insert(t.tombstones).values(
                    doc_id=row[0], tenant=tenant, source=source, generation=generation
                )
            )
            if collection is not None:
                _swap_pending(c, collection, [], old)
            return old

        return self._write(run)  # type: ignore[no-any-return]


def schema_version(engine: Engine) -> str | None:
    """The catalog's Alembic revision, or None when its tables were never created."""
    from sqlalchemy import text

    from knowledge.migrations import VERSION_TABLE

    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()  # type: ignore[no-any-return]
    except SQLAlchemyError:
        return None


def _bump(conn: Connection) -> int:
    result = conn.execute(
        update(t.state)
        .where(t.state.c.id == 1)
        .values(generation=t.state.c.generation + 1)
        .returning(t.state.c.generation)
    )
    return int(result.scalar_one())


def _swap_pending(c: Connection, collection: str, done: list[str], doomed: list[str]) -> None:
    for start in range(0, len(done), _BATCH):
        c.execute(
            delete(t.pending_vectors).where(
                tuple_(t.pending_vectors.c.collection, t.pending_vectors.c.id).in_(
                    [(collection, i) for i in done[start : start + _BATCH]]
                )
            )
        )
    for start in range(0, len(doomed), _BATCH):
        part = doomed[start : start + _BATCH]
        c.execute(
            delete(t.pending_vectors).where(
                t.pending_vectors.c.collection == collection, t.pending_vectors.c.id.in_(part)
            )
        )
        c.execute(insert(t.pending_vectors), [{"id": i, "collection": collection} for i in part])


def _joined() -> Any:
    return select(*_CHUNK_COLUMNS).join(
        t.sources,
        (t.sources.c.tenant == t.chunks.c.tenant) & (t.sources.c.source == t.chunks.c.source),
    )


def _source(row: Any) -> SourceRecord:
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


def _chunk(r: Any) -> ChunkRow:
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
