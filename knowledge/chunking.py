"""Heading-aware chunking sized in tokens of the embedding model, with a small overlap."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

from knowledge.safety import CONTINUATION_THRESHOLD, FLAG_THRESHOLD, injection_scores
from knowledge.sentences import split_sentences, table_cells, table_text
from knowledge.types import Chunk, LoadedDocument, Section

TokenCounter = Callable[[Sequence[str]], list[int]]

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
# A label line: up to four words, the first capitalised, then a colon and its value
_LABEL = re.compile(r"^\s*[A-Z][\w'()/&-]*(?: [\w'()/&-]+){0,3}:\s+\S")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def doc_id_for(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def _starts_paragraph(line: str, item_indent: int) -> bool:
    """Does a line after a list item start text of its own rather than wrap the item?"""
    indent = len(line) - len(line.lstrip())
    return indent <= item_indent and line.lstrip()[:1].isupper() and not _BULLET.match(line)


def _list_units(lines: list[str]) -> list[str]:
    """A paragraph with a list in it: each item a unit, and the lines around the list too."""
    units: list[str] = []
    pieces: list[tuple[list[str], bool]] = []  # (lines, is an item or a label line)
    indent = -1  # the indentation of the current item's mark (-1: not in an item)
    for ln in lines:
        current = pieces[-1][0] if pieces else []
        # a label line ends the item or the lines before it too ("Progress: ..." after the last
        # item), and after a label line, so does a list's lead-in ("Baseline: 45 a quarter"
        # over "Change ideas being tested:")
        lead_in = ln.rstrip().endswith(":") and bool(current) and bool(_LABEL.match(current[0]))
        # and so does a line that starts a sentence no further in than the item's mark: "- every
        # Board member to attend ... 14 November 2024" over "The QI Hub team has ..." (an item's
        # wrapped line is indented, or goes on in lower case)
        ends_item = indent >= 0 and _starts_paragraph(ln, indent)
        bullet = _BULLET.match(ln)
        label = _LABEL.match(ln)
        if bullet or label or lead_in or ends_item or not pieces:
            pieces.append(([], bool(bullet or label)))
        if bullet:
            indent = len(ln) - len(ln.lstrip())
        elif label or ends_item:
            indent = -1
        pieces[-1][0].append(ln.strip())
    for piece, whole in pieces:
        if whole:
            units.append(" ".join(piece))
        else:
            units.extend(s.text for s in split_sentences(" ".join(piece)))
    return units


def _units(section_text: str) -> list[str]:
    """Split a section into paragraphs, list items and (for long paragraphs) sentences."""
    units: list[str] = []
    for para in re.split(r"\n\s*\n", section_text):
        lines = [ln.rstrip() for ln in para.strip().split("\n") if ln.strip()]
        if not lines:
            continue
        if any(_BULLET.match(ln) for ln in lines):
            units.extend(_list_units(lines))
        elif any(_LABEL.match(ln) for ln in lines[1:]):
            # "Report to: Board of Directors, 17 July 2025" over "Author: ...": a paper's
            # label lines are each a line of their own, not one run-on sentence
            pieces: list[list[str]] = [[]]
            for ln in lines:
                if _LABEL.match(ln) and pieces[-1]:
                    pieces.append([])
                pieces[-1].append(ln.strip())
            for piece in pieces:
                units.extend(s.text for s in split_sentences(" ".join(piece)))
        else:
            joined = " ".join(ln.strip() for ln in lines)
            if table_cells(joined) is not None:
                units.append(joined)  # a table is one unit: a cell's full stop ends nothing
            else:
                units.extend(s.text for s in split_sentences(joined))
    return units


def _split_table(unit: str, limit: int, count: TokenCounter) -> list[str] | None:
    """Cut a long Markdown table between rows, its header repeated on each piece."""
    table = table_cells(unit)
    if table is None:
        return None
    header, rows = table[0], table[1:]
    pieces: list[list[list[str]]] = [[]]
    for row in rows:
        if pieces[-1] and count([table_text(header, [*pieces[-1], row])])[0] > limit:
            pieces.append([])
        pieces[-1].append(row)
    out = [table_text(header, piece) for piece in pieces if piece]
    # a single row longer than the budget: cut into word windows like any long text
    return None if max(count(out)) > limit else out


def _split_long(unit: str, limit: int, count: TokenCounter) -> list[str]:
    """Cut a unit longer than the budget into word windows that fit it."""
    words = unit.split()
    pieces: list[str] = []
    start = 0
    while start < len(words):
        # Words average ~1.3 tokens; shrink the window until it fits.
        size = max(1, int(limit / 1.4))
        while size > 1 and count([" ".join(words[start : start + size])])[0] > limit:
            size = int(size * 0.8)
        pieces.append(" ".join(words[start : start + size]))
        start += size
    return pieces


def chunk_section(
    section: Section, count: TokenCounter, max_tokens: int, overlap_tokens: int
) -> list[tuple[str, bool]]:
    """Pack a section into chunks; each comes with whether it starts with the previous one's tail."""
    units = _units(section.text)
    if not units:
        return []
    sizes = count(units)
    expanded: list[tuple[str, int]] = []
    for unit, size in zip(units, sizes, strict=True):
        if size > max_tokens:
            parts = _split_table(unit, max_tokens, count) or _split_long(unit, max_tokens, count)
            expanded.extend(zip(parts, count(parts), strict=True))
        else:
            expanded.append((unit, size))

    chunks: list[tuple[str, bool]] = []
    current: list[tuple[str, int]] = []
    total = 0
    carried_in = False
    for unit, size in expanded:
        if current and total + size > max_tokens:
            chunks.append((_join(current), carried_in))
            carry: list[tuple[str, int]] = []
            carried = 0
            for prev in reversed(current):
                if carried + prev[1] > overlap_tokens:
                    break
                carry.insert(0, prev)
                carried += prev[1]
            if carried + size > max_tokens:
                carry, carried = [], 0
            current, total, carried_in = carry, carried, bool(carry)
        current.append((unit, size))
        total += size
    if current:
        chunks.append((_join(current), carried_in))
    return chunks


