"""Upgrading a data directory made by the previous release (catalog.sqlite3, chroma/, bm25/).

Its sources and passages move into the new catalog (the bundled pack into `shared`, everything
else into the default tenant), their vectors are copied into this knowledge base's collection
(re-embedded when the old vectors are missing or of another dimension), and the old files are
set aside. It runs once, under the write lock, and can be run again after a crash.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from knowledge.catalog import Catalog, CollectionRecord, SourceRecord, now_iso
from knowledge.errors import StoreUnavailable
from knowledge.stores import Stores
from knowledge.tenants import DEFAULT_TENANT, SHARED
from knowledge.types import Chunk
from knowledge.upkeep import embedding_dimension, vector_metadata

LEGACY_CATALOG = "catalog.sqlite3"
LEGACY_COLLECTION = "impact_chunks"
_MARKER = "legacy_import"


def legacy_pending(data_dir: Path, catalog: Catalog) -> bool:
    return (data_dir / LEGACY_CATALOG).exists() and catalog.get_meta(_MARKER) is None


def _rows(path: Path) -> tuple[list[tuple], dict[str, list[tuple]]]:
    uri = f"file:{path.resolve().as_posix()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as db:
            sources = db.execute(
                "SELECT source, doc_id, title, kind, content_hash, version, tags, metadata, "
                "ingested_at FROM sources ORDER BY source"
            ).fetchall()
            chunks: dict[str, list[tuple]] = {}
            for row in db.execute(
                "SELECT id, source, doc_id, position, page, heading, text, content_hash, "
                "flagged FROM chunks ORDER BY source, position"
            ):
                chunks.setdefault(row[1], []).append(row)
    except sqlite3.Error as exc:
        raise StoreUnavailable(
            f"could not read the old catalog {path} ({exc}); move it aside and re-ingest "
            "your documents (`impact ingest --bundled` and `impact ingest FOLDER`)"
        ) from exc
    return sources, chunks


def import_legacy(
    data_dir: Path, stores: Stores, record: CollectionRecord, *, keep_server: bool
) -> int:
    """Move the old catalog's documents into this one; return how many documents moved."""
    old_catalog = data_dir / LEGACY_CATALOG
    sources, chunks = _rows(old_catalog)
    old_vectors = None
    if keep_server:
        old_vectors = None  # a server's old shared collection may belong to anyone: re-embed
    elif LEGACY_COLLECTION in stores.client.names():
        old_vectors = stores.client.collection(LEGACY_COLLECTION)
    dimension = embedding_dimension(stores)
    for row in sources:
        source, doc_id, title, kind, content_hash, version, tags, metadata, ingested_at = row
        tags, metadata = json.loads(tags), json.loads(metadata)
        tenant = SHARED if source.startswith("bundled:") else DEFAULT_TENANT
        passages = [
            Chunk(
                id=c[0],
                doc_id=doc_id,
                source=source,
                title=title,
                text=c[6],
                page=c[4],
                heading=tuple(json.loads(c[5])),
                position=c[3],
                content_hash=c[7],
                tags=tags,
                flagged=bool(c[8]),
            )
            for c in chunks.get(source, [])
        ]
        if not passages:
            continue
        ids = [c.id for c in passages]
        found = old_vectors.vectors_for(ids) if old_vectors is not None else {}
        usable = all(i in found and found[i].shape == (dimension,) for i in ids)
        if usable:
            import numpy as np

            vectors = np.stack([found[i] for i in ids])
        else:
            vectors = stores.embedder.embed_documents([c.index_text() for c in passages])
        collection = stores.collection(record, tenant, create=True)
        stores.catalog.add_pending(ids, collection.name)
        collection.add(ids, vectors, [vector_metadata(tenant, source, doc_id, tags)] * len(ids))
        source_record = SourceRecord(
            source=source,
            doc_id=doc_id,
            title=title,
            kind=kind,
            content_hash=content_hash,
            version=version,
            tags=tags,
            metadata=metadata,
            chunks=len(passages),
            ingested_at=ingested_at or now_iso(),
            tenant=tenant,
        )
        stores.catalog.replace_document(source_record, passages, collection.name)
    stores.catalog.set_meta(_MARKER, json.dumps({"at": now_iso(), "documents": len(sources)}))
    old_catalog.rename(old_catalog.with_name(LEGACY_CATALOG + ".imported"))
    for suffix in ("-wal", "-shm"):
        Path(str(old_catalog) + suffix).unlink(missing_ok=True)
    shutil.rmtree(data_dir / "bm25", ignore_errors=True)
    if old_vectors is not None:
        stores.client.drop(LEGACY_COLLECTION)
    return len(sources)
