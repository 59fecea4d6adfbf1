"""Lexical (BM25) index adapter over Tantivy; the only module that imports tantivy.

The index is derived from the catalog and kept per host, in the data directory: a writer brings
it up to the catalog's generation by deleting and re-adding only the documents that changed, and
records that generation in the same commit. Readers never write: they search the last commit
(Tantivy publishes a commit atomically) and can tell how far behind the catalog it is. A full
rebuild (first use, another catalog, a damaged index) goes into a new folder, switched to by
rewriting one pointer file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from knowledge import scratch
from knowledge.errors import StoreUnavailable
from knowledge.types import Tags

_CURRENT = "CURRENT"
_STATE = "state"
ANALYZER = "impact_en"
FORMAT = "1"  # bump when the schema or analyzer changes: the index is then rebuilt


def _tantivy() -> Any:
    try:
        import tantivy
    except ImportError as exc:  # pragma: no cover - a hard dependency
        raise StoreUnavailable("the tantivy package is not installed; run `make install`") from exc
    return tantivy


def _schema() -> Any:
    tv = _tantivy()
    builder = tv.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("doc_id", tokenizer_name="raw")
    builder.add_text_field("tenant", tokenizer_name="raw")
    builder.add_text_field("source", tokenizer_name="raw")
    builder.add_text_field("tag", tokenizer_name="raw")
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_text_field("body", tokenizer_name=ANALYZER, index_option="freq")
    builder.add_unsigned_field("generation", stored=True)
    builder.add_text_field("meta", stored=True, tokenizer_name="raw")
    return builder.build()


def _analyzer() -> Any:
    """Words split on anything not a letter or digit, lower-cased, English stop words dropped,
    Snowball English stems: the same at indexing and at query time."""
    tv = _tantivy()
    return (
        tv.TextAnalyzerBuilder(tv.Tokenizer.simple())
        .filter(tv.Filter.remove_long(40))
        .filter(tv.Filter.lowercase())
        .filter(tv.Filter.stopword("english"))
        .filter(tv.Filter.stemmer("english"))
        .build()
    )


def _open(path: Path) -> Any:
    index = _tantivy().Index.open(str(path))
    index.register_tokenizer(ANALYZER, _analyzer())
    return index


def current_dir(root: Path) -> Path | None:
    try:
        name = (root / _CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return root / name if name else None


def writable(path: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=path):
            return True
    except OSError:
        return False


class LexicalIndex:
    """A reader of the host's lexical index: searches the last committed version."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._dir: Path | None = None
        self._index: Any = None
        self._copy: Path | None = None
        self._analyzer: Any = None

    def _current(self) -> Any:
        """The open index for the current pointer (reopened when a rebuild switched it)."""
        target = current_dir(self.root)
        with self._lock:
            if target is None:
                self._index, self._dir = None, None
                return None
            if self._index is None or target != self._dir:
                self._index = self._open_for_reading(target)
                self._dir = target
            else:
                self._index.reload()
            return self._index

    def _open_for_reading(self, target: Path) -> Any:
        try:
            if writable(target):
                return _open(target)
            # Tantivy takes a lock file even to read: read a private copy of a read-only index.
            copy = scratch.private_copy("impact-lexical-")
            shutil.copytree(target, copy, dirs_exist_ok=True)
            if self._copy is not None:  # the copy of the index a rebuild replaced
                scratch.remove(self._copy)
            self._copy = copy
            return _open(copy)
        except (OSError, ValueError) as exc:
            raise StoreUnavailable(
                f"could not open the lexical index {target} ({exc}); run `impact reindex`"
            ) from exc

    def state(self) -> dict[str, str | int]:
        """What the last commit records: its catalog generation, knowledge base and format."""
        try:
            index = self._current()
        except StoreUnavailable:
            return {}
        return _state(index) if index is not None else {}

    @property
    def generation(self) -> int:
        return int(self.state().get("generation", -1))

    def __len__(self) -> int:
        index = self._current()
        if index is None:
            return 0
        return max(0, int(index.searcher().num_docs) - 1)  # less the state document

    def ids(self) -> set[str]:
        """Every passage id in the index (for checks and tests: reads them all)."""
        index = self._current()
        if index is None:
            return set()
        tv = _tantivy()
        searcher = index.searcher()
        hits = searcher.search(
            tv.Query.term_query(index.schema, "kind", "chunk"), limit=max(1, searcher.num_docs)
        ).hits
        return {searcher.doc(address)["id"][0] for _, address in hits}

    def tokens(self, text: str) -> list[str]:
        if self._analyzer is None:
            self._analyzer = _analyzer()
        return list(dict.fromkeys(self._analyzer.analyze(text)))

    def doc_freq(
        self, text: str, tenants: Sequence[str] | None = None
    ) -> tuple[dict[str, int], int]:
        """How many passages hold each analysed term of the text, and how many passages there are.

        tenants: count only these tenants' passages, so one organisation's papers never shift the
        term weights another's questions get (None: every passage on the host).
        """
        tokens = self.tokens(text)
        index = self._current() if tokens else None
        if index is None:
            return {t: 0 for t in tokens}, 0
        searcher = index.searcher()
        try:
            if tenants is None:
                return {t: int(searcher.doc_freq("body", t)) for t in tokens}, len(self)
            tv = _tantivy()
            schema = index.schema
            scope = (tv.Occur.Must, tv.Query.term_set_query(schema, "tenant", list(tenants)))

            def count(*clauses: Any) -> int:
                query = tv.Query.boolean_query([scope, *clauses])
                return int(searcher.search(query, limit=1, count=True).count)

            found = {
                t: count((tv.Occur.Must, tv.Query.term_query(schema, "body", t))) for t in tokens
            }
            return found, count()
        except ValueError as exc:
            raise StoreUnavailable(f"lexical lookup failed ({exc}); run `impact reindex`") from exc

    def search(
        self,
        query: str,
        n: int,
        tenants: Sequence[str] | None = None,
        tags: Tags | None = None,
        sources: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Top passages as (id, BM25 score), best first."""
        tokens = self.tokens(query)
        if not tokens or n <= 0:
            return []
        index = self._current()
        if index is None:
            return []
        tv = _tantivy()
        schema = index.schema
        should = tv.Occur.Should
        must = tv.Occur.Must
        text = tv.Query.boolean_query(
            [(should, tv.Query.term_query(schema, "body", t, index_option="freq")) for t in tokens]
        )
        clauses = [(must, text)]
        if tenants:
            clauses.append((must, tv.Query.term_set_query(schema, "tenant", list(tenants))))
        for key, values in (tags or {}).items():
            wanted = [f"{key}={v}" for v in values]
            clauses.append((must, tv.Query.term_set_query(schema, "tag", wanted)))
        if sources:
            clauses.append((must, tv.Query.term_set_query(schema, "source", list(sources))))
        try:
            searcher = index.searcher()
            hits = searcher.search(tv.Query.boolean_query(clauses), limit=n, count=False).hits
            return [(searcher.doc(address)["id"][0], float(score)) for score, address in hits]
        except ValueError as exc:
            raise StoreUnavailable(f"lexical search failed ({exc}); run `impact reindex`") from exc


def _state(index: Any) -> dict[str, str | int]:
    tv = _tantivy()
    searcher = index.searcher()
    hits = searcher.search(tv.Query.term_query(index.schema, "kind", _STATE), limit=1).hits
    if not hits:
        return {}
    doc = searcher.doc(hits[0][1])
    kb_id, _, fmt = (doc["meta"][0] if doc["meta"] else "").partition("|")
    return {"generation": int(doc["generation"][0]), "kb_id": kb_id, "format": fmt}


class LexicalWriter:
    """The one writer of a host's lexical index (the caller holds the host's lexical lock)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def state(self) -> dict[str, str | int]:
        target = current_dir(self.root)
        if target is None or not (target / "meta.json").exists():
            return {}
        try:
            return _state(_open(target))
        except (OSError, ValueError):
            return {}

    def apply(
        self,
        removed_doc_ids: Iterable[str],
        rows: Iterable[Any],
        generation: int,
        kb_id: str,
    ) -> None:
        """Drop these documents, add these rows, record the generation: one commit."""
        target = current_dir(self.root)
        if target is None:
            raise StoreUnavailable("the lexical index has no current version; rebuild it")
        try:
            index = _open(target)
            writer = index.writer(heap_size=64_000_000, num_threads=1)
            for doc_id in removed_doc_ids:
                writer.delete_documents_by_term("doc_id", doc_id)
            for row in rows:
                writer.add_document(_document(row))
            writer.delete_documents_by_term("kind", _STATE)
            writer.add_document(_state_document(generation, kb_id))
            writer.commit()
            writer.wait_merging_threads()
        except (OSError, ValueError) as exc:
            raise StoreUnavailable(f"could not update the lexical index {target}: {exc}") from exc

    def rebuild(self, rows: Iterable[Any], generation: int, kb_id: str) -> int:
        """Build a whole new version beside the old one, then switch to it; return the rows."""
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / f"index-{uuid.uuid4().hex[:12]}"
        count = 0
        try:
            target.mkdir()
            tv = _tantivy()
            index = tv.Index(_schema(), path=str(target))
            index.register_tokenizer(ANALYZER, _analyzer())
            writer = index.writer(heap_size=256_000_000, num_threads=0)
            for row in rows:
                writer.add_document(_document(row))
                count += 1
            writer.add_document(_state_document(generation, kb_id))
            writer.commit()
            writer.wait_merging_threads()
            pointer = self.root / f".{_CURRENT}.{uuid.uuid4().hex[:8]}"
            pointer.write_text(target.name, encoding="utf-8")
            os.replace(pointer, self.root / _CURRENT)
        except (OSError, ValueError) as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise StoreUnavailable(f"could not build the lexical index in {target}: {exc}") from exc
        for old in self.root.glob("index-*"):
            if old != target:
                shutil.rmtree(old, ignore_errors=True)  # a reader elsewhere may still hold it
        return count


def _document(row: Any) -> Any:
    tv = _tantivy()
    doc = tv.Document()
    doc.add_text("id", row.id)
    doc.add_text("doc_id", row.doc_id)
    doc.add_text("tenant", row.tenant)
    doc.add_text("source", row.source)
    doc.add_text("kind", "chunk")
    for key, values in (row.tags or {}).items():
        for value in values:
            doc.add_text("tag", f"{key}={value}")
    doc.add_text("body", row.text)
    return doc


def _state_document(generation: int, kb_id: str) -> Any:
    tv = _tantivy()
    doc = tv.Document()
    doc.add_text("kind", _STATE)
    doc.add_unsigned("generation", int(generation))
    doc.add_text("meta", f"{kb_id}|{FORMAT}")
    return doc
