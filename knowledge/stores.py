"""The parts a knowledge base is made of, opened only when first needed.

The catalog opens at once (it is light); the Chroma client, the lexical index and the embedding
model open on first use, so listing sources or showing `impact info` loads none of them.
Ingestion and retrieval are given these parts; they never see the KnowledgeBase facade.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from knowledge import scratch
from knowledge.catalog import Catalog, CollectionRecord
from knowledge.errors import StoreUnavailable

if TYPE_CHECKING:
    from knowledge.lexical import LexicalIndex
    from knowledge.vectors import ChromaVectors, CollectionGroup, VectorCollection

LEXICAL_DIR = "lexical"
LEXICAL_STATE = "STATE.json"  # written after each lexical commit: read without opening Tantivy


def _private_copy(folder: Path) -> Path:
    """A temporary copy of a store in a read-only folder (embedded Chroma writes even to read)."""
    copy = scratch.private_copy("impact-readonly-")
    if folder.exists():
        try:
            shutil.copytree(folder, copy, dirs_exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"could not read the vector store {folder} ({exc})") from exc
    return copy


class EmbedderLike(Protocol):
    """What the knowledge base needs of an embedding model."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


EmbedderFactory = Callable[[str], EmbedderLike]
Checkpoint = Callable[[str], None]


def _no_checkpoint(_name: str) -> None:
    return None


class Stores:
    """Catalog, vector store, lexical index and embedder of one knowledge base."""

    def __init__(
        self,
        data_dir: Path,
        catalog: Catalog,
        embedder: EmbedderLike,
        *,
        chroma_url: str | None = None,
        read_only: bool = False,
        embedder_factory: EmbedderFactory | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.catalog = catalog
        self.embedder = embedder
        self.chroma_url = chroma_url
        self.read_only = read_only
        self.embedder_factory = embedder_factory
        # Called with a name at each step of a write (tests use it to stop a write midway).
        self.checkpoint: Checkpoint = checkpoint or _no_checkpoint
        self._client: ChromaVectors | None = None
        self._lexical: LexicalIndex | None = None
        self._embedders: dict[str, EmbedderLike] = {}
        self._lock = threading.Lock()
        self._tenants: tuple[int, frozenset[str]] = (-1, frozenset())

    @property
    def lexical_root(self) -> Path:
        return self.data_dir / LEXICAL_DIR

    @property
    def client(self) -> ChromaVectors:
        with self._lock:
            if self._client is None:
                from knowledge.vectors import ChromaVectors

                if self.chroma_url:
                    self._client = ChromaVectors(url=self.chroma_url)
                elif self.read_only:
                    self._client = ChromaVectors(path=_private_copy(self.data_dir / "chroma"))
                else:
                    self._client = ChromaVectors(path=self.data_dir / "chroma")
            return self._client

    @property
    def lexical(self) -> LexicalIndex:
        with self._lock:
            if self._lexical is None:
                from knowledge.lexical import LexicalIndex

                self._lexical = LexicalIndex(self.lexical_root)
            return self._lexical

    def active(self) -> CollectionRecord | None:
        return self.catalog.active_collection()

    def collection(
        self, record: CollectionRecord, tenant: str, *, create: bool = False
    ) -> VectorCollection:
        """One tenant's collection of a model's vectors."""
        from knowledge.vectors import tenant_collection

        return self.client.collection(tenant_collection(record.name, tenant), create=create)

    def group(self, record: CollectionRecord) -> CollectionGroup:
        """Every tenant's collection of a model's vectors."""
        from knowledge.vectors import CollectionGroup

        return CollectionGroup(record.name, [self.collection(record, t) for t in self.tenants()])

    def member_names(self, base: str) -> list[str]:
        """The Chroma collections that belong to one model's collections (any tenant)."""
        return [name for name in self.client.names() if name.startswith(f"{base}-t")]

    def embedder_for(self, model: str) -> EmbedderLike:
        """The model a collection was built with (the configured one, or one made by name)."""
        if model == self.embedder.name:
            return self.embedder
        with self._lock:
            found = self._embedders.get(model)
            if found is None:
                if self.embedder_factory is None:
                    raise StoreUnavailable(
                        f"the index was built with the model {model!r}, not the configured "
                        f"{self.embedder.name!r}; run `impact reindex` to re-embed it"
                    )
                found = self.embedder_factory(model)
                self._embedders[model] = found
            return found

    def tenants(self) -> frozenset[str]:
        """Tenants that have documents (read again when the catalog has moved on)."""
        generation = self.catalog.generation()
        if self._tenants[0] != generation:
            self._tenants = (generation, frozenset(self.catalog.tenants()))
        return self._tenants[1]

    def lexical_state(self) -> dict[str, Any]:
        """The lexical index's last recorded commit, from its small state file."""
        try:
            data = json.loads((self.lexical_root / LEXICAL_STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_lexical_state(self, generation: int, kb_id: str) -> None:
        path = self.lexical_root / LEXICAL_STATE
        temp = path.with_name(f".{LEXICAL_STATE}.{os.getpid()}")
        temp.write_text(json.dumps({"generation": generation, "kb_id": kb_id}), encoding="utf-8")
        os.replace(temp, path)
