"""Months as tables head their columns ("Jun 2024", "Sept"), read as the months they are.

A question says "June"; a performance report's table says "Jun 2024". The lexical search is given
the short form beside the full one, and the answerer's word matching reads the short form as
the month (`assistant.questions.stems`). Not "May" (the same either way) nor "Mar" (also a
word of its own).
"""

from __future__ import annotations

import re

__all__ = ["MONTH_SHORT", "short_month", "with_month_abbreviations"]

MONTH_SHORT = {
    "jan": "january",
    "feb": "february",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}
_SHORT = {full: short for short, full in reversed(MONTH_SHORT.items())}  # "september": "sep"
_FULL = re.compile(rf"\b({'|'.join(_SHORT)})\b", re.IGNORECASE)


def with_month_abbreviations(query: str) -> str:
    """The query with the short form of each month it names in full ("... in June" -> "... in
    June Jun"), for a search by words."""
    shorts = dict.fromkeys(_SHORT[m.group(1).lower()] for m in _FULL.finditer(query))
    return f"{query} {' '.join(shorts)}" if shorts else query


def short_month(name: str) -> str | None:
    """The short form of a month named in full ("April" -> "apr"), else None."""
    return _SHORT.get(name.strip().lower())
