"""Offline follow-up rewriting ("And for component 4?") and component-aware query expansion."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.questions import (
    NUMBER_VALUES,
    ORDINAL_VALUES,
    extreme_word,
    form_as_question,
    stems,
)

_ORDINALS = ORDINAL_VALUES
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
# "the fourth NHS IMPACT component": a name of a word or two may stand between an ordinal and
# its noun (expansion only: a follow-up's references are the plain forms above).
_ORDINAL_AHEAD = re.compile(
    rf"\b(?P<ord>{_ORDINAL})\s+(?:[A-Za-z]+\s+){{1,2}}(?P<noun>[a-z]{{3,}})\b", re.IGNORECASE
)
# "it" as the object of a verb ("send it", "funds it") stands for a thing talked about, whatever
# else the question names; after "is", "does" and the like it may be a dummy ("Is it true that
# NHS IMPACT ...?") and the other rules decide.
_OBJECT_IT = re.compile(
    r"\b(?!(?:is|was|are|were|be|been|being|does|did|do|will|would|can|could|should|shall|may|"
    r"might|must|has|have|had|that|and|or|but|if|what|when|where|why|how|who|which|of)\b)"
    r"[a-z]+\s+it\b(?!\s+(?:is|was|has|had|will|would|that)\b)",
    re.IGNORECASE,
)
# How a follow-up opens ("And for component 4?", "What about the NIB?").
_OPENERS = (
    "and|also|what about|how about|and what about|and for|and how about|same for|what of|or|"
    "then|but"
)
_FOLLOW_UP_START = re.compile(rf"^\s*({_OPENERS})\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(it|its|that|this|they|them|their|those|these|he|she|him|her)\b", re.I)
# A pronoun standing in for the thing talked about (not "this component", "that year"): "it",
# or a demonstrative standing alone ("What does that mean for us?", "When was that?").
_STANDS_IN = re.compile(
    r"\b(it|they|them)\b|\b(this|that)\b(?=\s*(?:[?.!,;]|$)|\s+(?:mean|means|meant|say|"
    r"says|said|is|was|happen|happened|matter|matters)\b)",
    re.IGNORECASE,
)
# "What is X?", "Who are X?", "Tell me about X": X is the topic, plainly.
_ABOUT = re.compile(
    r"^(?:(?:can|could) you\s+)?(?:tell me (?:more )?about|explain|describe|"
    r"(?:what|who) (?:is|are|was|were))\s+(?P<topic>[^?]+?)[?.!\s]*$",
    re.IGNORECASE,
)
_TAIL_TOPIC = re.compile(r"\b(for|about|on|of|in|under|with)\s+([^?]+?)\s*\??\s*$", re.IGNORECASE)
_LEAD = re.compile(rf"^\s*({_OPENERS})\s+(for\s+|about\s+)?", re.IGNORECASE)


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
    ahead = [
        (_singular(m.group("noun").lower()), _ORDINALS[m.group("ord").lower()])
        for m in _ORDINAL_AHEAD.finditer(query)
    ]
    for noun, number in _references(query) + ahead:
        pattern = re.compile(rf"\b{re.escape(noun)}s?\s+{number}\b", re.IGNORECASE)
        for title in titles:
            if pattern.search(title) and title.lower() not in query.lower():
                return f"{query} ({title})"
    return query


def is_follow_up(question: str) -> bool:
    """Does the question lean on the conversation ("And for component 4?", "Who chairs it?",
    "How many systems did it draw on?", "Why not?")?"""
    words = question.split()
    if _FOLLOW_UP_START.match(question) and len(words) <= 10:
        return True
    if not stems(question):
        return True  # no word of its own to look up: "Why not?", "How so?"
    if len(words) <= 6 and _PRONOUN.search(question):
        return True
    if _OBJECT_IT.search(question):
        return True  # "Do we have to send it to NHS England?": "it" is what was talked about
    if len(stems(question)) == 1 and _THE_ONE_THING.search(question):
        return True  # "What is the target?": the target of what was just talked about
    # A longer question leans on "it" or "they" when it names nothing itself ("How many systems
    # did it draw on?"); "Is it true that NHS IMPACT ...?" is about what it names.
    return (
        len(words) <= 12
        and bool(_STANDS_IN.search(question))
        and not _capitalised_after_first(words)
    )


# a question whose only word of its own is one thing named with "the" ("What is the target?",
# "When is the deadline?"); a name in capitals names its own topic ("What is the NIB?")
_THE_ONE_THING = re.compile(r"\bthe\s+[a-z][\w-]*\s*\??\s*$")


def _capitalised_after_first(words: Sequence[str]) -> bool:
    """The question names something: a capitalised word after the first ("NHS IMPACT"), or a
    first word with capitals past its first letter, an acronym ("AQuA: when was it formed?")."""
    first = words[0].strip(".,:;!?-\u2013\u2014") if words else ""
    return any(w[:1].isupper() for w in words[1:]) or any(c.isupper() for c in first[1:])


def needs_context(question: str) -> bool:
    """Can the question only be read after another one? "Why not?", or "it" or "they" with one
    or two words of its own and no name ("When was it published?", "Who chairs it?")."""
    words = question.split()
    own = stems(question)
    if not own:
        return True
    return (
        bool(_STANDS_IN.search(question)) and len(own) <= 2 and not _capitalised_after_first(words)
    )


def topic_of(question: str) -> str | None:
    """What a question is about, when its form says so plainly: "What is the NIB?" and "Tell me
    about the NIB" are about "the NIB". None for other forms ("What did the report find?")."""
    match = _ABOUT.match(question.strip())
    if not match:
        return None
    # "What is component 2 about?": the topic is "component 2".
    topic = re.sub(r"\s+(about|for|of|on)$", "", match.group("topic").strip(), flags=re.I)
    return topic if stems(topic) else None


