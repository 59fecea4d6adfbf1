"""Every call the API makes into the knowledge base and the answerer, in one place.

Each function takes the caller's Principal and works inside its tenant: the tenant's own documents
and the shared pack, never another tenant's. `answerer_for` keeps one Answerer per tenant.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from api.auth import Principal
from assistant.deps import make_answerer, open_knowledge_base
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answering import Answer, Answerer, History
    from knowledge import Evidence, KnowledgeBase


class Gateway:
    """The process's knowledge base and answerers, used by the routes through `Services`."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None) -> None:
        self.settings = settings
        self.kb = kb or open_knowledge_base(settings)
        self._answerers: dict[str, Answerer] = {}
        # The knowledge base on this branch shares one SQLite connection and rebuilds its BM25
        # index lazily, so one request at a time uses it; the rest of a request runs in parallel.
        self._kb_lock = threading.Lock()

    def answerer_for(self, principal: Principal) -> Answerer:
        key = principal.tenant
        if key not in self._answerers:
            tenant_settings = self.settings.model_copy(update={"tenant": key})
            self._answerers[key] = make_answerer(tenant_settings, self.kb)
        return self._answerers[key]

    def answer(
        self,
        principal: Principal,
        question: str,
        history: History = (),
        tags: dict[str, list[str]] | None = None,
    ) -> Answer:
        answerer = self.answerer_for(principal)
        with self._kb_lock:
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
        with self._kb_lock:
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
        with self._kb_lock:
            return self.kb.search(query, k, tenant=principal.tenant, tags=tags or None)

    def readiness(self) -> dict[str, Any]:
        """Open the knowledge base and count what it holds (raises a KnowledgeError if it cannot)."""
        with self._kb_lock:
            stats = self.kb.stats()
        return {"sources": stats["sources"], "passages": stats["chunks"]}

    def warm_up(self) -> None:
        """Load the embedding model and the lexical index before the first question."""
        with self._kb_lock:
            self.kb.embedder.load()
            if self.kb.stats()["chunks"]:
                self.kb.search("warm up", 1)

    def close(self) -> None:
        self.kb.close()
