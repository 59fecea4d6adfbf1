"""Citation markers in answer text: [1], [2, 3], [1][4], [1-3]; parsing and checking."""

from __future__ import annotations

import re

__all__ = ["cited_numbers", "strip_invalid_citations"]

# [1], [2, 3], [2; 3], [1-3] (also with an en dash); numbers of up to three digits, so "[2023]" is
# not read as a citation.
_CITATION = re.compile(
    r"(?P<lead>[ \t]*)\[\s*(?P<body>\d{1,3}(?:\s*(?:[,;]|[-\u2013])\s*\d{1,3})*)\s*\]"
)
_RANGE_LIMIT = 20


def _numbers(body: str) -> list[int]:
    found: list[int] = []
    for part in re.split(r"\s*[,;]\s*", body):
        ends = [int(x) for x in re.split(r"\s*[-\u2013]\s*", part) if x]
        if len(ends) == 2 and 0 <= ends[1] - ends[0] <= _RANGE_LIMIT:
            numbers = list(range(ends[0], ends[1] + 1))
        else:
            numbers = ends
        found.extend(n for n in numbers if n not in found)
    return found


def cited_numbers(text: str) -> set[int]:
    """Every passage number cited in `text`: [1], [2, 3], [1][4] and [1-3] forms."""
    return {n for m in _CITATION.finditer(text) for n in _numbers(m.group("body"))}


def strip_invalid_citations(text: str, valid: set[int]) -> tuple[str, set[int]]:
    """`text` without citations of numbers outside `valid`, and the valid numbers it still cites."""
    cited: set[int] = set()

    def fix(match: re.Match[str]) -> str:
        numbers = _numbers(match.group("body"))
        keep = [n for n in numbers if n in valid]
        cited.update(keep)
        if keep == numbers:
            return match.group(0)
        if keep:
            return f"{match.group('lead')}[{', '.join(str(n) for n in keep)}]"
        following = text[match.end() : match.end() + 1]
        # Drop the space before a removed marker unless a word follows it directly.
        if not following or following.isspace() or following in ".,;:!?)":
            return ""
        return match.group("lead")

    return _CITATION.sub(fix, text), cited
