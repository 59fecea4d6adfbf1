"""The one sentence splitter: chunking, answering and the benchmarks all cut text with it.

Sentences end at ".", "!" or "?" (with any closing quote or bracket) before white space and a
capital, digit, quote or bracket. A full stop after a common abbreviation ("Dr.", "e.g.",
"Prof.", "No."), after a single initial ("J. Smith") or inside a number ("1.2") ends nothing.
A line break ends a sentence when the next line is a list item, a heading or follows a blank
line; other line breaks are wrapping. List items ("- x", "* x", "1. x", "a) x") are units of
their own. Everything is offsets into the original text, so callers can map spans back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Sentence",
    "sentence_spans",
    "split_sentences",
    "strip_item_mark",
    "readable",
    "table_cells",
    "table_rows",
    "table_tail",
    "table_text",
]

# General English abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "mx",
        "prof",
        "sir",
        "st",
        "no",
        "nos",
        "vs",
        "v",
        "cf",
        "eg",
        "e.g",
        "ie",
        "i.e",
        "etc",
        "al",
        "approx",
        "est",
        "fig",
        "figs",
        "vol",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "govt",
        "rev",
        "gen",
        "col",
        "capt",
        "lt",
        "sgt",
        "jr",
        "sr",
        "ref",
        "para",
        "pp",
        "p",
        "ed",
        "eds",
    ]
)
# A sentence may open with Markdown emphasis ("... a plan. **The board approved it.**"); a full
# stop inside it ("- **Alignment.** Priorities ...", an item's bold name) ends nothing.
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*")
_NEXT_STARTS = re.compile(r"\s+(?=(?:\*{1,2}|_{1,2})?[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u017f])")
_ITEM = re.compile(r"^[ \t]*(?:[-*\u2022\u2013]|\d{1,2}[.)]|[a-z][.)])[ \t]+")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class Sentence:
    """One sentence or list item: its text (item mark removed) and its span in the source."""

    text: str
    start: int
    end: int
    is_item: bool = False  # the first sentence of a list item (the one with its mark)
    in_item: bool = False  # any sentence of a list item ("- **Five practices.** In return ...")


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_item) of paragraphs, list items and headings: lines that start a unit."""
    blocks: list[tuple[int, int, bool]] = []
    start: int | None = None
    is_item = after_heading = False
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        line_start = offset
        offset += len(line)
        if not stripped:
            if start is not None:
                blocks.append((start, line_start, is_item))
                start = None
            continue
        heading = bool(_HEADING.match(line))
        if start is not None and (after_heading or heading or _ITEM.match(line)):
            blocks.append((start, line_start, is_item))
            start = None
        if start is None:
            start, is_item = line_start, bool(_ITEM.match(line))
        after_heading = heading
    if start is not None:
        blocks.append((start, len(text), is_item))
    return blocks


def _ends_sentence(block: str, end: int) -> bool:
    """Does the punctuation that finishes at `end` close a sentence?"""
    head = block[:end]
    stop = head.rstrip("\"'\u201d\u2019)]")
    if not stop.endswith("."):
        return True
    match = _WORD_BEFORE.search(stop[:-1])
    if match is None:
        return True
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. Smith"
    return word.lower().rstrip(".") not in _ABBREVIATIONS and word.lower() not in _ABBREVIATIONS


def _split_block(text: str, start: int, end: int, is_item: bool) -> list[Sentence]:
    block = text[start:end]
    lead = 0
    if is_item:
        mark = _ITEM.match(block)
        lead = mark.end() if mark else 0
    elif _HEADING.match(block):
        lead = _HEADING.match(block).end()  # type: ignore[union-attr]
    out: list[Sentence] = []
    cursor = lead
    table = _table_span(block)
    for match in _END.finditer(block, lead):
        if table and table[0] <= match.start() < table[1]:
            continue  # a full stop in a cell ("| 1. Building a shared purpose |") ends nothing
        after = _NEXT_STARTS.match(block, match.end())
        if after is None or not _ends_sentence(block, match.end()):
            continue
        _add(out, text, start + cursor, start + match.end(), is_item and not out, is_item)
        cursor = after.end()
    _add(out, text, start + cursor, end, is_item and not out, is_item)
    return out