_ENDS = tuple(".!?:;\"')\u201d\u2019]")


def _join(units: list[tuple[str, int]]) -> str:
    out: list[str] = []
    previous_item = False
    for text, _ in units:
        item = bool(_BULLET.match(text))
        if out and item:
            out.append("\n" + text)
        elif out and (previous_item or not out[-1].rstrip().endswith(_ENDS)):
            # after a list, or after a line with no full stop (a title line in capitals), a
            # paragraph break: run on with a space, it would read as the next sentence's start
            out.append("\n\n" + text)
        elif out:
            out.append(" " + text)
        else:
            out.append(text)
        previous_item = item
    return "".join(out).strip()


_REFERENCE_HEADINGS = {"sources", "references", "bibliography", "further reading", "links"}
_URL = re.compile(r"https?://\S+")


def _is_reference_list(section: Section) -> bool:
    """A 'Sources'/'References' section that is mostly URLs: useful to people, noise to search."""
    if not section.heading or section.heading[-1].strip().lower() not in _REFERENCE_HEADINGS:
        return False
    lines = [line for line in section.text.splitlines() if line.strip()]
    with_url = sum(1 for line in lines if _URL.search(line))
    return bool(lines) and with_url * 2 >= len(lines)


def _key(sentence: str) -> str:
    return " ".join(sentence.split()).lower()


def _withheld_sentences(section_text: str) -> set[str]:
    """Sentences of a section to withhold: those that instruct an AI, and their continuations.

    Scored over the whole section, not chunk by chunk, so a chunk boundary cannot separate an
    injection from its payload: a sentence right after a flagged one is withheld too when it
    reads even faintly as an instruction (the lower continuation threshold), and so on.
    """
    sentences = split_sentences(section_text)
    scores = injection_scores([s.text for s in sentences])
    withheld: set[str] = set()
    previous = False
    for sentence, score in zip(sentences, scores, strict=True):
        flagged = score >= FLAG_THRESHOLD or (previous and score >= CONTINUATION_THRESHOLD)
        if flagged:
            withheld.add(_key(sentence.text))
        previous = flagged
    return withheld


def chunk_document(
    doc: LoadedDocument,
    *,
    version: str,
    count: TokenCounter,
    max_tokens: int,
    overlap_tokens: int,
) -> list[Chunk]:
    """Chunk a loaded document; ids carry the file version so a new version never overwrites."""
    doc_id = doc_id_for(doc.source)
    chunks: list[Chunk] = []
    for section in doc.sections:
        if _is_reference_list(section):
            continue
        heading = section.heading
        if heading and heading[0].strip().lower() == doc.title.strip().lower():
            heading = heading[1:]
        withheld = _withheld_sentences(section.text)
        for text, _carried_in in chunk_section(section, count, max_tokens, overlap_tokens):
            spans = tuple(
                (s.start, s.end) for s in split_sentences(text) if _key(s.text) in withheld
            )
            position = len(chunks)
            chunks.append(
                Chunk(
                    id=f"{doc_id}-{version[:12]}-{position:05d}",
                    doc_id=doc_id,
                    source=doc.source,
                    title=doc.title,
                    text=text,
                    page=section.page,
                    heading=heading,
                    position=position,
                    content_hash=text_hash(text),
                    tags=doc.tags,
                    flagged=bool(spans),
                    flagged_spans=spans,
                )
            )
    return chunks
