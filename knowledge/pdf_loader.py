"""PDF loader: text per page (1-based page numbers) and headings guessed from font size."""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from knowledge.errors import CorruptDocument, EmptyDocument, EncryptedDocument
from knowledge.pdf_tables import TextRun, find_tables, page_text_with_tables
from knowledge.types import LoadedDocument, Section

_HEADING_MIN_RATIO = 1.15
_MAX_HEADING_CHARS = 120


_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP file (a Word or Excel document?)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
    b"<!DOCTYPE": "an HTML page",
    b"<html": "an HTML page",
}


def _not_a_pdf(data: bytes) -> str | None:
    """Why these bytes are not a PDF at all (no %PDF- header near the start), or None."""
    if b"%PDF-" in data[:1024]:
        return None
    head = data[:16].lstrip()
    for signature, what in _SIGNATURES.items():
        if head[: len(signature)].lower() == signature.lower():
            return f"not a PDF file (it is {what} named .pdf); convert it to PDF, or rename it"
    return "not a PDF file (it has no PDF header); re-export it or check the download"


def load_pdf(path: Path, data: bytes) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    problem = _not_a_pdf(data)
    if problem is not None:
        raise CorruptDocument(path, problem)

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedDocument(
                path, "PDF is password-protected; save an unprotected copy and ingest that"
            )
        pages = list(reader.pages)
    except EncryptedDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CorruptDocument(
            path, f"not a readable PDF ({_short(exc)}); re-export it or check the download"
        ) from exc
    except Exception as exc:
        if "decrypt" in str(exc).lower() or "crypt" in exc.__class__.__name__.lower():
            raise EncryptedDocument(path, "PDF is encrypted and cannot be opened") from exc
        raise CorruptDocument(path, f"not a readable PDF ({_short(exc)})") from exc

    page_texts: list[str] = []
    page_runs: list[list[TextRun]] = []
    in_tables: set[tuple[int, int]] = set()  # (page, run): the runs read as table cells
    for number, page in enumerate(pages, start=1):
        runs: list[TextRun] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, runs: list = runs) -> None:
            if text and text.strip():
                x, y = _position(cm, tm)
                runs.append(TextRun(text.strip(), x, y, _effective_size(size, cm, tm), len(runs)))

        try:
            text = page.extract_text(visitor_text=visit) or ""
        except Exception as exc:
            raise CorruptDocument(
                path, f"page {number} could not be read ({_short(exc)}); re-export the PDF"
            ) from exc
        # A table is read back into rows and columns, so each row keeps its column names
        tables = find_tables(runs)
        text = page_text_with_tables(runs, tables) or text
        page_texts.append(text)
        page_runs.append(runs)
        in_tables.update((number, r.order) for table in tables for r in table.runs)

    if not any(t.strip() for t in page_texts):
        raise EmptyDocument(
            path, "PDF has no extractable text (a scanned image?); run OCR on it first"
        )

    # The body's type is the size most text is set in, tables apart: a register set small
    # would otherwise make every paragraph of the covering text a heading.
    sizes = _type_sizes(page_runs, in_tables) or _type_sizes(page_runs, set())
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    heading_sizes = sorted(
        {
            round(s, 1)
            for s, _ in sizes.items()
            if body_size and s >= body_size * _HEADING_MIN_RATIO
        },
        reverse=True,
    )
    level_of = {size: i + 1 for i, size in enumerate(heading_sizes)}

    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    first_heading: str | None = None
    for number, (text, runs) in enumerate(zip(page_texts, page_runs, strict=True), start=1):
        headings = {
            _norm(r.text): level_of[round(r.size, 1)]
            for r in runs
            if round(r.size, 1) in level_of and len(r.text) <= _MAX_HEADING_CHARS
        }
        buffer: list[str] = []

        def flush(page: int = number, buf: list[str] = buffer) -> None:
            body = "\n".join(buf).strip()
            if body:
                sections.append(Section(text=body, heading=tuple(h for _, h in stack), page=page))
            buf.clear()

        previous_was_heading = False
        for line in text.split("\n"):
            level = headings.get(_norm(line))
            if level and line.strip():
                flush()
                if previous_was_heading and stack and stack[-1][0] == level:
                    # A long heading wrapped onto a second line: still one heading.
                    joined = f"{stack[-1][1]} {line.strip()}"
                    if first_heading == stack[-1][1]:
                        first_heading = joined
                    stack[-1] = (level, joined)
                else:
                    while stack and stack[-1][0] >= level:
                        stack.pop()
                    stack.append((level, line.strip()))
                    first_heading = first_heading or line.strip()
                previous_was_heading = True
            else:
                buffer.append(line)
                previous_was_heading = previous_was_heading and not line.strip()
        flush()

    meta_title = ""
    try:
        meta_title = str(getattr(reader.metadata, "title", None) or "").strip()
    except Exception:  # metadata of damaged PDFs is optional
        meta_title = ""
    stem = re.sub(r"[-_]+", " ", path.stem).strip()
    title = meta_title or first_heading or stem[:1].upper() + stem[1:]
    return LoadedDocument(
        source=str(path),
        title=title,
        sections=sections,
        kind="pdf",
        metadata={"pages": len(pages)},
    )


def _type_sizes(page_runs: list[list[TextRun]], skip: set[tuple[int, int]]) -> Counter[float]:
    """How many characters are set in each type size, the (page, run)s in `skip` apart."""
    sizes: Counter[float] = Counter()
    for number, runs in enumerate(page_runs, start=1):
        for run in runs:
            if (number, run.order) not in skip:
                sizes[round(run.size, 1)] += len(run.text)
    return sizes


def _effective_size(size: float, cm: Any, tm: Any) -> float:
    try:
        scale_tm = math.hypot(float(tm[2]), float(tm[3])) or 1.0
        scale_cm = math.hypot(float(cm[2]), float(cm[3])) or 1.0
        return float(size) * scale_tm * scale_cm
    except (TypeError, IndexError, ValueError):
        return float(size or 0.0)


def _position(cm: Any, tm: Any) -> tuple[float, float]:
    """Where a run of text starts on the page: the text matrix placed by the current one."""
    try:
        a, b, c, d, e, f = (float(v) for v in cm)
        x, y = float(tm[4]), float(tm[5])
        return a * x + c * y + e, b * x + d * y + f
    except (TypeError, IndexError, ValueError):
        return 0.0, 0.0


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _short(exc: BaseException) -> str:
    message = str(exc).strip().split("\n")[0]
    return message[:120] if message else exc.__class__.__name__
