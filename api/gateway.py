"""Every call the API makes into the knowledge base and the answerer, in one place.

Each function takes the caller's Principal and works inside its tenant: the tenant's own documents
and the shared pack, never another tenant's. `answerer_for` keeps one Answerer per tenant.

Readers run in parallel: the knowledge base is safe for concurrent searches (a pooled SQLAlchemy
engine, a locked Tantivy reader that reloads, thread-safe ONNX sessions). At most
`READERS` searches or answers run at once (the work is CPU-bound: more would only share the
cores, and hold more database connections than the pool keeps); writes take the store's own
write lock (across processes and hosts) and, inside this process, one at a time.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.auth import Principal
from assistant.deps import make_answerer, open_knowledge_base
from assistant.settings import Settings
from knowledge.ingest import BUNDLED_PREFIX

if TYPE_CHECKING:
    from assistant.answering import Answer, Answerer, History
    from knowledge import Evidence, IngestReport, KnowledgeBase, SourceInfo


READERS = max(4, 2 * (os.cpu_count() or 2))


class Gateway:
    """The process's knowledge base and answerers, used by the routes through `Services`."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None) -> None:
        self.settings = settings
        self.kb = kb or open_knowledge_base(settings)
        self._answerers: dict[str, Answerer] = {}
        self._answerers_lock = threading.Lock()
        self._write_lock = threading.Lock()  # one write per process; the store locks across them
        self._readers = threading.BoundedSemaphore(READERS)

    def answerer_for(self, principal: Principal) -> Answerer:
        key = principal.tenant
        with self._answerers_lock:
            if key not in self._answerers:
                tenant_settings = self.settings.model_copy(update={"tenant": key})
                self._answerers[key] = make_answerer(tenant_settings, self.kb, web=True)
            return self._answerers[key]

    def answer(
        self,
        principal: Principal,
        question: str,
        history: History = (),
        tags: dict[str, list[str]] | None = None,
    ) -> Answer:
        answerer = self.answerer_for(principal)
        with self._readers:
            return answerer.answer(question, history, tags)

    def stream(
        self,
        principal: Principal,
        question: str,
        history: History = (),
        tags: dict[str, list[str]] | None = None,
    ) -> Iterator[str | Answer]:
        """Pieces of the answer text, then the Answer; the knowledge base is used before the first."""
        answerer = self.answerer_for(principal)
        pieces = answerer.stream(question, history, tags)
        with self._readers:  # the answer is checked (and the store read) before its first piece
            first = next(pieces)
        yield first
        yield from pieces

    def search(
        self,
        principal: Principal,
        query: str,
        k: int,
        tags: dict[str, list[str]] | None = None,
    ) -> list[Evidence]:
        with self._readers:
            return self.kb.search(query, k, tenant=principal.tenant, tags=tags or None)

    # -- what clients see ------------------------------------------------------------------------
    @staticmethod
    def public_source(source: str) -> str:
        """A source as a client sees it: the bundled pack's name, or a document's file name, never
        a path on the server (an upload's folder names the tenant and the document id)."""
        if source.startswith(BUNDLED_PREFIX):
            return source
        return source.replace("\\", "/").rsplit("/", 1)[-1]

    @staticmethod
    def public(body: dict[str, Any]) -> dict[str, Any]:
        """An answer's or a passage's dict with its sources as clients see them."""
        for item in (*body.get("citations", ()), *body.get("results", ())):
            item["source"] = Gateway.public_source(item["source"])
        return body

    # -- documents ------------------------------------------------------------------------------
    def upload_folder(self, principal: Principal, document_id: str) -> Path:
        """Where an upload is kept while (and after) it is ingested: one folder per document."""
        self.kb.check_writable("upload a document")
        return self.settings.data_dir / "uploads" / principal.tenant / document_id

    def ingest_upload(self, principal: Principal, path: Path) -> IngestReport:
        """Ingest one uploaded file into the caller's tenant (never `shared`)."""
        with self._write_lock:
            return self.kb.ingest([path], tenant=principal.tenant, tags={})

    def documents(self, principal: Principal) -> list[SourceInfo]:
        """The caller's own documents and the shared pack (each marked with its tenant)."""
        return self.kb.sources(principal.tenant)

    def forget(self, principal: Principal, source: str) -> int:
        """Remove one of the caller's own documents; return how many passages went."""
        with self._write_lock:
            removed = self.kb.forget(source, tenant=principal.tenant)
        uploads = (self.settings.data_dir / "uploads" / principal.tenant).resolve()
        folder = Path(source).parent
        if folder.parent == uploads:
            shutil.rmtree(folder, ignore_errors=True)
        return removed

    def readiness(self) -> dict[str, Any]:
        """Open the knowledge base and count what it holds (raises a KnowledgeError if it cannot)."""
        stats = self.kb.stats()
        return {"sources": stats["sources"], "passages": stats["chunks"]}

    def warm_up(self) -> None:
        """Load the embedding model and the lexical index before the first question."""
        self.kb.embedder.load()
        if self.kb.stats()["chunks"]:
            self.kb.search("warm up", 1)

    def close(self) -> None:
        self.kb.close()