_POINTER = "one|item|point|bullet"  # "the second one", "the last item"
_NTH = re.compile(
    rf"^\s*(?:(?:{_OPENERS})\s+|tell me (?:more )?about\s+|more on\s+)?"
    rf"the\s+(?P<ord>{_ORDINAL}|last)(?:\s+(?:{_POINTER}))?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# ... or inside a question: "Who owns the third one?", "When is the last item due?"
_NTH_INSIDE = re.compile(rf"\bthe\s+(?P<ord>{_ORDINAL}|last)\s+(?:{_POINTER})\b", re.IGNORECASE)
_ITEM = re.compile(r"^\s*-\s+(?P<text>.+?)\s*$")
_MARKERS = re.compile(r"\s*\[\d+\]")


_TITLE_WORDS = 6  # an item that opens with a short sentence is named by it


def list_item_asked(question: str, previous_answer: str) -> str | None:
    """ "And the second one?" after an answer that was a list: a question about that item
    ("Tell me about investing in people and culture"). None when the question points at no
    item of the previous answer."""
    match = _NTH.match(question) or _NTH_INSIDE.search(question)
    if not match:
        return None
    items = [
        _MARKERS.sub("", m.group("text")).strip().rstrip(".;:")
        for m in map(_ITEM.match, previous_answer.splitlines())
        if m
    ]
    token = match.group("ord").lower()
    index = len(items) if token == "last" else _ORDINALS[token]
    if not items or index > len(items):
        return None
    item = items[index - 1]
    head, stop, _ = item.partition(". ")
    if stop and len(head.split()) <= _TITLE_WORDS:
        item = head  # "Leadership behaviours for improvement. Behaviours that ...": its name
    words = item.split()
    if len(words) > 1 and words[0][1:].islower() and words[1].islower():
        item = item[0].lower() + item[1:]  # a sentence-case item, not a name: "investing in ..."
    if match.re is _NTH_INSIDE:
        # "Who owns the third one?" asks its own question of the item: "Who owns <item>?"
        return f"{question[: match.start()]}{item.rstrip('.')}{question[match.end() :]}"
    return f"Tell me about {item}"


def rewrite_follow_up(question: str, previous_questions: Sequence[str]) -> str:
    """A standalone question from a follow-up and the user's earlier questions (rule-based).

    Each earlier question is made standalone in turn, and the topic a pronoun refers to is
    carried along, so a follow-up to a follow-up ("Who chairs it?" then "And when did it first
    meet?") still knows what "it" is. When the topic was named plainly ("What is the NIB?"),
    "it" is replaced by it ("Who chairs the NIB?"); otherwise the topic follows in brackets.
    """
    previous, topic = "", _Topic("", False)
    for earlier in previous_questions:
        if earlier.strip():
            # (as the question it asked: "Summarise NHS IMPACT in three bullet points" is about
            # NHS IMPACT, so a later "Who launched it?" asks who launched NHS IMPACT)
            previous, topic = _rewrite(form_as_question(earlier.strip()), previous, topic)
    return _rewrite(question.strip(), previous, topic)[0]


def aspect_follow_up(question: str, previous_questions: Sequence[str]) -> str | None:
    """ "What about the deputy?" as a part of the thing talked about: "the deputy of the
    National Improvement Board?". The answerer asks this when the usual reading (the last
    question asked again of "the deputy") only repeats the last answer. None when the question
    is not such a follow-up or no thing has been named plainly."""
    if not _FOLLOW_UP_START.match(question):
        return None
    remainder = _LEAD.sub("", question).strip().rstrip("?").strip()
    if not stems(remainder) or _PRONOUN.search(remainder):
        return None
    previous, topic = "", _Topic("", False)
    for earlier in previous_questions:
        if earlier.strip():
            previous, topic = _rewrite(earlier.strip(), previous, topic)
    if not topic.plain or set(stems(topic.text)) <= set(stems(remainder)):
        return None
    return f"{remainder} of {topic.text}?"


def said_before(text: str, said: set[str]) -> bool:
    """Does this answer open with a sentence an earlier answer gave (whatever follows it)?"""
    before = " ".join(_MARKERS.sub("", t) for t in said)
    first = next((p.strip(" -\n.:") for p in _MARKERS.split(text) if p.strip(" -\n.:")), "")
    return bool(first) and first in before


_CODE = re.compile(r"(?=[\w./-]*\d)[A-Za-z0-9][\w./-]*[A-Za-z0-9]|\d")


def _shape(token: str) -> str:
    """ "MV-2025/32" -> "AA-9999/99": letters and digits by kind, punctuation as it is."""
    return re.sub(r"[A-Za-z]", "A", re.sub(r"\d", "9", token))


def _swap_same_shape(previous: str, remainder: str) -> str | None:
    """The previous question with its reference code replaced by the one the follow-up names,
    when both are written the same way ("MV-2025/32" and "MV-2025/34", "Q2" and "Q3")."""
    new = _CODE.fullmatch(re.sub(r"^(?:in|for|on|at|of|by)\s+", "", remainder.strip(), flags=re.I))
    if not new:
        return None
    olds = [m for m in _CODE.finditer(previous) if _shape(m.group(0)) == _shape(new.group(0))]
    if len(olds) != 1 or olds[0].group(0) == new.group(0):
        return None
    old = olds[0]
    rest = previous[old.end() :]
    if rest.startswith(";"):
        # the code heads a table row asked about before ("Who owns Ref: HC-26/08; Action: ...;
        # Owner: ...?"): the rest of that row is not about the new code
        rest = "?" if previous.rstrip().endswith("?") else ""
    return f"{previous[: old.start()]}{new.group(0)}{rest}"


def _swap_extreme(previous: str, remainder: str) -> str | None:
    """A follow-up to a "lowest/highest" question: "And the lowest?" asks the same of the other
    end; "What about sickness absence?" asks the same extreme of another measure. None when the
    previous question asked for no extreme, or the follow-up leans on a pronoun."""
    was = extreme_word(previous)
    if was is None or not remainder or _PRONOUN.search(remainder):
        return None
    words = remainder.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    now = extreme_word(" ".join(words))
    if now is not None and len(words) <= 2:
        # "the lowest", "lowest one": the other end of the same measure
        return f"{previous[: was.start()]}{now.group(0).lower()}{previous[was.end() :]}"
    if now is None and len(words) <= 5:
        # "sickness absence": the same end of another measure
        return f"{previous[: was.end()]} {remainder}?"
    return None


def _names_anything(question: str) -> bool:
    """Does the question name something of its own: a capitalised word after the first, or a
    code with digits in it?"""
    return _capitalised_after_first(question.split()) or bool(_CODE.search(question))


# "the validation sprint", "the business case": a definite noun phrase of two or more words
# closing the question. One word ("the course") is too general to be a new topic: it is usually
# part of the one before.
# A name a question ends on: "the NIB", "the Flow Coaching Academy", "the National Improvement
# Board"
_LAST_NAME = re.compile(
    r"\b(the\s+[A-Z][\w-]*(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w-]*){0,5})\s*[?.!]*\s*$"
)
_LAST_THING = re.compile(r"\b(the\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){1,3})\s*[?.!]*\s*$", re.I)


def _new_thing(question: str, topic: str) -> str | None:
    """The thing a question names last, when none of its words is in the current topic."""
    match = _LAST_THING.search(question)
    if match is None or not topic:
        return None
    words = set(stems(match.group(1)))
    if len(words) < 2 or words & set(stems(topic)):
        return None
    return match.group(1)


@dataclass(frozen=True)
class _Topic:
    text: str
    plain: bool  # a noun phrase ("the NIB"), not a whole question


_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|are|were)\b", re.IGNORECASE)


