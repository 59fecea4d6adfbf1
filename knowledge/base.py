"""The knowledge base: one object that owns the catalog, the vector store and the BM25 index."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from knowledge.catalog import Catalog
from knowledge.embeddings import Embedder
from knowledge.ingest import (
    BUNDLED_PREFIX,
    Progress,
    Target,
    bundled_corpus_dir,
    discover,
    ingest_targets,
    under_roots,
)
from knowledge.lexical import Bm25Index
from knowledge.retrieval import HybridRetriever, Mode
from knowledge.types import Evidence, IngestReport, SourceInfo, Tags
from knowledge.vectors import ChromaVectors

DEFAULT_MAX_FILE_BYTES = 50 * 1_048_576


class KnowledgeBase:
    """Documents in, evidence out. Library code: takes every setting as an argument."""

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder | None = None,
        *,
        chroma_url: str | None = None,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        chunk_tokens: int = 160,
        chunk_overlap: int = 32,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder or Embedder()
        self.chroma_url = chroma_url
        self.max_file_bytes = max_file_bytes
        self.chunk_tokens = chunk_tokens
        self.chunk_overlap = chunk_overlap
        self.catalog = Catalog(self.data_dir / "catalog.sqlite3")
        self._vectors: ChromaVectors | None = None
        self._lexical: Bm25Index | None = None
        self._faults: set[str] = set()
        self.retriever = HybridRetriever(self)

    @property
    def signature(self) -> str:
        """What the index was built with; a change re-indexes every file on the next ingest."""
        return f"{self.embedder.name}|{self.chunk_tokens}|{self.chunk_overlap}|v4"

    @property
    def vectors(self) -> ChromaVectors:
        if self._vectors is None:
            self._vectors = ChromaVectors(
                None if self.chroma_url else self.data_dir / "chroma", self.chroma_url
            )
        return self._vectors

    @property
    def lexical(self) -> Bm25Index:
        """The BM25 index, rebuilt from the catalog whenever it lags behind it."""
        generation = self.catalog.generation()
        if self._lexical is None or self._lexical.generation != generation:
            loaded = Bm25Index.load(self.data_dir / "bm25")
            if loaded is None or loaded.generation != generation:
                loaded = self._rebuild_lexical(generation)
            self._lexical = loaded
        return self._lexical

    def _rebuild_lexical(self, generation: int) -> Bm25Index:
        ids, texts, sources, tags = [], [], [], []
        for cid, text, source, row_tags in self.catalog.iter_index_rows():
            ids.append(cid)
            texts.append(text)
            sources.append(source)
            tags.append(row_tags)
        index = Bm25Index.build(ids, texts, sources, tags, generation)
        index.save(self.data_dir / "bm25")
        return index

    # -- test hook: raise at a named point to prove an interrupted ingest loses nothing --
    def fault_point(self, name: str) -> None:
        if name in self._faults:
            raise RuntimeError(f"injected fault at {name}")

    def inject_fault(self, name: str) -> None:
        self._faults.add(name)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time across processes; tidy vectors an interrupted run left behind."""
        lock_path = self.data_dir / "ingest.lock"
        with lock_path.open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self.repair()
                yield
            finally:
                self.lexical  # noqa: B018 - refresh the BM25 index to the committed catalog
                fcntl.flock(handle, fcntl.LOCK_UN)

    def repair(self) -> int:
        """Delete vectors whose chunks never reached the catalog; return how many."""
        orphans = self.vectors.all_ids() - self.catalog.all_chunk_ids()
        if orphans:
            self.vectors.delete(orphans)
        return len(orphans)

    def ingest(
        self, paths: Iterable[Path], *, tags: Tags | None = None, progress: Progress | None = None
    ) -> IngestReport:
        targets, roots, missing = discover(paths)
        with self._writing():
            report = IngestReport(failed=list(missing))
            return ingest_targets(
                self,
                targets,
                tags=tags,
                progress=progress,
                removable=under_roots(roots),
                report=report,
            )

    def ingest_bundled(self, *, progress: Progress | None = None) -> IngestReport:
        corpus = bundled_corpus_dir()
        targets = [
            Target(p, f"{BUNDLED_PREFIX}{p.name}", explicit=True)
            for p in sorted(corpus.glob("*.md"))
        ]
        with self._writing():
            return ingest_targets(
                self,
                targets,
                progress=progress,
                removable=lambda source: source.startswith(BUNDLED_PREFIX),
            )

    def bundled_files(self) -> list[Path]:
        return sorted(bundled_corpus_dir().glob("*.md"))

    def forget(self, source: str) -> int:
        """Remove one source; return how many chunks went. Accepts the path as typed or resolved."""
        candidates = [source]
        if not source.startswith(BUNDLED_PREFIX):
            candidates.append(str(Path(source).expanduser().resolve()))
        with self._writing():
            for name in candidates:
                if self.catalog.get_source(name) is not None:
                    old = self.catalog.remove_source(name)
                    self.vectors.delete(old)
                    return len(old)
        raise KeyError(source)

    def sources(self) -> list[SourceInfo]:
        return self.catalog.source_infos()

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        tags: Tags | None = None,
        sources: Sequence[str] | None = None,
        mode: Mode = "hybrid",
    ) -> list[Evidence]:
        return self.retriever.search(query, k, tags=tags, sources=sources, mode=mode)

    def stats(self) -> dict[str, int]:
        return {"sources": len(self.catalog.sources()), "chunks": self.catalog.count_chunks()}

    def close(self) -> None:
        self.catalog.close()