def _table_span(block: str) -> tuple[int, int] | None:
    """Where a Markdown table runs in the block (from its first bar to its last), if one does."""
    start = block.find("|")
    if start < 0 or table_cells(block[start:]) is None:
        return None
    return start, block.rfind("|") + 1


def _add(
    out: list[Sentence], text: str, start: int, end: int, is_item: bool, in_item: bool = False
) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(" ".join(text[start:end].split()), start, end, is_item, in_item))


def split_sentences(text: str) -> list[Sentence]:
    """The sentences and list items of `text`, in order, with their character spans."""
    found: list[Sentence] = []
    for start, end, is_item in _blocks(text):
        found.extend(_split_block(text, start, end, is_item))
    return found


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of `text`."""
    return [(s.start, s.end) for s in split_sentences(text)]


def strip_item_mark(line: str) -> str:
    """A list item's text without its bullet or number."""
    return _ITEM.sub("", line, count=1).strip()


_TABLE_RULE = re.compile(r"\|((?:\s*:?-{3,}:?\s*\|)+)")


def table_cells(block: str) -> list[list[str]] | None:
    """A Markdown table's header and rows as cells (the rule line dropped), or None.

    The table may have its rows on lines of their own or, as the index keeps it, run together
    on one line ("| A | B | |---|---| | x | y |"): rows are found by the rule's number of
    columns. A row cut off at the end (by the end of a passage) is left out; a header repeated
    further down (where a long table was cut into pieces) is not a row.
    """
    text = " ".join(block.split())
    rule = _TABLE_RULE.search(text)
    if not text.startswith("|") or rule is None:
        return None
    width = rule.group(1).count("|")
    tokens = [t.strip() for t in text.split("|")][1:]
    # Each row is its cells and the empty gap before the next row's "|". The last row may be
    # followed by prose instead (the paragraph after the table, run on in the index): it closed
    # with its "|", so it is whole.
    groups = [tokens[i : i + width + 1] for i in range(0, len(tokens), width + 1)]
    last = len(groups) - 1
    table = [
        g[:width] for k, g in enumerate(groups) if len(g) == width + 1 and (not g[-1] or k == last)
    ]
    if len(table) < 3 or not all(c and set(c) <= set(":-") for c in table[1]):
        return None
    header = table[0]
    rows = [r for r in table[2:] if r != header and not all(c and set(c) <= set(":-") for c in r)]
    return [header, *rows]


def table_tail(block: str) -> str:
    """The prose after a table's last row ("| ... | 27 Nov | The next meeting is ..."), or ""."""
    if table_cells(block) is None:
        return ""
    text = " ".join(block.split())
    width = _TABLE_RULE.search(text).group(1).count("|")  # type: ignore[union-attr]
    tokens = text.split("|")[1:]
    return tokens[-1].strip() if len(tokens) % (width + 1) == 0 else ""


def table_text(header: list[str], rows: list[list[str]]) -> str:
    """Cells back into a Markdown table on one line, with its rule."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    return " ".join([line(header), line(["---"] * len(header)), *(line(r) for r in rows)])


def table_rows(block: str) -> list[str] | None:
    """A Markdown table's rows as sentences that name their columns, or None if not a table.

    "| Action | Owner | Due |" over "| Brief a facilitator | Louise Penrose | 27 February |"
    reads "Action: Brief a facilitator; Owner: Louise Penrose; Due: 27 February.", so one row
    can answer "Who owns ...?" and a list of rows "What actions were agreed?".
    """
    table = table_cells(block)
    if table is None:
        return None
    header, rows = table[0], []
    for row in table[1:]:
        parts = [
            f"{name}: {value}" if name else value
            for name, value in zip(header, row, strict=True)
            if value
        ]
        if parts:
            rows.append("; ".join(parts).rstrip(".") + ".")
    return rows


def readable(text: str) -> str:
    """The passage as a reader would want it in a short snippet: each Markdown table as its
    rows in words ("Ref: 2026/01; Action: ...; Owner: ..."), not a run of pipes."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            joined = " ".join(block)
            rows = table_rows(joined)
            out.append(
                " ".join([*rows, table_tail(joined)]).strip() if rows is not None else joined
            )
            block.clear()

    for line in text.splitlines():
        if line.strip().startswith("|"):
            block.append(line.strip())
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)
