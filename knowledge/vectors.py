"""Chroma vector store adapter; the only module that imports chromadb.

Each knowledge base keeps its vectors in collections of its own, named from the knowledge base's
id, the embedding model and its dimension, and split by tenant: two knowledge bases on one Chroma
server never touch each other's vectors, a new model never writes into an old model's collection,
and a search reads the tenant's collection and the shared one without a metadata filter (a
filtered query over a large collection is many times slower than an unfiltered one).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from knowledge.errors import StoreUnavailable
from knowledge.types import Tags

_BATCH = 2000


def collection_name(kb_id: str, model: str, dimension: int) -> str:
    """impact-<kb id>-<model slug>-<model hash>-d<dimension>: a valid Chroma collection name."""
    slug = re.sub(r"[^a-z0-9]+", "-", model.replace("\\", "/").rsplit("/", 1)[-1].lower())
    slug = slug.strip("-")[:40].strip("-") or "model"
    digest = hashlib.sha1(model.encode("utf-8")).hexdigest()[:8]
    return f"impact-{kb_id[:12]}-{slug}-{digest}-d{dimension}"


def tenant_collection(base: str, tenant: str) -> str:
    """The collection of one tenant within a model's collections (any tenant name is safe)."""
    return f"{base}-t{hashlib.sha1(tenant.encode('utf-8')).hexdigest()[:10]}"


def tag_key(key: str, value: str) -> str:
    """Metadata key that marks a chunk with one tag value (Chroma has no list-valued filters)."""
    return f"tag:{key}={value}"


def build_where(
    tenants: Sequence[str] | None = None,
    tags: Tags | None = None,
    sources: Sequence[str] | None = None,
) -> dict | None:
    """Chroma `where`: one of the tenants, any value within a tag key, any listed source."""
    clauses: list[dict[str, Any]] = []
    if tenants:
        clauses.append(
            {"tenant": tenants[0]} if len(tenants) == 1 else {"tenant": {"$in": list(tenants)}}
        )
    for key, values in (tags or {}).items():
        options = [{tag_key(key, v): True} for v in values]
        if options:
            clauses.append(options[0] if len(options) == 1 else {"$or": options})
    if sources:
        clauses.append({"source": {"$in": list(sources)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaVectors:
    """A Chroma client (embedded in a folder, or a server by URL) and its collections."""

    def __init__(self, path: Path | None = None, url: str | None = None) -> None:
        for noisy in ("chromadb", "chromadb.telemetry"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
        self.where = url or str(path)
        self._handles: dict[str, Any] = {}
        self._lock = threading.Lock()
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            settings = ChromaSettings(anonymized_telemetry=False)
            if url:
                parsed = urlparse(url)
                self._client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
            else:
                assert path is not None
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=settings)
        except Exception as exc:
            raise StoreUnavailable(
                f"could not open the Chroma store at {self.where} ({exc.__class__.__name__}: "
                f"{str(exc)[:160]}); check IMPACT_CHROMA_URL or the data directory"
            ) from exc

    def _guard(self, action: str, exc: Exception) -> StoreUnavailable:
        return StoreUnavailable(
            f"Chroma {action} failed at {self.where} ({exc.__class__.__name__}: {str(exc)[:160]})"
        )

    def collection(self, name: str, *, create: bool = False) -> VectorCollection:
        with self._lock:
            handle = self._handles.get(name)
            if handle is None:
                try:
                    if create:
                        handle = self._client.get_or_create_collection(
                            name,
                            configuration={"hnsw": {"space": "cosine", "ef_search": 64}},
                            embedding_function=None,
                        )
                    else:
                        handle = self._client.get_collection(name, embedding_function=None)
                except Exception as exc:
                    raise self._guard(f"opening collection {name}", exc) from exc
                self._handles[name] = handle
        return VectorCollection(name, handle, self)

    def forget_handle(self, name: str) -> None:
        with self._lock:
            self._handles.pop(name, None)

    def names(self) -> list[str]:
        try:
            return sorted(str(getattr(c, "name", c)) for c in self._client.list_collections())
        except Exception as exc:
            raise self._guard("listing collections", exc) from exc

    def drop(self, name: str) -> None:
        self.forget_handle(name)
        try:
            if name in self.names():
                self._client.delete_collection(name)
        except StoreUnavailable:
            raise
        except Exception as exc:
            raise self._guard(f"dropping collection {name}", exc) from exc


class VectorCollection:
    """Vectors keyed by chunk id, with tenant, source and tag flags as metadata for filters."""

    def __init__(self, name: str, handle: Any, owner: ChromaVectors) -> None:
        self.name = name
        self._collection = handle
        self._owner = owner

    def _guard(self, action: str, exc: Exception) -> StoreUnavailable:
        self._owner.forget_handle(self.name)  # a dropped collection is looked up afresh
        return self._owner._guard(f"{action} in {self.name}", exc)

    def count(self) -> int:
        try:
            return int(self._collection.count())
        except Exception as exc:
            raise self._guard("count", exc) from exc

    def add(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict]) -> None:
        try:
            for start in range(0, len(ids), _BATCH):
                end = start + _BATCH
                self._collection.upsert(
                    ids=list(ids[start:end]),
                    embeddings=vectors[start:end],
                    metadatas=list(metadatas[start:end]),
                )
        except Exception as exc:
            raise self._guard("write", exc) from exc

    def delete(self, ids: Iterable[str]) -> None:
        batch = list(ids)
        try:
            for start in range(0, len(batch), _BATCH):
                self._collection.delete(ids=batch[start : start + _BATCH])
        except Exception as exc:
            raise self._guard("delete", exc) from exc

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        try:
            total = self._collection.count()
            for offset in range(0, total, 10_000):
                got = self._collection.get(include=[], limit=10_000, offset=offset)
                ids.update(got["ids"])
        except Exception as exc:
            raise self._guard("read", exc) from exc
        return ids

    def query(
        self, vector: np.ndarray, n: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity), best first."""
        try:
            result = self._collection.query(
                query_embeddings=[vector], n_results=n, where=where, include=["distances"]
            )
        except Exception as exc:
            raise self._guard("query", exc) from exc
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]

    def vectors_for(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        try:
            got = self._collection.get(ids=list(ids), include=["embeddings"])
        except Exception as exc:
            raise self._guard("read", exc) from exc
        embeddings = got.get("embeddings")
        if embeddings is None:
            return {}
        return {
            i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], embeddings, strict=False)
        }


class CollectionGroup:
    """The per-tenant collections of one model, counted together (status and checks)."""

    def __init__(self, name: str, members: Sequence[VectorCollection]) -> None:
        self.name = name
        self.members = list(members)

    def count(self) -> int:
        return sum(member.count() for member in self.members)

    def all_ids(self) -> set[str]:
        return set().union(*(member.all_ids() for member in self.members))
