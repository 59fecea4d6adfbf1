"""Hybrid retrieval: dense (Chroma) and BM25 results fused by reciprocal rank, de-duplicated.

Every search is scoped to one tenant plus `shared`, on both sides, and every result is read back
through the catalog: a passage no committed document owns (an interrupted write, a lexical index
behind the catalog) is never shown, and neither is another tenant's.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np

from knowledge.errors import StoreUnavailable
from knowledge.months import with_month_abbreviations
from knowledge.stores import Stores
from knowledge.tenants import DEFAULT_TENANT, SHARED, visible_tenants
from knowledge.types import Evidence, Tags

if TYPE_CHECKING:
    from knowledge.vectors import VectorCollection

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[str, ...] = ("hybrid", "dense", "bm25")
RRF_K = 60
_WORD = re.compile(r"[a-z0-9]+")


def reciprocal_rank_fusion(
    *rankings: Sequence[tuple[str, float]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> list[tuple[str, float]]:
    """Fuse ranked lists: each id scores the sum of weight / (k + rank) over the lists."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: pair[1], reverse=True)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def near_duplicate(a: set[str], b: set[str], threshold: float = 0.8) -> bool:
    """Near-duplicates: word sets that mostly overlap, or one that holds the other."""
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / len(a | b) >= threshold or shared / min(len(a), len(b)) >= 0.95


class HybridRetriever:
    def __init__(self, stores: Stores, *, dense_weight: float = 1.0, bm25_weight: float = 1.0):
        self.stores = stores
        self.weights = (dense_weight, bm25_weight)

    def _dense(
        self, query: str, pool: int, tenants: Sequence[str], tags, sources
    ) -> tuple[list[tuple[str, float]], np.ndarray | None, list]:
        """Nearest passages in each visible tenant's collection, merged by similarity.

        A collection dropped by a model switch between reading the catalog and querying it is
        looked up once more: the switch has made another one active.
        """
        from knowledge.vectors import build_where

        where = build_where(None, tags, sources)
        for attempt in range(2):
            record = self.stores.active()
            if record is None:
                return [], None, []
            present = self.stores.tenants()
            try:
                # Collections first: opening the vector store (importing chromadb on the first
                # search) overlaps the model's loading in the background (Embedder.preload).
                collections = [self.stores.collection(record, t) for t in tenants if t in present]
                qvec = self.stores.embedder_for(record.model).embed_query(query)
                found = [hit for c in collections for hit in c.query(qvec, pool, where)]
            except StoreUnavailable:
                if attempt == 1 or self.stores.active() == record:
                    raise
                continue
            found.sort(key=lambda hit: hit[1], reverse=True)
            return found[:pool], qvec, collections
        return [], None, []  # pragma: no cover - the loop returns or raises

    def _restore_missed(
        self,
        dense: list[tuple[str, float]],
        lexical: list[tuple[str, float]],
        qvec: np.ndarray,
        collections: list,
    ) -> list[tuple[str, float]]:
        """Dense hits plus the lexical hits approximate search should have found (exact check)."""
        present = {chunk_id for chunk_id, _ in dense}
        others = [chunk_id for chunk_id, _ in lexical if chunk_id not in present]
        if not others:
            return dense
        exact: dict[str, float] = {}
        for collection in collections:
            for chunk_id, vector in _vectors_for(collection, others).items():
                exact[chunk_id] = float(np.dot(vector, qvec))
        return restore_missed(dense, exact)

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        tenant: str = DEFAULT_TENANT,
        tags: Tags | None = None,
        sources: Sequence[str] | None = None,
        mode: Mode = "hybrid",
        candidates: int | None = None,
        dedupe: bool = True,
        own: bool = False,
    ) -> list[Evidence]:
        """(`own`: only the tenant's own documents, not the shared pack.)"""
        query = query.strip()
        if not query or k <= 0:
            return []
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
        tenants = visible_tenants(tenant)
        if own:
            tenants = tuple(t for t in tenants if t != SHARED)
            if not tenants:
                return []
        pool = max(candidates or 0, k * 4, 40)
        dense: list[tuple[str, float]] = []
        qvec = None
        collections: list = []
        if mode != "bm25":
            dense, qvec, collections = self._dense(query, pool, tenants, tags, sources)
        lexical: list[tuple[str, float]] = []
        if mode != "dense":
            # "the CAMHS waiting list in June" meets a table headed "Jun 2024"
            asked = with_month_abbreviations(query)
            lexical = self.stores.lexical.search(asked, pool, tenants, tags, sources)

        if mode == "hybrid" and dense and qvec is not None and lexical:
            dense = self._restore_missed(dense, lexical, qvec, collections)
        if mode == "dense":
            ranked = dense
        elif mode == "bm25":
            ranked = lexical
        else:
            ranked = reciprocal_rank_fusion(dense, lexical, weights=self.weights)

        rows = self.stores.catalog.chunks_by_id([i for i, _ in ranked])
        similarity = dict(dense)
        chosen: list[tuple[str, float]] = []
        kept_words: list[set[str]] = []
        for chunk_id, score in ranked:
            row = rows.get(chunk_id)
            if row is None or row.tenant not in tenants:
                continue  # not committed (an interrupted write), or not this tenant's
            words = _words(row.text)
            if dedupe and any(near_duplicate(words, seen) for seen in kept_words):
                continue
            chosen.append((chunk_id, score))
            kept_words.append(words)
            if len(chosen) == k:
                break

        missing = [i for i, _ in chosen if i not in similarity]
        if qvec is not None and missing:
            for collection in collections:
                for chunk_id, vector in _vectors_for(collection, missing).items():
                    similarity[chunk_id] = float(np.dot(vector, qvec))

        evidence: list[Evidence] = []
        for chunk_id, score in chosen:
            row = rows[chunk_id]
            urls = row.metadata.get("urls") or []
            evidence.append(
                Evidence(
                    id=row.id,
                    text=row.text,
                    score=float(score),
                    title=row.title,
                    source=row.source,
                    page=row.page,
                    heading=" > ".join(row.heading),
                    tags=row.tags,
                    doc_id=row.doc_id,
                    position=row.position,
                    similarity=similarity.get(chunk_id),
                    url=passage_url(row.text, urls),
                    flagged=row.flagged,
                    flagged_spans=row.flagged_spans,
                )
            )
        return evidence


