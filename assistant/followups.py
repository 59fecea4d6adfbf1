"""Offline follow-up rewriting ("And for component 4?") and component-aware query expansion."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.questions import NUMBER_VALUES

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_WORD_NUMBERS = {**NUMBER_VALUES, **_ORDINALS}
# "component 4", "principle three", "the second domain": a word and a number (or an ordinal
# and a word). Any word may name the parts; a reference only counts when the same word numbers
# a document title (expansion) or the earlier question (follow-ups), so "the next two years"
# changes nothing. Number words are general English, not the knowledge pack's vocabulary.
_NUMBER = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine"
_ORDINAL = "|".join(_ORDINALS)
_COMPONENT_REF = re.compile(
    rf"\b(?P<noun>[a-z]{{3,}})\s+(?P<n>{_NUMBER})\b"
    rf"|\b(?P<ord>{_ORDINAL})\s+(?P<noun2>[a-z]{{3,}})\b",
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


def _references(text: str) -> list[tuple[str, int]]:
    """Every (word, number) pair in the text: "component 4" → ("component", 4)."""
    found = []
    for match in _COMPONENT_REF.finditer(text):
        noun = (match.group("noun") or match.group("noun2")).lower()
        token = (match.group("n") or match.group("ord")).lower()
        number = int(token) if token.isdigit() else _WORD_NUMBERS.get(token)
        if number is not None:
            found.append((_singular(noun), number))
    return found


def _singular(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def expand_components(query: str, titles: Sequence[str] = ()) -> str:
    """Add the title of the document a numbered reference names ("component 4" → its title).

    Titles come from the knowledge base, so this works for any numbered parts a user's own
    documents have ("priority 2", "section 5"), not a list kept in code.
    """
    for noun, number in _references(query):
        pattern = re.compile(rf"\b{re.escape(noun)}s?\s+{number}\b", re.IGNORECASE)
        for title in titles:
            if pattern.search(title) and title.lower() not in query.lower():
                return f"{query} ({title})"
    return query


def is_follow_up(question: str) -> bool:
    words = question.split()
    if _FOLLOW_UP_START.match(question) and len(words) <= 10:
        return True
    return len(words) <= 6 and bool(_PRONOUN.search(question))


def rewrite_follow_up(question: str, previous_questions: Sequence[str]) -> str:
    """A standalone question from a follow-up and the user's earlier questions (rule-based).

    Each earlier question is made standalone in turn, and the topic a pronoun refers to is
    carried along, so a follow-up to a follow-up ("Who chairs it?" then "And when did it first
    meet?") still knows what "it" is.
    """
    previous, topic = "", ""
    for earlier in previous_questions:
        if earlier.strip():
            previous, topic = _rewrite(earlier.strip(), previous, topic)
    return _rewrite(question.strip(), previous, topic)[0]


def _rewrite(question: str, previous: str, topic: str) -> tuple[str, str]:
    """(the standalone question, the topic a later pronoun refers to)."""
    if not previous or not is_follow_up(question):
        return question, question.rstrip("?")
    asked = _references(question)
    earlier = {noun for noun, _ in _references(previous)}
    shared = next(((noun, n) for noun, n in asked if noun in earlier), None)
    if shared is not None:  # "And for component 4?" after "What is component 2 about?"
        noun, number = shared

        def renumber(m: re.Match[str]) -> str:
            word = m.group("noun") or m.group("noun2")
            return f"{word} {number}" if _singular(word.lower()) == noun else m.group(0)

        text = _COMPONENT_REF.sub(renumber, previous)
        return text, text.rstrip("?")
    remainder = _LEAD.sub("", question).strip().rstrip("?").strip()
    if _FOLLOW_UP_START.match(question) and remainder and not _PRONOUN.search(remainder):
        tail = _TAIL_TOPIC.search(previous)
        if tail:
            start, end = tail.span(2)
            text = f"{previous[:start]}{remainder}{previous[end:]}".strip()
        else:
            text = f"{previous.rstrip('?')} - {remainder}?"
        return text, text.rstrip("?")
    topic = topic or previous.rstrip("?")
    return f"{question.rstrip('?')} ({topic})?", topic
