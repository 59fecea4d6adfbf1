"""Due dates in board notes, resolved against the meeting date (and the next board, when known).

Conventions (also in the README): a month ("by March", "in July", "end of June") means its last
day, the next one on or after the meeting; "within six weeks" counts from the meeting; "next
month" is the end of next month; "next week" is the Friday of next week; quarters are those of
the NHS financial year (Q1 April-June ... Q4 January-March), so "by Q3" is 31 December;
"end of the financial year" and "year end" are 31 March; "end of the year" is 31 December;
"before the next board" is the next board's date when the session knows it, otherwise no date.
Vague times ("in the autumn", "the new year", "ongoing", "TBC") give no date: never a guess.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Due", "absolute_due", "add_months", "find_due", "parse_date"]

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18,
    "a couple of": 2, "couple of": 2,
}  # fmt: skip
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>day|week|fortnight|month|year)s?(?:'s|s')?"


@dataclass(frozen=True)
class Due:
    """A due date found in text: the date (None when it cannot be resolved) and the words."""

    date: date | None
    text: str
    start: int
    end: int


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_month_end(meeting: date, month: int, year: int | None = None) -> date:
    if year is not None:
        return _month_end(year, month)
    end = _month_end(meeting.year, month)
    return end if end >= meeting else _month_end(meeting.year + 1, month)


def _next_day_month(meeting: date, day: int, month: int, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        found = date(meeting.year, month, day)
        return found if found >= meeting else date(meeting.year + 1, month, day)
    except ValueError:
        return None


def _quarter_end(meeting: date, quarter: int | None, offset: int = 0) -> date:
    """End of NHS financial-year quarter `quarter` (1 = April-June), next on or after meeting;
    quarter None = the quarter the meeting is in, moved on by `offset` quarters."""
    if quarter is None:
        end = _month_end(meeting.year, ((meeting.month - 1) // 3) * 3 + 3)
        return _month_end(*_shift(end, 3 * offset)) if offset else end
    month = {1: 6, 2: 9, 3: 12, 4: 3}[quarter]
    return _next_month_end(meeting, month)


def _shift(day: date, months: int) -> tuple[int, int]:
    moved = add_months(date(day.year, day.month, 1), months)
    return moved.year, moved.month


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def parse_date(text: str, meeting: date | None = None) -> date | None:
    """An absolute date (2025-03-31, 31/03/2025, 31 March [2025], March 31[, 2025]) or None."""
    due = _absolute(text.strip(), meeting or date.today())
    return due.date if due is not None and due.start == 0 else None


def absolute_due(text: str, meeting: date) -> Due | None:
    """The first absolute date written in the text (no relative phrases), or None."""
    return _absolute(text, meeting)


_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{2}|\d{4})\b")
_DAY_MONTH = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<y>\d{4}))?", re.I
)
_MONTH_DAY = re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?", re.I)


def _absolute(text: str, meeting: date) -> Due | None:
    found: list[Due] = []
    for match in _ISO.finditer(text):
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        found.append(Due(day, match.group(0), match.start(), match.end()))
    for match in _NUMERIC.finditer(text):
        try:
            day = date(_year(match["y"]) or meeting.year, int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        found.append(Due(day, match.group(0), match.start(), match.end()))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            month = _MONTHS[match["month"].lower()]
            resolved = _next_day_month(meeting, int(match["d"]), month, _year(match["y"]))
            if resolved is not None:
                found.append(Due(resolved, match.group(0), match.start(), match.end()))
    if not found:
        return None
    first = min(found, key=lambda d: d.start)
    return Due(first.date, first.text.rstrip("."), first.start, first.end)


_RELATIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:before|by|for|at|to)\s+(?:the\s+)?next\s+(?:public\s+)?board(?:\s+meeting)?\b|\bnext\s+board\s+meeting\b", re.I), "next_board"),
    (re.compile(r"\b(?:end\s+of\s+(?:the\s+)?|by\s+)?(?:financial\s+year[\s-]end|year[\s-]end|end\s+of\s+(?:the\s+)?financial\s+year)\b", re.I), "fy_end"),
    (re.compile(r"\bend\s+of\s+(?:the\s+|this\s+)?(?:calendar\s+)?year\b", re.I), "year_end"),
    (re.compile(r"\b(?:end\s+of\s+)?next\s+quarter\b", re.I), "next_quarter"),
    (re.compile(r"\bend\s+of\s+(?:the\s+|this\s+)?quarter\b|\bthis\s+quarter\b", re.I), "quarter"),
    (re.compile(r"\b(?:end\s+of\s+)?Q(?P<q>[1-4])\b", re.I), "fy_quarter"),
    (re.compile(r"\b(?:within|in|over\s+the\s+next|inside)\s+(?:the\s+next\s+)?" + _NUMBER + r"\s+" + _UNIT + r"(?:\s+time)?", re.I), "within"),
    (re.compile(r"\bwithin\s+(?:a\s+)?(?P<unit>fortnight|week|month|year)\b", re.I), "within_one"),
    (re.compile(r"\b(?:end\s+of\s+)?next\s+month\b", re.I), "next_month"),
    (re.compile(r"\b(?:end\s+of\s+(?:the\s+|this\s+)?month|this\s+month)\b", re.I), "this_month"),
    (re.compile(r"\bnext\s+week\b", re.I), "next_week"),
    (re.compile(r"\b(?:end\s+of\s+)?this\s+week\b", re.I), "this_week"),
    (re.compile(r"\b(?:by|on|before|this|next)\s+(?P<wd>" + "|".join(_WEEKDAYS) + r")\b", re.I), "weekday"),
    (re.compile(r"\b(?:before|by)\s+christmas\b", re.I), "christmas"),
    (re.compile(r"\bthe\s+" + _MONTH + r"\s+(?:[a-z-]+\s+){0,2}(?:board|meeting|session|committee)\b", re.I), "month_board"),
    (re.compile(r"\b(?:by|in|from|during|until|for|before\s+the\s+end\s+of|end\s+of|by\s+the\s+end\s+of|the\s+end\s+of|starting(?:\s+with\s+[^,.;]{0,60}?)?\s+in)\s+(?:early\s+|mid[\s-]|late\s+)?" + _MONTH + r"(?:\s+(?P<y>\d{4}))?", re.I), "month"),
    (re.compile(r"(?:^|[-–—,(:]\s*|\bdue\s*:?\s*)" + _MONTH + r"(?:\s+(?P<y>\d{4}))?\s*(?:$|[)–—,;.-])", re.I), "bare_month"),
]  # fmt: skip


def find_due(text: str, meeting: date, next_board: date | None = None) -> Due | None:
    """The due date the text gives, resolved from `meeting` (None when the text gives none).

    When several expressions are present the first one wins; a phrase that cannot be resolved
    (the next board's date is unknown) is returned with date None so callers can show it.
    """
    candidates: list[Due] = []
    absolute = _absolute(text, meeting)
    if absolute is not None:
        candidates.append(absolute)
    for pattern, kind in _RELATIVE:
        for match in pattern.finditer(text):
            resolved = _resolve(kind, match, meeting, next_board)
            candidates.append(
                Due(resolved, match.group(0).strip(" -–—,(:;."), match.start(), match.end())
            )
    if not candidates:
        return None
    # earliest in the text; at the same place the longer (more specific) phrase
    return min(candidates, key=lambda d: (d.start, -(d.end - d.start)))


def _resolve(
    kind: str, match: re.Match[str], meeting: date, next_board: date | None
) -> date | None:
    groups = match.groupdict()
    if kind == "next_board":
        return next_board
    if kind == "fy_end":
        return _next_month_end(meeting, 3)
    if kind == "year_end":
        return date(meeting.year, 12, 31)
    if kind == "quarter":
        return _quarter_end(meeting, None)
    if kind == "next_quarter":
        return _quarter_end(meeting, None, offset=1)
    if kind == "fy_quarter":
        return _quarter_end(meeting, int(groups["q"]))
    if kind in ("within", "within_one"):
        raw = (groups.get("n") or "1").lower()
        n = int(raw) if raw.isdigit() else _NUMBERS[raw]
        unit = groups["unit"].lower()
        if unit == "day":
            return meeting + timedelta(days=n)
        if unit == "week":
            return meeting + timedelta(weeks=n)
        if unit == "fortnight":
            return meeting + timedelta(weeks=2 * n)
        if unit == "month":
            return add_months(meeting, n)
        return add_months(meeting, 12 * n)
    if kind == "next_month":
        return _month_end(*_shift(meeting, 1))
    if kind == "this_month":
        return _month_end(meeting.year, meeting.month)
    if kind == "next_week":
        return meeting + timedelta(days=7 - meeting.weekday() + 4)
    if kind == "this_week":
        return meeting + timedelta(days=max(4 - meeting.weekday(), 0))
    if kind == "weekday":
        wanted = _WEEKDAYS[groups["wd"].lower()]
        ahead = (wanted - meeting.weekday()) % 7 or 7
        if match.group(0).lower().startswith("next") and ahead < 7 - meeting.weekday():
            ahead += 7
        return meeting + timedelta(days=ahead)
    if kind == "christmas":
        return _next_day_month(meeting, 25, 12, None)
    month = _MONTHS[groups["month"].lower()]
    if kind == "month_board" and next_board is not None and next_board.month == month:
        return next_board
    return _next_month_end(meeting, month, _year(groups.get("y")))
