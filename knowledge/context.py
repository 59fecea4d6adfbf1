"""Small-to-big context: a matched chunk grows into its neighbours from the same section.

Small chunks match questions precisely but often hold a heading and not the fact under it; the
neighbouring chunks of the same section (same document, same heading) are joined on, before and
after in turn, until the passage reaches `max_chars`. Overlap carried between chunks is not
repeated. Flagged sentence spans move with the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from knowledge.types import Evidence

if TYPE_CHECKING:
    from knowledge.catalog import Catalog, ChunkRow

__all__ = ["continue_lists", "expand_context", "with_tables"]

MAX_CHARS = 1000
LIST_CHARS = 3000  # a passage that ends inside a list grows to finish it, up to this
_ITEM_LINE = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+\S")
_REACH = 3  # chunks looked at on each side


def _merge(left: str, right: str) -> tuple[str, int]:
    """`left` + `right` without the overlap `right` starts with; and where `right`'s text starts."""
    for size in range(min(len(left), len(right), 400), 20, -1):
        if left.endswith(right[:size]):
            return left + right[size:], len(left) - size
    return f"{left} {right}", len(left) + 1


def expand_context(
    catalog: Catalog, evidence: Sequence[Evidence], max_chars: int = MAX_CHARS
) -> list[Evidence]:
    """Each passage grown with neighbouring chunks of its section, up to `max_chars`."""
    out: list[Evidence] = []
    for ev in evidence:
        if len(ev.text) >= max_chars or not ev.doc_id:
            out.append(ev)
            continue
        positions = [
            ev.position + d for d in range(-_REACH, _REACH + 1) if d and ev.position + d >= 0
        ]
        rows = catalog.chunks_by_position(ev.doc_id, positions)
        same = {p: r for p, r in rows.items() if " > ".join(r.heading) == ev.heading}
        text, spans = ev.text, list(ev.flagged_spans)
        before, after = ev.position - 1, ev.position + 1
        while len(text) < max_chars and (before in same or after in same):
            if after in same:
                row: ChunkRow = same.pop(after)
                merged, offset = _merge(text, row.text)
                if len(merged) > max_chars * 1.3:
                    break
                spans += [(offset + a, offset + b) for a, b in row.flagged_spans]
                text, after = merged, after + 1
            if before in same and len(text) < max_chars:
                row = same.pop(before)
                merged, offset = _merge(row.text, text)
                if len(merged) > max_chars * 1.3:
                    break
                shift = len(merged) - len(text)
                spans = [(a + shift, b + shift) for a, b in spans] + list(row.flagged_spans)
                text, before = merged, before - 1
        spans = [(a, b) for a, b in spans if 0 <= a < b <= len(text)]
        out.append(replace(ev, text=text, flagged_spans=tuple(sorted(spans)), flagged=bool(spans)))
    return out


def continue_lists(catalog: Catalog, evidence: Sequence[Evidence]) -> list[Evidence]:
    """A passage that ends inside a list, with the rest of the list from the passages after it.

    The chunker cuts a long list between items, so "What are the five primary drivers?" could
    find three items and a lead-in that promises five. The next passages of the same section
    are joined on while they open with an item, up to LIST_CHARS; their flagged spans move
    with them.
    """
    out: list[Evidence] = []
    for ev in evidence:
        lines = ev.text.rstrip().splitlines()
        if not ev.doc_id or not lines or not _ITEM_LINE.match(lines[-1]):
            out.append(ev)
            continue
        rows = catalog.chunks_by_position(ev.doc_id, [ev.position + d for d in range(1, 4)])
        text, spans, after = ev.text, list(ev.flagged_spans), ev.position + 1
        while after in rows and " > ".join(rows[after].heading) == ev.heading:
            row = rows[after]
            merged, offset = _merge(text, row.text)
            if offset > len(text):  # no overlap: the next passage starts on a line of its own
                merged, offset = f"{text}\n{row.text}", len(text) + 1
            if len(merged) > LIST_CHARS or not _ITEM_LINE.match(merged[len(text) :].lstrip()):
                break
            spans += [(offset + a, offset + b) for a, b in row.flagged_spans]
            text, after = merged, after + 1
            if not _ITEM_LINE.match(text.rstrip().splitlines()[-1]):
                break  # the list ended in this passage
        if text is ev.text:
            out.append(ev)
            continue
        spans = [(a, b) for a, b in spans if 0 <= a < b <= len(text)]
        out.append(replace(ev, text=text, flagged_spans=tuple(sorted(spans)), flagged=bool(spans)))
    return out


def with_tables(catalog: Catalog, evidence: Sequence[Evidence]) -> list[Evidence]:
    """The evidence, plus the tables of the matched passages' sections that it lacks.

    A table embeds poorly (its rows are cells, not sentences), so "Which component did we rate
    lowest?" matches the prose under the ratings table, not the table. A table chunk within
    _REACH of a passage, under the same heading, is added after the evidence as its own passage.
    """
    from knowledge.sentences import table_cells

    out = list(evidence)
    seen = {(ev.doc_id, ev.position) for ev in evidence}
    for ev in evidence:
        if not ev.doc_id:
            continue
        positions = [ev.position + d for d in range(-_REACH, _REACH + 1) if d]
        rows = catalog.chunks_by_position(ev.doc_id, [p for p in positions if p >= 0])
        for position in sorted(rows):
            row = rows[position]
            if (ev.doc_id, position) in seen or " > ".join(row.heading) != ev.heading:
                continue
            if not any(table_cells(block) for block in row.text.split("\n\n")):
                continue
            seen.add((ev.doc_id, position))
            out.append(
                replace(
                    ev,
                    id=row.id,
                    text=row.text,
                    position=position,
                    flagged=row.flagged,
                    flagged_spans=row.flagged_spans,
                )
            )
    return out
