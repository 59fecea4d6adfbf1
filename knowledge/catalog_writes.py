"""Writing the catalog: each change is one transaction that also moves the generation on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, tuple_, update
from sqlalchemy.exc import SQLAlchemyError

from knowledge import schema as t
from knowledge.errors import StoreUnavailable
from knowledge.records import SourceRecord, now_iso
from knowledge.types import Chunk

_BATCH = 500


class CatalogWrites:
    """The catalog's writing half (mixed into Catalog)."""

    engine: Engine

    # -- writing --------------------------------------------------------------------------
    def _write(self, fn: Any) -> Any:
        try:
            with self.engine.begin() as conn:
                return fn(conn)
        except SQLAlchemyError as exc:
            raise _fail_write(exc) from exc

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


def _fail_write(exc: SQLAlchemyError) -> StoreUnavailable:
    first = str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
    return StoreUnavailable(f"could not write the catalog ({first})")


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