_URL = re.compile(r"https?://[^\s)\]>,;]+")


def passage_url(text: str, urls: Sequence[str]) -> str | None:
    """The source a passage names itself (a document with several sources often says which
    one each paragraph comes from), else the document's first source."""
    for found in _URL.findall(text):
        found = found.rstrip(".")
        if found in urls:
            return found
    return urls[0] if urls else None


def restore_missed(
    dense: Sequence[tuple[str, float]], exact: dict[str, float]
) -> list[tuple[str, float]]:
    """The dense ranking with the passages approximate search missed put back in their place.

    `exact` holds the true similarity of other candidates (the lexical hits). One that is at
    least as similar as the last dense hit belongs in the dense pool: HNSW search can miss it
    (a graph crowded with identical vectors, such as many copies of one document, has been
    seen to hide a passage's only copy). Less similar ones are not added: the ranking is then
    exactly what a perfect nearest-neighbour search would have returned.
    """
    if not dense:
        return list(dense)
    floor = min(score for _, score in dense)
    present = {chunk_id for chunk_id, _ in dense}
    missed = [(i, s) for i, s in exact.items() if i not in present and s >= floor]
    if not missed:
        return list(dense)
    return sorted([*dense, *missed], key=lambda pair: pair[1], reverse=True)


def _vectors_for(collection: VectorCollection, ids: list[str]) -> dict[str, np.ndarray]:
    """Stored vectors of lexical hits, for their similarity (which may stay unknown).

    While another process writes an embedded Chroma store, this process's view can hold an id
    whose vector it cannot read yet ("Error finding id"): the ids are then read one by one and
    a passage that cannot be read simply has no similarity, rather than failing the search.
    """
    try:
        return dict(collection.vectors_for(ids))
    except StoreUnavailable:
        found: dict[str, np.ndarray] = {}
        for one in ids:
            with contextlib.suppress(StoreUnavailable):
                found.update(collection.vectors_for([one]))
        return found
