"""The knowledge base facade: opens the parts, takes the write lock, hands work to ingest/retrieval.

Library code: every setting is an argument. Reading works on a read-only data directory; writing
needs the write lock, which is per knowledge base (a file lock beside a SQLite catalog, a
PostgreSQL advisory lock across hosts).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from knowledge.catalog import Catalog
from knowledge.db import default_database_url, safe_url
from knowledge.errors import ReadOnlyStore, SourceNotFound, StoreUnavailable
from knowledge.ingest import (
    BUNDLED_PREFIX,
    IngestOptions,
    Progress,
    Target,
    bundled_corpus_dir,
    discover,
    ingest_targets,
    under_roots,
)
from knowledge.legacy import LEGACY_CATALOG, import_legacy, legacy_pending
from knowledge.locks import Notice, process_label, write_lock
from knowledge.retrieval import HybridRetriever, Mode
from knowledge.stores import Checkpoint, EmbedderFactory, EmbedderLike, Stores
from knowledge.tenants import (
    DEFAULT_TENANT,
    SHARED,
    check_tenant,
    visible_tenants,
    writable_tenant,
)
from knowledge.types import Evidence, IngestReport, SourceInfo, Tags
from knowledge.upkeep import ensure_collection, repair_vectors, sync_lexical

DEFAULT_MAX_FILE_BYTES = 50 * 1_048_576


def _writable_dir(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            return True
    except OSError:
        return False


class KnowledgeBase:
    """Documents in, evidence out, for many tenants: each sees its own documents plus `shared`."""

    def __init__(
        self,
        data_dir: Path,
        embedder: EmbedderLike | None = None,
        *,
        database_url: str | None = None,
        chroma_url: str | None = None,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        chunk_tokens: int = 160,
        chunk_overlap: int = 32,
        embedder_factory: EmbedderFactory | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.read_only = not _writable_dir(self.data_dir)
        url = database_url or default_database_url(self.data_dir)
        self.database = safe_url(url)
        local_sqlite = database_url is None
        if self.read_only and local_sqlite and not (self.data_dir / "impact.sqlite3").exists():
            hint = (
                "it was made by an older version: open it once with write access to upgrade it"
                if (self.data_dir / LEGACY_CATALOG).exists()
                else "there is nothing to read"
            )
            raise StoreUnavailable(f"the data directory {self.data_dir} is read-only and {hint}")
        catalog = Catalog.open(url, read_only=self.read_only and local_sqlite)
        if embedder is None:
            from knowledge.embeddings import Embedder

            embedder = Embedder()
        self.stores = Stores(
            self.data_dir,
            catalog,
            embedder,
            chroma_url=chroma_url,
            read_only=self.read_only,
            embedder_factory=embedder_factory,
            checkpoint=checkpoint,
        )
        self.chroma_url = chroma_url
        self.options = IngestOptions(max_file_bytes, chunk_tokens, chunk_overlap)
        self.retriever = HybridRetriever(self.stores)
        if not self.read_only and legacy_pending(self.data_dir, catalog):
            with self._writing("upgrade") as record:
                import_legacy(self.data_dir, self.stores, record, keep_server=bool(chroma_url))

    # -- the parts (for tests, benchmarks and the CLI's status line) -----------------------
    @property
    def catalog(self) -> Catalog:
        return self.stores.catalog

    @property
    def embedder(self) -> Any:
        """The configured embedding model (typed loosely: callers use their backend's extras)."""
        return self.stores.embedder

    @property
    def vectors(self) -> Any:
        """The active model's vector collections, one per tenant (opens Chroma)."""
        record = self.stores.active()
        if record is None:
            raise StoreUnavailable("nothing has been indexed yet")
        return self.stores.group(record)

    @property
    def lexical(self) -> Any:
        """This host's lexical index, as readers see it (opens Tantivy)."""
        return self.stores.lexical

    # -- writing ---------------------------------------------------------------------------
    def check_writable(self, what: str) -> None:
        """Raise ReadOnlyStore, saying what cannot be done, when the data directory is read-only."""
        if self.read_only:
            raise ReadOnlyStore(
                f"the data directory {self.data_dir} is read-only here, so `{what}` cannot "
                "write to it; searching, asking and listing still work (set IMPACT_DATA_DIR "
                "to a folder you can write to, or ask its owner)"
            )

    @contextlib.contextmanager
    def _writing(
        self, what: str, on_wait: Notice | None = None, progress: Progress | None = None
    ) -> Iterator[Any]:
        """Hold the write lock; bring the vectors to the configured model and tidy a crash."""
        self.check_writable(what)
        with write_lock(self.catalog, self.data_dir, process_label(), on_wait):
            record = ensure_collection(self.stores, progress)
            repair_vectors(self.stores)
            failed = True
            try:
                yield record
                failed = False
            finally:
                if failed:
                    with contextlib.suppress(Exception):  # never hide the first error
                        sync_lexical(self.stores)
                else:
                    sync_lexical(self.stores)

    def ingest(
        self,
        paths: Iterable[Path],
        *,
        tenant: str = DEFAULT_TENANT,
        tags: Tags | None = None,
        progress: Progress | None = None,
        on_wait: Notice | None = None,
    ) -> IngestReport:
        """Index files and folders into a tenant; `tags` None keeps stored tags, {} clears them."""
        tenant = writable_tenant(tenant)
        targets, roots, missing = discover(paths)
        with self._writing("impact ingest", on_wait, progress) as record:
            return ingest_targets(
                self.stores,
                self.stores.collection(record, tenant, create=True),
                targets,
                self.options,
                tenant=tenant,
                tags=tags,
                progress=progress,
                removable=under_roots(roots),
                report=IngestReport(failed=list(missing)),
                after_batch=lambda: sync_lexical(self.stores),
            )

    def ingest_bundled(
        self, *, progress: Progress | None = None, on_wait: Notice | None = None
    ) -> IngestReport:
        """Index the bundled NHS IMPACT pack into `shared`, seen by every tenant."""
        targets = [
            Target(p, f"{BUNDLED_PREFIX}{p.name}", explicit=True) for p in self.bundled_files()
        ]
        with self._writing("impact ingest --bundled", on_wait, progress) as record:
            return ingest_targets(
                self.stores,
                self.stores.collection(record, SHARED, create=True),
                targets,
                self.options,
                tenant=SHARED,
                tags={},
                progress=progress,
                removable=lambda source: source.startswith(BUNDLED_PREFIX),
            )

    def bundled_files(self) -> list[Path]:
        return sorted(bundled_corpus_dir().glob("*.md"))

    def forget(
        self, source: str, *, tenant: str = DEFAULT_TENANT, on_wait: Notice | None = None
    ) -> int:
        """Remove one source of a tenant; return how many passages went.

        Accepts the path as typed or resolved; raises SourceNotFound for an unknown source.
        """
        tenant = writable_tenant(tenant)
        self.check_writable("impact forget")
        candidates = [source]
        if not source.startswith(BUNDLED_PREFIX):
            with contextlib.suppress(OSError, RuntimeError):
                candidates.append(str(Path(source).expanduser().resolve()))
        known = [name for name in candidates if self.catalog.get_source(tenant, name) is not None]
        if not known:
            hint = ""
            if self.catalog.get_source(SHARED, source) is not None:
                hint = (
                    "it belongs to the shared bundled pack, which `impact ingest --bundled` "
                    "keeps in step with the pack"
                )
            raise SourceNotFound(source, tenant, hint)
        with self._writing("impact forget", on_wait) as record:
            collection = self.stores.collection(record, tenant, create=True)
            old = self.catalog.remove_source(tenant, known[0], collection.name)
            collection.delete(old)
            self.catalog.clear_pending(old, collection.name)
            return len(old)

    def reindex(
        self,
        *,
        rebuild_lexical: bool = False,
        progress: Progress | None = None,
        on_wait: Notice | None = None,
    ) -> dict[str, int]:
        """Re-embed into the configured model's collection if needed; catch the lexical index up."""
        with self._writing("impact reindex", on_wait, progress):
            pass
        if rebuild_lexical:
            sync_lexical(self.stores, rebuild=True, on_wait=on_wait)
        return self.status()["counts"]  # type: ignore[no-any-return]

    # -- reading ---------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 5,
        *,
        tenant: str = DEFAULT_TENANT,
        tags: Tags | None = None,
        sources: Sequence[str] | None = None,
        mode: Mode = "hybrid",
        own: bool = False,
    ) -> list[Evidence]:
        """(`own`: only the tenant's own documents, not the shared pack.)"""
        return self.retriever.search(
            query, k, tenant=tenant, tags=tags, sources=sources, mode=mode, own=own
        )

    def sources(self, tenant: str = DEFAULT_TENANT) -> list[SourceInfo]:
        """A tenant's own sources and the shared ones."""
        return self.catalog.source_infos(visible_tenants(tenant))

    def stats(self, tenant: str | None = None) -> dict[str, int]:
        """Sources and passages a tenant sees (everything when no tenant is given)."""
        tenants = None if tenant is None else visible_tenants(tenant)
        return {
            "sources": self.catalog.count_sources(tenants),
            "chunks": self.catalog.count_chunks(tenants),
        }

    def status(self, tenant: str | None = None) -> dict[str, Any]:
        """What `impact info` shows; opens neither Chroma, nor Tantivy, nor the model."""
        generation = self.catalog.generation()
        lexical = self.stores.lexical_state()
        lexical_generation = int(lexical.get("generation", -1))
        if lexical.get("kb_id") not in (None, self.catalog.kb_id()):
            lexical_generation = -1
        active = self.stores.active()
        return {
            "tenant": None if tenant is None else check_tenant(tenant),
            "read_only": self.read_only,
            "database": self.database,
            "vectors": self.chroma_url or str(self.data_dir / "chroma"),
            "generation": generation,
            "lexical_generation": lexical_generation,
            "lexical_behind": lexical_generation < generation,
            "collection": None if active is None else active.name,
            "index_model": None if active is None else active.model,
            "index_dimension": None if active is None else active.dimension,
            "counts": self.stats(tenant),
        }

    def close(self) -> None:
        """Nothing to release: the engine is shared per URL (knowledge.db.dispose_engines)."""