def _same_opening(previous: str, remainder: str) -> int | None:
    """Where the previous question's last phrase opening with the word the remainder opens with
    ("in" of "in October") starts, when the remainder opens with such a word; else None."""
    lead = _TAIL_TOPIC.match(remainder)
    if lead is None:
        return None
    starts = [m.start() for m in re.finditer(rf"\b{lead.group(1)}\s", previous, re.IGNORECASE)]
    return starts[-1] if starts else None


def _rewrite(question: str, previous: str, topic: _Topic) -> tuple[str, _Topic]:
    """(the standalone question, the topic a later pronoun refers to)."""
    if not previous or not is_follow_up(question):
        named = topic_of(question)
        if named and topic.plain and _WHO_IS.match(question):
            # "Who is the deputy chair?" after "Tell me about the NIB" names a person: a later
            # "When did it first meet?" is still about the NIB ("it" is never a person)
            return question, topic
        if named:
            return question, _Topic(named, True)
        thing = _new_thing(question, topic.text)
        if thing:
            # "Who owns the validation sprint?" after "What are the recovery actions?": a later
            # "When is it due?" asks about the sprint.
            return question, _Topic(thing, True)
        ended = _LAST_NAME.search(question)
        if ended and not topic.text:
            # "Who chairs the NIB?": a later "When did it first meet?" is about the NIB, the
            # name the question ends on
            return question, _Topic(ended.group(1), True)
        if topic.plain and not _names_anything(question):
            # "How long is the course?" after "Tell me about the Flow Coaching Academy" names
            # nothing new: a later "Who funds it?" is still about the academy.
            return question, topic
        return question, _Topic(question.rstrip("?"), False)
    asked = _references(question)
    earlier = {noun for noun, _ in _references(previous)}
    shared = next(((noun, n) for noun, n in asked if noun in earlier), None)
    if shared is not None:  # "And for component 4?" after "What is component 2 about?"
        noun, number = shared

        def renumber(m: re.Match[str]) -> str:
            word = m.group("noun") or m.group("noun2")
            return f"{word} {number}" if _singular(word.lower()) == noun else m.group(0)

        text = _COMPONENT_REF.sub(renumber, previous)
        return text, _Topic(text.rstrip("?"), False)
    remainder = _LEAD.sub("", question).strip().rstrip("?").strip()
    extreme = _swap_extreme(previous, remainder) if _FOLLOW_UP_START.match(question) else None
    if extreme:  # "And the lowest?" after "Which division had the highest agency spend?"
        return extreme, _Topic(extreme.rstrip("?"), False)
    swapped = _swap_same_shape(previous, remainder) if _FOLLOW_UP_START.match(question) else None
    if swapped:  # "And MV-2025/34?" after "Who owns action MV-2025/32?"
        return swapped, _Topic(swapped.rstrip("?"), False)
    if _FOLLOW_UP_START.match(question) and remainder and not _PRONOUN.search(remainder):
        tail = _TAIL_TOPIC.search(previous)
        same = _same_opening(previous, remainder)
        if same is not None:
            # "And in October?" after "What was the falls rate on Ward 3 in November?" swaps the
            # last phrase that opens with the same word: "... on Ward 3 in October?"
            text = f"{previous[:same]}{remainder}?"
        elif tail and set(stems(tail.group(2))) <= set(stems(remainder)):
            # "What about the deputy of the NIB?" after "... of the NIB?" names its topic itself
            text = f"{remainder}?"
        elif tail:
            start, end = tail.span(2)
            text = f"{previous[:start]}{remainder}{previous[end:]}".strip()
        else:
            text = f"{previous.rstrip('?')} - {remainder}?"
        # "And the deputy?" after "Who chairs the NIB?" asks about a part of the NIB: a later
        # "When did it first meet?" is still about the NIB, not "the NIB - the deputy"
        return text, topic if topic.plain else _Topic(text.rstrip("?"), False)
    if not stems(question):  # "Why not?" asks about the last question itself
        return f"{question.rstrip('?')} ({previous.rstrip('?')})?", topic
    if not topic.text:
        topic = _Topic(previous.rstrip("?"), False)
    if topic.plain and _STANDS_IN.search(question):
        # "Who chairs it?" after "What is the NIB?" reads "Who chairs the NIB?"
        text = _STANDS_IN.sub(lambda _: topic.text, question.strip().rstrip("?"), count=1)
        return f"{text}?", topic
    return f"{question.rstrip('?')} ({topic.text})?", topic
