"""Incremental, idempotent ingestion: files → sections → chunks → vectors + catalog.

Works on the parts it is given (catalog, vector collection, embedder), never on the facade. A
file counts only once its catalog rows commit (one transaction per file); any failure reading
one file is that file's failure, and the run goes on.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.catalog import SourceRecord, now_iso
from knowledge.chunking import chunk_document, doc_id_for
from knowledge.errors import DocumentError
from knowledge.loaders import is_supported, load_document
from knowledge.stores import Stores
from knowledge.types import Chunk, IngestReport, ProgressEvent, Tags
from knowledge.upkeep import EMBED_BATCH, vector_metadata

if TYPE_CHECKING:
    from knowledge.vectors import VectorCollection

BUNDLED_PREFIX = "bundled:"

Progress = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class Target:
    """One file to ingest and the name it is known by in the index."""

    path: Path
    source: str
    explicit: bool


@dataclass
class IngestOptions:
    """How files are read and cut into passages."""

    max_file_bytes: int
    chunk_tokens: int = 160
    chunk_overlap: int = 32


def bundled_corpus_dir() -> Path:
    return Path(__file__).resolve().parent / "corpus"


def _path_problem(path: Path) -> str | None:
    """Why a named path cannot be ingested, in words a user can act on (None when it can)."""
    try:
        path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            return "broken symbolic link (what it points to does not exist); fix or remove it"
        return "no such file or directory; check the path"
    except RuntimeError:  # Python 3.11-3.12 report a loop this way
        return "symbolic link loop (the link points back at itself); point it at a real file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link points back at itself); point it at a real file"
        return f"cannot be opened ({exc.strerror or exc}); check the path and its permissions"
    return None


def discover(paths: Iterable[Path]) -> tuple[list[Target], list[Path], list[tuple[str, str]]]:
    """Expand paths (directories recursively) into targets; return roots walked and path errors."""
    targets: list[Target] = []
    roots: list[Path] = []
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        problem = _path_problem(path)
        if problem is not None:
            missing.append((str(raw), problem))
            continue
        path = path.resolve()
        if path.is_dir():
            roots.append(path)
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path).parts
                if any(part.startswith(".") for part in rel) or not found.is_file():
                    continue
                if str(found) not in seen:
                    seen.add(str(found))
                    targets.append(Target(found, str(found), explicit=False))
        elif str(path) not in seen:
            seen.add(str(path))
            targets.append(Target(path, str(path), explicit=True))
    return targets, roots, missing


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def merge_tags(*sources: Tags | None) -> Tags:
    merged: Tags = {}
    for tags in sources:
        for key, values in (tags or {}).items():
            bucket = merged.setdefault(key, [])
            bucket.extend(v for v in values if v not in bucket)
    return merged


def _version(content_hash: str, tags: Tags, signature: str) -> str:
    payload = json.dumps([content_hash, tags, signature], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def document_id(tenant: str, source: str) -> str:
    """A document's id: unique per tenant and source (the same path in two tenants differs)."""
    return doc_id_for(f"{tenant}\0{source}")


def _given_tags(existing: SourceRecord) -> Tags:
    """Tags given on the command line when the file was last ingested."""
    given = existing.metadata.get("given_tags")
    if isinstance(given, dict):
        return given
    own = existing.metadata.get("doc_tags") or {}
    return {
        key: kept
        for key, values in existing.tags.items()
        if (kept := [v for v in values if v not in own.get(key, [])])
    }


@dataclass
class _Prepared:
    """A file loaded and chunked, waiting for its vectors and its catalog commit."""

    target: Target
    record: SourceRecord
    chunks: list[Chunk]
    is_new: bool


@dataclass
class _Counter:
    done: int = 0
    total: int = 0
    files: list[str] = field(default_factory=list)


def ingest_targets(
    stores: Stores,
    collection: VectorCollection,
    targets: list[Target],
    options: IngestOptions,
    *,
    tenant: str,
    tags: Tags | None = None,
    progress: Progress | None = None,
    removable: Callable[[str], bool] | None = None,
    report: IngestReport | None = None,
    after_batch: Callable[[], object] | None = None,
) -> IngestReport:
    """Ingest targets into one tenant. `tags` None keeps each file's stored tags; {} clears them."""
    report = report or IngestReport()
    # The last part names the chunker: a change to what a passage holds (v5: tables cut between
    # rows; long instructions flagged by their opening words; v6: HTML data tables read as
    # tables, plain text cut at its heading lines; v7: a sentence may open with Markdown
    # emphasis, a Markdown rule is not text, a plain-text title in capitals under a name in
    # capitals, a paragraph break kept after a line with no full stop; v8: a label line such as
    # "Author: ..." is a line of its own; v9: a plain-text heading line with its text on the
    # very next line starts a section; v10: a Word table read as a table, row by row with its
    # column names; v11: a PDF table read back from where its text sits, likewise; v12: a PDF
    # table's wrapped headings, and the body's type size found outside tables) makes the next
    # ingest redo files.
    signature = f"{stores.embedder.name}|{options.chunk_tokens}|{options.chunk_overlap}|v12"
    counter = _Counter()

    def tell(source: str, outcome: str | None) -> None:
        if progress:
            progress(ProgressEvent(source, outcome, counter.done, counter.total))

    pending: list[_Prepared] = []
    for target in targets:
        outcome = _prepare(stores, options, target, tenant, tags, signature, report)
        if isinstance(outcome, _Prepared):
            pending.append(outcome)
            counter.total += len(outcome.chunks)
            if sum(len(p.chunks) for p in pending) >= EMBED_BATCH:
                _write(stores, collection, pending, report, counter, tell)
                pending = []
                if after_batch:
                    after_batch()
        else:
            tell(target.source, outcome)
    _write(stores, collection, pending, report, counter, tell)

    if removable is not None:
        present = {t.source for t in targets}
        for record in stores.catalog.sources([tenant]):
            if removable(record.source) and record.source not in present:
                if not record.source.startswith(BUNDLED_PREFIX) and Path(record.source).exists():
                    continue
                old = stores.catalog.remove_source(tenant, record.source, collection.name)
                collection.delete(old)
                stores.catalog.clear_pending(old, collection.name)
                report.removed.append(record.source)
    return report


