"""Incremental, idempotent ingestion: files → sections → chunks → vectors + catalog + BM25."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.catalog import SourceRecord, now_iso
from knowledge.chunking import chunk_document, doc_id_for
from knowledge.errors import DocumentError
from knowledge.loaders import is_supported, load_document
from knowledge.types import Chunk, IngestReport, Tags
from knowledge.vectors import tag_key

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase

BUNDLED_PREFIX = "bundled:"

# Called after each file with (source, outcome); outcome is added/updated/unchanged/failed.
Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class Target:
    """One file to ingest and the name it is known by in the index."""

    path: Path
    source: str
    explicit: bool


def bundled_corpus_dir() -> Path:
    return Path(__file__).resolve().parent / "corpus"


def discover(paths: Iterable[Path]) -> tuple[list[Target], list[Path], list[tuple[str, str]]]:
    """Expand paths (directories recursively) into targets; return roots walked and path errors."""
    targets: list[Target] = []
    roots: list[Path] = []
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            missing.append((str(raw), "no such file or directory; check the path"))
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


def _metadata_for(chunk: Chunk) -> dict[str, str | int | bool]:
    meta: dict[str, str | int | bool] = {"source": chunk.source, "doc_id": chunk.doc_id}
    for key, values in chunk.tags.items():
        for value in values:
            meta[tag_key(key, value)] = True
    return meta


# Chunks are embedded in batches across files: small files alone would make small batches.
EMBED_BATCH_CHUNKS = 256


@dataclass
class _Prepared:
    """A file loaded and chunked, waiting for its vectors and its catalog commit."""

    target: Target
    record: SourceRecord
    chunks: list[Chunk]
    is_new: bool


def ingest_targets(
    kb: KnowledgeBase,
    targets: list[Target],
    *,
    tags: Tags | None = None,
    progress: Progress | None = None,
    removable: Callable[[str], bool] | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Ingest targets; a file counts only once its catalog rows commit (one transaction per file)."""
    report = report or IngestReport()
    signature = kb.signature
    pending: list[_Prepared] = []
    for target in targets:
        outcome = _prepare(kb, target, tags, signature, report)
        if isinstance(outcome, _Prepared):
            pending.append(outcome)
            if sum(len(p.chunks) for p in pending) >= EMBED_BATCH_CHUNKS:
                _write(kb, pending, report, progress)
                pending = []
        elif progress:
            progress(target.source, outcome)
    _write(kb, pending, report, progress)

    if removable is not None:
        present = {t.source for t in targets}
        for record in kb.catalog.sources():
            if removable(record.source) and record.source not in present:
                if not record.source.startswith(BUNDLED_PREFIX) and Path(record.source).exists():
                    continue
                old = kb.catalog.remove_source(record.source)
                kb.vectors.delete(old)
                report.removed.append(record.source)
    return report


def _prepare(
    kb: KnowledgeBase, target: Target, tags: Tags | None, signature: str, report: IngestReport
) -> _Prepared | str:
    """Hash, load and chunk one file; return it ready to write, or the outcome string."""
    try:
        if not is_supported(target.path) and not target.explicit:
            report.skipped.append(target.source)
            return "skipped"
        content_hash = file_hash(target.path)
        existing = kb.catalog.get_source(target.source)
        if existing is not None and existing.content_hash == content_hash:
            wanted = merge_tags(existing.metadata.get("doc_tags", {}), tags)
            if _version(content_hash, wanted, signature) == existing.version:
                report.unchanged.append(target.source)
                return "unchanged"
        doc = load_document(target.path, max_bytes=kb.max_file_bytes, source=target.source)
        doc_tags = dict(doc.tags)
        doc.tags = merge_tags(doc.tags, tags)
        version = _version(content_hash, doc.tags, signature)
        chunks = chunk_document(
            doc,
            version=version,
            count=kb.embedder.count_tokens,
            max_tokens=kb.chunk_tokens,
            overlap_tokens=kb.chunk_overlap,
        )
        if not chunks:
            raise DocumentError(target.path, "no indexable text after chunking; nothing to index")
    except DocumentError as exc:
        report.failed.append((target.source, exc.reason))
        return "failed"
    except PermissionError:
        report.failed.append((target.source, "permission denied; check the file's permissions"))
        return "failed"
    except IsADirectoryError:
        report.failed.append((target.source, "is a directory"))
        return "failed"
    record = SourceRecord(
        source=target.source,
        doc_id=doc_id_for(target.source),
        title=doc.title,
        kind=doc.kind,
        content_hash=content_hash,
        version=version,
        tags=doc.tags,
        metadata={**doc.metadata, "doc_tags": doc_tags},
        chunks=len(chunks),
        ingested_at=now_iso(),
    )
    return _Prepared(target, record, chunks, existing is None)


def _write(
    kb: KnowledgeBase, batch: list[_Prepared], report: IngestReport, progress: Progress | None
) -> None:
    """Embed a batch in one call, write its vectors, then commit each file to the catalog.

    Vectors go first: until a file's catalog commit, search ignores them, and the next run's
    repair deletes them if the commit never happened.
    """
    if not batch:
        return
    chunks = [c for prepared in batch for c in prepared.chunks]
    vectors = kb.embedder.embed_documents([c.index_text() for c in chunks])
    kb.vectors.add([c.id for c in chunks], vectors, [_metadata_for(c) for c in chunks])
    kb.fault_point("after-vectors")
    for prepared in batch:
        old_ids = kb.catalog.replace_document(prepared.record, prepared.chunks)
        kb.fault_point("after-catalog")
        stale = set(old_ids) - {c.id for c in prepared.chunks}
        if stale:
            kb.vectors.delete(stale)
        report.chunks_written += len(prepared.chunks)
        outcome = "added" if prepared.is_new else "updated"
        getattr(report, outcome).append(prepared.target.source)
        if progress:
            progress(prepared.target.source, outcome)


def under_roots(roots: list[Path]) -> Callable[[str], bool]:
    prefixes = [str(r).rstrip(os.sep) + os.sep for r in roots]
    return lambda source: any(source.startswith(p) for p in prefixes)
