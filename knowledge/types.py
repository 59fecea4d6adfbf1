"""Plain data types that cross the knowledge package's boundary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Tags = dict[str, list[str]]


@dataclass(frozen=True)
class Section:
    """A run of text under one heading path, on one page (1-based) when the format has pages."""

    text: str
    heading: tuple[str, ...] = ()
    page: int | None = None


def grid_markdown(grid: list[list[str]]) -> str | None:
    """A table's cells (first row the header) as a Markdown table, so that each row is read with
    its column names ("Ward: Heron; Falls: 6.1"); None for fewer than two non-empty rows. A "|"
    in a cell reads as "/"; short rows are padded."""
    grid = [[re.sub(r"\s+", " ", c).strip().replace("|", "/") for c in row] for row in grid]
    grid = [row for row in grid if any(row)]
    if len(grid) < 2:
        return None
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
    return "\n".join(lines)


class SectionBuilder:
    """Sections under a stack of headings, as a loader reads a document in order: text gathers
    until the next heading closes it; a heading ends those of its level and below."""

    def __init__(self, joiner: str = "\n\n") -> None:
        self.sections: list[Section] = []
        self._stack: list[tuple[int, str]] = []
        self._buffer: list[str] = []
        self._joiner = joiner

    def add(self, text: str) -> None:
        self._buffer.append(text)

    def heading(self, level: int, title: str) -> None:
        self.flush()
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, title))

    def flush(self) -> list[Section]:
        """Close the text gathered so far; return every section so far."""
        text = self._joiner.join(self._buffer).strip()
        if text:
            self.sections.append(Section(text=text, heading=tuple(h for _, h in self._stack)))
        self._buffer.clear()
        return self.sections


@dataclass
class LoadedDocument:
    """What a loader returns: the sections of one file and its document-level metadata."""

    source: str
    title: str
    sections: list[Section]
    kind: str
    metadata: dict[str, Any] = field(default_factory=dict)
    tags: Tags = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """One indexed passage with its provenance."""

    id: str
    doc_id: str
    source: str
    title: str
    text: str
    page: int | None
    heading: tuple[str, ...]
    position: int
    content_hash: str
    tags: Tags
    flagged: bool = False
    # Character spans (start, end) in `text` of sentences that read as instructions to an AI.
    flagged_spans: tuple[tuple[int, int], ...] = ()

    @property
    def heading_text(self) -> str:
        return " > ".join(self.heading)

    def index_text(self) -> str:
        """Text that is embedded and BM25-indexed: title and heading give the passage context."""
        head = " > ".join(h for h in self.heading if h and h != self.title)
        return "\n".join(part for part in (self.title, head, self.text) if part)


@dataclass
class Evidence:
    """A retrieved passage, ready to be cited."""

    id: str
    text: str
    score: float
    title: str
    source: str
    page: int | None
    heading: str
    tags: Tags
    doc_id: str = ""
    position: int = 0
    similarity: float | None = None
    url: str | None = None
    flagged: bool = False
    # Character spans (start, end) in `text` of sentences that read as instructions to an AI.
    flagged_spans: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "source": self.source,
            "title": self.title,
            "page": self.page,
            "heading": self.heading,
            "score": round(self.score, 6),
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "tags": self.tags,
            "url": self.url,
            "flagged": self.flagged,
            "flagged_spans": [list(span) for span in self.flagged_spans],
        }


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    chunks_written: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "removed": len(self.removed),
            "failed": len(self.failed),
        }

    def summary(self) -> str:
        text = ", ".join(f"{n} {name}" for name, n in self.counts().items())
        if self.skipped:
            text += f" ({len(self.skipped)} skipped: not a supported file type)"
        return text


@dataclass(frozen=True)
class SourceInfo:
    """One ingested source as listed by `impact sources`."""

    source: str
    title: str
    chunks: int
    content_hash: str
    kind: str
    tags: Tags
    ingested_at: str
    tenant: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "tenant": self.tenant,
            "title": self.title,
            "chunks": self.chunks,
            "content_hash": self.content_hash,
            "kind": self.kind,
            "tags": self.tags,
            "ingested_at": self.ingested_at,
        }


@dataclass(frozen=True)
class ProgressEvent:
    """Progress of a long write: a file finished (outcome set) or more passages embedded."""

    source: str
    outcome: str | None  # added, updated, unchanged, failed, skipped; None for passages
    passages_done: int  # passages embedded so far in this run
    passages_total: int  # passages known so far (grows as files are read)
    stage: str = "indexing"  # or "re-embedding" while switching to a new model
