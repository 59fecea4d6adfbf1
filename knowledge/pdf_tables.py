"""Tables in a PDF page, found from where its text sits.

A PDF keeps no table structure: a risk register's row comes out of text extraction as one run
of words ("BAF 5 Cyber attack causing loss of clinical systems Owen Teversham, CFO 15 10
Static") or, where cells wrap, as one cell fragment per line. Here the text runs of a page, with
their positions, are read back into rows and columns, so that a PDF table is indexed like a Word
or HTML one: each row with its column names ("Executive owner: Owen Teversham, CFO; Current
score: 15").

A table is found from its header line: three or more short runs side by side, each starting a
column. Header cells may wrap: a line just below (or above) in the same type, evenly spaced,
that starts columns of its own, joins the header ("Inherent" over "score" beside "ID" and
"Risk title", as a table with cells centred in their rows draws it). The lines below belong to it while every run on them starts where a column starts, is
no larger than the header's type and fits its column; prose that runs across columns, a
heading, or a wide gap ends it. Each row is anchored by a line that holds more than half of the
columns, the first among them (the row's key, "BAF 5", "SR2"); a cell that wraps over several
lines joins the row it sits in: below its anchor when the cells are aligned to the top, around
it when they are centred. Only positions are read, never words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.types import grid_markdown

__all__ = ["TextRun", "find_tables", "page_text_with_tables"]

ALIGN = 2.5  # points: the runs of one column start within this of each other
MIN_COLUMNS = 3
MAX_HEADER_CHARS = 40  # a header cell is a short label
# A low estimate of a character's width in ems: text estimated wider than its column (and the
# next column's start) is prose running across the page, not a cell.
CHAR_WIDTH = 0.42
MAX_GAP = 4.0  # a gap of more than this many type sizes between lines ends a table
HEADER_LEADING = 1.3  # the lines of a wrapped header cell are at most this many sizes apart


@dataclass(frozen=True)
class TextRun:
    """One piece of text as the page draws it: its words, where it starts, its type size."""

    text: str
    x: float
    y: float  # from the bottom of the page: a larger y is higher up
    size: float
    order: int  # its place in the page's content stream


@dataclass
class _Table:
    runs: list[TextRun]
    markdown: str


def _lines(runs: Sequence[TextRun]) -> list[list[TextRun]]:
    """The runs as lines, top to bottom, each left to right."""
    lines: list[list[TextRun]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if lines and abs(lines[-1][0].y - run.y) <= 0.3 * max(run.size, 1.0):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x) for line in lines]


def _column(x: float, starts: Sequence[float]) -> int | None:
    """The column a run starting at x starts, or None when it starts in none."""
    for k, start in enumerate(starts):
        if abs(x - start) <= ALIGN:
            return k
    return None


def _fits(line: Sequence[TextRun], starts: Sequence[float], size: float) -> bool:
    """Does every run of the line start a column, in the table's type, within its width?"""
    for run in line:
        k = _column(run.x, starts)
        if k is None or run.size > size * 1.1:
            return False
        if k + 1 < len(starts):
            width = starts[k + 1] - starts[k]
            if len(run.text) * CHAR_WIDTH * run.size > width * 1.1:
                return False
    return True


def _header(line: Sequence[TextRun]) -> list[float] | None:
    """The column starts, when this line reads as a table's header; else None."""
    if len(line) < MIN_COLUMNS or any(len(r.text) > MAX_HEADER_CHARS for r in line):
        return None
    starts = [r.x for r in line]
    if any(b - a <= 2 * ALIGN for a, b in zip(starts, starts[1:], strict=False)):
        return None
    return starts


def _rows(lines: list[list[TextRun]], starts: Sequence[float], head: int = 1) -> list[list[str]]:
    """The table's cells, row by row (the header first), from its lines.

    The first `head` lines are the header's.
    """
    runs = [run for line in lines for run in line]
    header = {run.order for line in lines[:head] for run in line}
    width = len(starts)

    def wide(line: list[TextRun]) -> bool:  # holds more than half of the columns
        return _count(line, starts) * 2 > width

    # A row's anchor is a line that holds more than half of the columns, the first among them
    # (the header's last line is one too).
    body = lines[head:]
    rows = [line for line in body if wide(line) and _column(line[0].x, starts) == 0]
    ys = sorted({round(r.y, 1) for r in runs}, reverse=True)
    step = min((a - b for a, b in zip(ys, ys[1:], strict=False)), default=0.0)
    centred = any(
        _straddles([r.y for r in runs if _column(r.x, starts) == k], line[0].y, step)
        for line in rows
        for k in range(width)
    )
    if not centred and not all(wide(line) for line in body):
        # Cells wrap, aligned to the top: a line one step below a line with more columns
        # ("BAF" over "5") goes on with the row above.
        above = {id(line): prev for prev, line in zip(lines, lines[1:], strict=False)}
        rows = [
            line
            for line in rows
            if above[id(line)][0].y - line[0].y > step + ALIGN
            or _count(line, starts) >= _count(above[id(line)], starts)
        ]
    anchors = [lines[head - 1][0].y] + [line[0].y for line in rows]
    if len(anchors) < 3:
        return []
    cells: list[list[list[str]]] = [[[] for _ in range(width)] for _ in anchors]
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if run.order in header:
            row = 0
        elif centred:
            row = min(range(1, len(anchors)), key=lambda i: (abs(anchors[i] - run.y), i))
        else:
            row = max(i for i, a in enumerate(anchors) if a >= run.y - ALIGN or i == 0)
        column = _column(run.x, starts)
        if column is not None:
            cells[row][column].append(run.text)
    return [[" ".join(parts) for parts in row] for row in cells]


