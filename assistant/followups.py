"""Offline follow-up rewriting ("And for component 4?") and component-aware query expansion."""

from __future__ import annotations

import re
from collections.abc import Sequence

COMPONENTS: dict[int, str] = {
    1: "building a shared purpose and vision",
    2: "investing in people and culture",
    3: "developing leadership behaviours",
    4: "building improvement capability and capacity",
    5: "embedding improvement into management systems and processes",
}
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
}
_COMPONENT_REF = re.compile(
    r"\bcomponent\s+(\d|one|two|three|four|five)\b|\b(first|second|third|fourth|fifth)\s+component\b",
    re.IGNORECASE,
)
_FOLLOW_UP_START = re.compile(
    r"^\s*(and|also|what about|how about|and what about|and for|and how about|same for|"
    r"what of|or|then|but)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(it|its|that|this|they|them|their|those|these|he|she|him|her)\b", re.I)
_TAIL_TOPIC = re.compile(r"\b(for|about|on|of|in|under|with)\s+([^?]+?)\s*\??\s*$", re.IGNORECASE)
_LEAD = re.compile(
    r"^\s*(and|also|what about|how about|and what about|and for|and how about|same for|what of|"
    r"or|then|but)\s+(for\s+|about\s+)?",
    re.IGNORECASE,
)


def component_number(text: str) -> int | None:
    match = _COMPONENT_REF.search(text)
    if not match:
        return None
    token = (match.group(1) or match.group(2)).lower()
    return int(token) if token.isdigit() else _WORD_NUMBERS.get(token)


def expand_components(query: str) -> str:
    """Add the component's name after 'component N' so retrieval matches documents by name."""
    number = component_number(query)
    if number in COMPONENTS and COMPONENTS[number] not in query.lower():
        return f"{query} ({COMPONENTS[number]})"
    return query


def is_follow_up(question: str) -> bool:
    words = question.split()
    if _FOLLOW_UP_START.match(question) and len(words) <= 10:
        return True
    return len(words) <= 6 and bool(_PRONOUN.search(question))


def rewrite_follow_up(question: str, previous_questions: Sequence[str]) -> str:
    """A standalone question from a follow-up and the user's earlier questions (rule-based)."""
    question = question.strip()
    previous = next((q for q in reversed(previous_questions) if q.strip()), "")
    if not previous or not is_follow_up(question):
        return question
    new_component = component_number(question)
    if new_component is not None and component_number(previous) is not None:
        return _COMPONENT_REF.sub(f"component {new_component}", previous, count=1)
    remainder = _LEAD.sub("", question).strip().rstrip("?").strip()
    if _FOLLOW_UP_START.match(question) and remainder and not _PRONOUN.search(remainder):
        tail = _TAIL_TOPIC.search(previous)
        if tail:
            start, end = tail.span(2)
            return f"{previous[:start]}{remainder}{previous[end:]}".strip()
        return f"{previous.rstrip('?')} - {remainder}?"
    return f"{question.rstrip('?')} ({previous.rstrip('?')})?"