def _failure(exc: Exception) -> str:
    """One line for a file that could not be read, whatever went wrong with it."""
    if isinstance(exc, DocumentError):
        return exc.reason
    if isinstance(exc, FileNotFoundError):
        return "the file disappeared during the run (a temporary or synced file?); try again"
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, OSError):
        return f"could not be read ({exc.strerror or exc}); check the file"
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return (
        f"could not be read ({exc.__class__.__name__}{': ' + detail if detail else ''}); "
        "check that it opens, or re-save it"
    )


def _prepare(
    stores: Stores,
    options: IngestOptions,
    target: Target,
    tenant: str,
    tags: Tags | None,
    signature: str,
    report: IngestReport,
) -> _Prepared | str:
    """Hash, load and chunk one file; return it ready to write, or the outcome string."""
    try:
        if not is_supported(target.path) and not target.explicit:
            report.skipped.append(target.source)
            return "skipped"
        content_hash = file_hash(target.path)
        existing = stores.catalog.get_source(tenant, target.source)
        given = tags if tags is not None else (_given_tags(existing) if existing else {})
        if existing is not None and existing.content_hash == content_hash:
            wanted = merge_tags(existing.metadata.get("doc_tags", {}), given)
            if _version(content_hash, wanted, signature) == existing.version:
                report.unchanged.append(target.source)
                return "unchanged"
        doc = load_document(target.path, max_bytes=options.max_file_bytes, source=target.source)
        doc_tags = dict(doc.tags)
        doc.tags = merge_tags(doc.tags, given)
        version = _version(content_hash, doc.tags, signature)
        chunks = chunk_document(
            doc,
            version=version,
            count=stores.embedder.count_tokens,
            max_tokens=options.chunk_tokens,
            overlap_tokens=options.chunk_overlap,
        )
        if not chunks:
            raise DocumentError(target.path, "no indexable text after chunking; nothing to index")
    except Exception as exc:  # one file's failure never ends the run
        report.failed.append((target.source, _failure(exc)))
        return "failed"
    doc_id = existing.doc_id if existing is not None else document_id(tenant, target.source)
    chunks = [
        replace(c, doc_id=doc_id, id=f"{doc_id}-{version[:12]}-{c.position:05d}") for c in chunks
    ]
    record = SourceRecord(
        source=target.source,
        doc_id=doc_id,
        title=doc.title,
        kind=doc.kind,
        content_hash=content_hash,
        version=version,
        tags=doc.tags,
        metadata={**doc.metadata, "doc_tags": doc_tags, "given_tags": given},
        chunks=len(chunks),
        ingested_at=now_iso(),
        tenant=tenant,
    )
    return _Prepared(target, record, chunks, existing is None)


def _write(
    stores: Stores,
    collection: VectorCollection,
    batch: list[_Prepared],
    report: IngestReport,
    counter: _Counter,
    tell: Callable[[str, str | None], None],
) -> None:
    """Embed a batch, write its vectors, then commit each file to the catalog.

    The ids are recorded as pending before the vectors go in: until a file's catalog commit,
    search ignores them, and the next write deletes them if the commit never happened.
    """
    if not batch:
        return
    chunks = [c for prepared in batch for c in prepared.chunks]
    records = {p.record.source: p.record for p in batch}
    stores.catalog.add_pending([c.id for c in chunks], collection.name)
    for start in range(0, len(chunks), EMBED_BATCH):
        part = chunks[start : start + EMBED_BATCH]
        vectors = stores.embedder.embed_documents([c.index_text() for c in part])
        metadatas = [
            vector_metadata(records[c.source].tenant, c.source, c.doc_id, records[c.source].tags)
            for c in part
        ]
        collection.add([c.id for c in part], vectors, metadatas)
        counter.done += len(part)
        tell("", None)
    stores.checkpoint("after-vectors")
    for prepared in batch:
        old_ids = stores.catalog.replace_document(prepared.record, prepared.chunks, collection.name)
        stores.checkpoint("after-catalog")
        stale = sorted(set(old_ids) - {c.id for c in prepared.chunks})
        if stale:
            collection.delete(stale)
            stores.catalog.clear_pending(stale, collection.name)
        report.chunks_written += len(prepared.chunks)
        outcome = "added" if prepared.is_new else "updated"
        getattr(report, outcome).append(prepared.target.source)
        tell(prepared.target.source, outcome)


def under_roots(roots: list[Path]) -> Callable[[str], bool]:
    prefixes = [str(r).rstrip(os.sep) + os.sep for r in roots]
    return lambda source: any(source.startswith(p) for p in prefixes)
