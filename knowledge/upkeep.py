"""Keeping the derived stores in step with the catalog (run by a writer, under the write lock).

- the vector collection for the configured model: created, or built by re-embedding every
  passage and then switched to in one catalog commit, the old collection dropped after;
- vectors an interrupted write left behind: deleted (only those recorded as pending, never a
  scan of the whole collection, and only in this knowledge base's own collections);
- this host's lexical index: brought up to the catalog's generation, one document at a time.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from knowledge.catalog import CollectionRecord
from knowledge.locks import host_lock
from knowledge.stores import Stores
from knowledge.types import ProgressEvent

if TYPE_CHECKING:
    from knowledge.vectors import VectorCollection

EMBED_BATCH = 256
Notice = Callable[[str], None]


def vector_metadata(tenant: str, source: str, doc_id: str, tags: dict) -> dict[str, str | bool]:
    from knowledge.vectors import tag_key

    meta: dict[str, str | bool] = {"tenant": tenant, "source": source, "doc_id": doc_id}
    for key, values in tags.items():
        for value in values:
            meta[tag_key(key, value)] = True
    return meta


def embedding_dimension(stores: Stores) -> int:
    # A library's deprecation notice about how it reports the dimension is no concern of a user.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return int(stores.embedder.dimension)


def ensure_collection(
    stores: Stores, progress: Callable[[ProgressEvent], None] | None = None
) -> CollectionRecord:
    """The active model's collections, for the configured model: built and switched to if not."""
    from knowledge.vectors import collection_name

    catalog = stores.catalog
    model = stores.embedder.name
    active = catalog.active_collection()
    if active is not None and active.model == model:
        return active
    dimension = embedding_dimension(stores)
    wanted = collection_name(catalog.kb_id(), model, dimension)
    if active is None and catalog.count_chunks() == 0:
        catalog.add_collection(wanted, model, dimension, "active")
        return CollectionRecord(wanted, model, dimension, "active")
    return _switch(stores, CollectionRecord(wanted, model, dimension, "building"), progress)


def _switch(
    stores: Stores, wanted: CollectionRecord, progress: Callable[[ProgressEvent], None] | None
) -> CollectionRecord:
    """Re-embed every passage into new collections, then make them the active ones."""
    catalog = stores.catalog
    embedder = stores.embedder
    for name in stores.member_names(wanted.name):  # a switch that was interrupted starts again
        stores.client.drop(name)
    catalog.add_collection(wanted.name, wanted.model, wanted.dimension, "building")
    targets: dict[str, VectorCollection] = {}
    total = catalog.count_chunks()
    done = 0
    batch: list = []

    def flush() -> None:
        nonlocal done
        if not batch:
            return
        vectors = embedder.embed_documents([row.text for row in batch])
        for tenant in {row.tenant for row in batch}:
            if tenant not in targets:
                targets[tenant] = stores.collection(wanted, tenant, create=True)
            keep = [i for i, row in enumerate(batch) if row.tenant == tenant]
            targets[tenant].add(
                [batch[i].id for i in keep],
                vectors[keep],
                [
                    vector_metadata(r.tenant, r.source, r.doc_id, r.tags)
                    for r in (batch[i] for i in keep)
                ],
            )
        done += len(batch)
        batch.clear()
        if progress:
            progress(ProgressEvent("", None, done, total, stage="re-embedding"))
        stores.checkpoint("switch-batch")

    for row in catalog.iter_index_rows():
        batch.append(row)
        if len(batch) >= EMBED_BATCH:
            flush()
    flush()
    retired = catalog.activate_collection(wanted.name)
    for base in retired:
        for name in stores.member_names(base):
            stores.client.drop(name)
        catalog.drop_collection_record(base)
    return CollectionRecord(wanted.name, wanted.model, wanted.dimension, "active")


def repair_vectors(stores: Stores) -> int:
    """Delete vectors an interrupted write left without a catalog commit; return how many."""
    catalog = stores.catalog
    removed = 0
    bases = [c.name for c in catalog.collections()]
    while True:
        pending = catalog.pending_vectors()
        if not pending:
            return removed
        by_collection: dict[str, list[str]] = {}
        for chunk_id, name in pending:
            by_collection.setdefault(name, []).append(chunk_id)
        for name, ids in by_collection.items():
            orphans = catalog.unknown_ids(ids)
            ours = any(name.startswith(f"{base}-t") for base in bases)
            if orphans and ours and name in stores.client.names():
                stores.client.collection(name).delete(orphans)
                removed += len(orphans)
            catalog.clear_pending(ids, name)


def sync_lexical(stores: Stores, *, rebuild: bool = False, on_wait: Notice | None = None) -> int:
    """Bring this host's lexical index up to the catalog; return the generation it reached."""
    from knowledge.lexical import FORMAT, LexicalWriter

    root = stores.lexical_root
    root.mkdir(parents=True, exist_ok=True)
    catalog = stores.catalog
    with host_lock(root / "writer.lock", on_wait, "the lexical index to be updated"):
        writer = LexicalWriter(root)
        state = writer.state()
        kb_id = catalog.kb_id()
        generation = catalog.generation()
        fresh = (
            rebuild
            or not state
            or state.get("kb_id") != kb_id
            or state.get("format") != FORMAT
            or int(state["generation"]) > generation
        )
        stores.checkpoint("before-lexical")
        if fresh:
            writer.rebuild(catalog.iter_index_rows(), generation, kb_id)
        elif int(state["generation"]) < generation:
            written, removed = catalog.changes(int(state["generation"]), generation)
            rows = catalog.iter_index_rows(written) if written else iter(())
            writer.apply(sorted({*written, *removed}), rows, generation, kb_id)
        stores.write_lexical_state(generation, kb_id)
        stores.checkpoint("after-lexical")
        return generation