def _count(line: Sequence[TextRun], starts: Sequence[float]) -> int:
    """How many columns the line has text in."""
    return len({_column(r.x, starts) for r in line} - {None})


def _straddles(ys: Sequence[float], anchor: float, step: float) -> bool:
    """Does a column's text sit just above and just below an anchor line, with none on it?

    That is a wrapped cell centred on its row; a cell aligned to the top starts on the line.
    """
    near = 1.1 * step
    on = any(abs(y - anchor) <= ALIGN for y in ys)
    above = any(ALIGN < y - anchor <= near for y in ys)
    below = any(ALIGN < anchor - y <= near for y in ys)
    return above and below and not on


def _wrapped_header(
    lines: list[list[TextRun]], i: int, floor: int, starts: list[float]
) -> tuple[int, int, list[float]]:
    """The lines of a header found on line i, its cells wrapped: (first, end, column starts).

    A line next to the block joins it when it is in the header's type, its runs are short and
    it is close: the first such line must start a column of its own (else it is the first row
    below a one-line header), the next ones keep the same spacing. Lines before `floor` belong
    to an earlier table.
    """
    size = max(r.size for r in lines[i])
    first, end, step = i, i + 1, 0.0

    def joins(line: list[TextRun], dy: float) -> bool:
        if any(len(r.text) > MAX_HEADER_CHARS or r.size > size * 1.1 for r in line):
            return False
        if step:
            return abs(dy - step) <= ALIGN / 2
        return dy <= HEADER_LEADING * size and any(_column(r.x, starts) is None for r in line)

    def add(line: list[TextRun]) -> bool:
        merged = sorted({*starts, *(r.x for r in line if _column(r.x, starts) is None)})
        if any(b - a <= 2 * ALIGN for a, b in zip(merged, merged[1:], strict=False)):
            return False
        starts[:] = merged
        return True

    while True:
        if end < len(lines) and joins(lines[end], dy := lines[end - 1][0].y - lines[end][0].y):
            if not add(lines[end]):
                break
            step, end = step or dy, end + 1
        elif first > floor and joins(
            lines[first - 1], dy := lines[first - 1][0].y - lines[first][0].y
        ):
            if not add(lines[first - 1]):
                break
            step, first = step or dy, first - 1
        else:
            break
    return first, end, starts


def find_tables(runs: Sequence[TextRun]) -> list[_Table]:
    """The tables on a page, each with the runs it is made of and its Markdown."""
    lines = _lines(runs)
    tables: list[_Table] = []
    i = floor = 0
    while i < len(lines):
        found = _header(lines[i])
        if found is None:
            i += 1
            continue
        first, end, starts = _wrapped_header(lines, i, floor, found)
        size = max(r.size for r in lines[i])
        j = end
        while (
            j < len(lines)
            and _fits(lines[j], starts, size)
            and lines[j - 1][0].y - lines[j][0].y <= MAX_GAP * size
        ):
            j += 1
        rows = _rows(lines[first:j], starts, end - first)
        filled = [row for row in rows[1:] if sum(1 for cell in row if cell) >= 2]
        markdown = grid_markdown(rows) if len(filled) >= 2 else None
        if markdown is None:
            i += 1
            continue
        tables.append(_Table([r for line in lines[first:j] for r in line], markdown))
        i = floor = j
    return tables


def page_text_with_tables(
    runs: Sequence[TextRun], tables: Sequence[_Table] | None = None
) -> str | None:
    """The page's text with each table as a Markdown table, or None when it has no table.

    The rest of the text keeps the order the page draws it in, a line break wherever the next
    run starts a new line. `tables` are the page's, when already found.
    """
    tables = find_tables(runs) if tables is None else tables
    if not tables:
        return None
    in_table = {run.order: t for t, table in enumerate(tables) for run in table.runs}
    out: list[str] = []
    done: set[int] = set()
    previous: TextRun | None = None
    for run in sorted(runs, key=lambda r: r.order):
        table = in_table.get(run.order)
        if table is not None:
            if table not in done:
                done.add(table)
                out.append(f"\n\n{tables[table].markdown}\n\n")
            previous = None
            continue
        if previous is not None and abs(previous.y - run.y) <= 0.3 * max(run.size, 1.0):
            out.append(" " + run.text)
        else:
            out.append(("\n" if out else "") + run.text)
        previous = run
    return "".join(out).strip()
