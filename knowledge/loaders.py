"""Read files into sections with provenance: PDF, DOCX, HTML, Markdown and plain text."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from knowledge.errors import (
    CorruptDocument,
    EmptyDocument,
    FileTooLarge,
    NotUtf8Text,
    UnsupportedFileType,
)
from knowledge.types import LoadedDocument, Section, SectionBuilder, Tags, grid_markdown

SUPPORTED_SUFFIXES: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def load_document(path: Path, *, max_bytes: int, source: str | None = None) -> LoadedDocument:
    """Load one file, raising a `DocumentError` subclass that names the file and the fix."""
    kind = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        shown = path.suffix or "(no extension)"
        raise UnsupportedFileType(
            path, f"unsupported file type {shown}; convert it to one of {supported}"
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(
            path,
            f"file is {_megabytes(size)} MB, over the {_megabytes(max_bytes)} MB limit; "
            "split it or raise IMPACT_MAX_FILE_MB",
        )
    if size == 0:
        raise EmptyDocument(path, "file is empty; nothing to index")
    data = path.read_bytes()
    doc = _LOADERS[kind](path, data)
    doc.source = source or str(path)
    if not any(section.text.strip() for section in doc.sections):
        raise EmptyDocument(path, "no text found in the file; nothing to index")
    return doc


def _megabytes(size: int) -> str:
    """Size in MB with enough digits that a file just over a small limit reads as larger."""
    return f"{size / 1_048_576:.3g}"


def _decode_utf8(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8Text(
            path,
            f"not UTF-8 text (bad byte at offset {exc.start}); re-save the file as UTF-8",
        ) from exc
    if not text.strip():
        raise EmptyDocument(path, "file holds only white space; nothing to index")
    return text


def _title_from_filename(path: Path) -> str:
    stem = re.sub(r"[-_]+", " ", path.stem).strip()
    return stem[:1].upper() + stem[1:] if stem else path.name


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML in which dates stay text: `date: 2025-13-45` is a typo, not a crash."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*:(\s|$)")


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (between `---` lines at the top) from a Markdown body.

    A file that starts with a `---` horizontal rule followed by ordinary text has no front
    matter: only a block whose first line is a `key:` line is read as YAML.
    """
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text
    first = next((line for line in lines[1:] if line.strip()), "")
    if not _YAML_KEY.match(first.strip()):
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise CorruptDocument(
            path, "front matter opened with '---' but never closed; add a '---' line"
        )
    raw = "\n".join(lines[1:end])
    try:
        meta = yaml.load(raw, Loader=_FrontMatterLoader) or {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise CorruptDocument(
            path, f"front matter is not valid YAML{where}; fix it or remove it"
        ) from exc
    if not isinstance(meta, dict):
        raise CorruptDocument(path, "front matter must be a YAML mapping of key: value lines")
    return meta, "\n".join(lines[end + 1 :])


def tags_from_front_matter(meta: dict[str, Any]) -> Tags:
    tags: Tags = {}
    components = meta.get("components")
    if isinstance(components, (list, tuple)):
        tags["component"] = [str(c).strip() for c in components if str(c).strip()]
    elif components not in (None, ""):
        tags["component"] = [str(components).strip()]
    extra = meta.get("tags")
    if isinstance(extra, dict):
        for key, value in extra.items():
            values = value if isinstance(value, (list, tuple)) else [value]
            tags[str(key)] = [str(v) for v in values]
    elif isinstance(extra, (list, tuple)):
        tags["topic"] = [str(v) for v in extra]
    return tags


def sections_from_markdown(body: str) -> tuple[list[Section], str | None]:
    """Split Markdown into sections by heading; return them and the first level-1 heading."""
    built = SectionBuilder(joiner="\n")
    first_h1: str | None = None
    in_fence = False
    for line in body.split("\n"):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING_RE.match(line)
        if match:
            level, title = len(match.group(1)), match.group(2).strip()
            if level == 1 and first_h1 is None:
                first_h1 = title
            built.heading(level, title)
        elif in_fence or not _THEMATIC_BREAK.match(line):
            built.add(line)  # a rule ("---") between parts is layout, not text
    return built.flush(), first_h1


_THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


def _load_markdown(path: Path, data: bytes) -> LoadedDocument:
    text = _decode_utf8(path, data)
    meta, body = split_front_matter(path, text)
    sections, first_h1 = sections_from_markdown(body)
    title = str(meta.get("title") or first_h1 or _title_from_filename(path))
    urls = meta.get("sources") or meta.get("source") or meta.get("url") or []
    if isinstance(urls, str):
        urls = [urls]
    metadata = {
        "publisher": meta.get("publisher"),
        "date": None if meta.get("date") is None else str(meta.get("date")),
        "urls": [str(u) for u in urls],
    }
    return LoadedDocument(
        source=str(path),
        title=title,
        sections=sections,
        kind="markdown",
        metadata=metadata,
        tags=tags_from_front_matter(meta),
    )


# A plain-text heading: a line of its own (blank lines around it), short, with no full stop,
# numbered ("3. Priority 2: improving patient flow", "3.1 Flow Coaching Academy") or in capitals
# ("RISKS", "PRIORITY 2: PREVENTING PRESSURE ULCERS"). A numbered line that ends a sentence ("1. Extend the pilot.") is a list item.
_TEXT_HEADING = re.compile(
    r"^(?:(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S.*|[A-Z][A-Z0-9 ,&'()/:-]+)$"
)
_TEXT_HEADING_WORDS = 12
# "12 March 2026" on a line of its own is a date, not section 12
_DATE_LINE = re.compile(
    r"^\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


def _text_heading(block: str) -> tuple[int, str] | None:
    line = block.strip()
    if "\n" in line or len(line.split()) > _TEXT_HEADING_WORDS or line[-1:] in ".,;:!?":
        return None
    match = _TEXT_HEADING.match(line)
    if match is None or _DATE_LINE.match(line):
        return None
    if match.group("num"):
        return match.group("num").count(".") + 1, line
    return 1, line


def sections_from_text(text: str) -> tuple[list[Section], str | None]:
    """Split plain text into sections at numbered or capitalised heading lines; return them and
    a title: the first short line of the opening block that is not all capitals (a trust's
    name in capitals above "Improvement Programme Update: Quarter 2"), else, when the name and
    the title are both in capitals, its second line, else its first."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    title = None
    if blocks:
        lines = [ln.strip() for ln in blocks[0].splitlines() if ln.strip()][:3]
        short = [ln for ln in lines if len(ln.split()) <= 15 and ln[-1:] not in ".,;"]
        if short and short[0] == lines[0]:
            # a name in capitals above a title in capitals too: the second line is the title
            capitals = short[1] if len(short) > 1 and short[0].isupper() else short[0]
            title = next((ln for ln in short if not ln.isupper()), capitals)
    built = SectionBuilder()
    for block in blocks:
        heading = _text_heading(block)
        if heading is None and block is not blocks[0]:
            first, _, rest = block.strip().partition("\n")
            heading = _heading_over_text(first, rest)
            if heading is not None:
                built.heading(*heading)
                built.add(rest.strip())
                continue
        if heading is None or (block is blocks[0] and title is not None and block.strip() == title):
            built.add(block.strip())
        else:
            built.heading(*heading)
    return built.flush(), title


def _heading_over_text(first: str, rest: str) -> tuple[int, str] | None:
    """A heading line with its text on the very next line ("2. PRESSURE ULCERS" then "There
    were ..."): a heading when the line is one (`_text_heading`), is short, and the next line
    starts a sentence rather than continuing a list ("2. ...") or the line itself ("and ...");
    a line in capitals may head a list."""
    heading = _text_heading(first)
    after = rest.lstrip()
    if heading is None or not after or len(first.split()) > _HEADING_OVER_WORDS:
        return None
    if _LIST_LINE.match(after) or after.startswith("|"):
        # a list or a table under a heading in capitals ("TARGETS FOR MARCH 2027" then "- 1,500
        # staff ...", "7. RISKS" then "- Winter pressure ..."); under a numbered line, a
        # numbered list goes on ("1. ..." then "2. ...")
        numbered = first[:1].isdigit() and after[:1].isdigit()
        return heading if first.isupper() and not numbered else None
    return heading if after[0].isupper() else None


_HEADING_OVER_WORDS = 8
_LIST_LINE = re.compile(r"^(?:\d{1,2}[.)]|[-*\u2022])\s")


# A line of a table typed in plain text: cells between "|" ("Component | Rating | Lead")
_PIPE_CELLS = re.compile(r"\s*\|\s*")
_RULE_LINE = re.compile(r"^[\s|:-]+$")


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in _PIPE_CELLS.split(inner)] if "|" in line else []


def pipe_tables(text: str) -> str:
    """Tables typed in plain text as lines of cells between "|", with no rule under the header
    ("Component | Rating | Lead" over "People and culture | 2 | Priya Ramaswamy"), written as
    Markdown tables, so that each row is read as a record of its own: three or more lines in a
    row with the same number of cells (at least two), none empty. A table that has its rule
    line is left as it is."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        width = len(_cells(lines[i]))
        j = i
        while (
            width >= 2
            and j < len(lines)
            and len(cells := _cells(lines[j])) == width
            and all(cells)
            and not _RULE_LINE.match(lines[j])
        ):
            j += 1
        ruled = j < len(lines) and j == i + 1 and bool(_RULE_LINE.match(lines[j]))
        if j - i >= 3 and not ruled:
            rows = [_cells(line) for line in lines[i:j]]
            out += ["", "| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
            out += ["| " + " | ".join(row) + " |" for row in rows[1:]] + [""]
            i = j
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


def _load_text(path: Path, data: bytes) -> LoadedDocument:
    text = pipe_tables(_decode_utf8(path, data))
    sections, title = sections_from_text(text)
    return LoadedDocument(
        source=str(path),
        title=title or _title_from_filename(path),
        sections=sections or [Section(text=text.strip())],
        kind="text",
    )


def _load_docx(path: Path, data: bytes) -> LoadedDocument:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocument(
            path, "not a readable DOCX file (damaged, or password-protected); re-save it from Word"
        ) from exc
    except Exception as exc:  # python-docx raises assorted lxml/opc errors on damaged parts
        raise CorruptDocument(path, f"not a readable DOCX file ({exc.__class__.__name__})") from exc

    built = SectionBuilder()
    title = (document.core_properties.title or "").strip()
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            level = _docx_heading_level(style)
            if style == "Title":
                title = title or text
                continue
            if level:
                built.heading(level, text)
            elif style.startswith("List"):
                built.add(f"- {text}")
            else:
                built.add(text)
        elif tag == "tbl":
            table = Table(child, document)
            grid = [_docx_row(row) for row in table.rows]
            # A table of data is read as a Markdown paper's table is, row by row with its column
            # names; one of a single row (a layout box) as its cells' text.
            as_markdown = grid_markdown(grid) if len(grid) >= 2 else None
            if as_markdown:
                built.add(as_markdown)
                continue
            for cells in grid:
                unique = list(dict.fromkeys(c for c in cells if c))
                if unique:
                    built.add(" | ".join(unique))
    sections = built.flush()
    if not title:
        title = next((s.heading[0] for s in sections if s.heading), _title_from_filename(path))
    return LoadedDocument(source=str(path), title=title, sections=sections, kind="docx")


def _docx_row(row: Any) -> list[str]:
    """A Word table row's cells, one per grid column (a merged cell's text under each column it
    spans, so the columns stay aligned with the header); a row merged across its whole width (a
    label such as "Medicine division") once."""
    cells = [" ".join(p.text.strip() for p in c.paragraphs if p.text.strip()) for c in row.cells]
    if len(cells) > 1 and len({id(c._tc) for c in row.cells}) == 1:
        return [cells[0]]
    return cells


def _docx_heading_level(style: str) -> int:
    match = re.match(r"Heading\s*(\d)", style)
    return int(match.group(1)) if match else 0


def _load_pdf(path: Path, data: bytes) -> LoadedDocument:
    from knowledge.pdf_loader import load_pdf

    return load_pdf(path, data)


def _load_html(path: Path, data: bytes) -> LoadedDocument:
    from knowledge.html_loader import load_html

    return load_html(path, data)


_LOADERS: dict[str, Callable[[Path, bytes], LoadedDocument]] = {
    "pdf": _load_pdf,
    "docx": _load_docx,
    "html": _load_html,
    "markdown": _load_markdown,
    "text": _load_text,
}
