"""A question that asks for an item by its place in a list the evidence does not reach.

"What is the fifth principle?" or "What are principles 3 to 5?" asks for the fifth item of a
list. When the evidence holds that list (a list whose heading or lead-in names the same thing)
but the list stops at four, and no passage names a fifth one, the knowledge base does not have
the answer: the assistant says so instead of showing the four it has as if they answered.

Only general English is read here: ordinal and number words, and the noun they number. Places
one and two are never checked ("first" and "second" also mean "earliest" and "next").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.extractive import candidates_of
from assistant.questions import NUMBER_VALUES, ORDINAL_VALUES, number_word, stems
from knowledge import Evidence

__all__ = ["PositionGap", "asked_position", "position_gap"]

ORDINALS = {word: n for word, n in ORDINAL_VALUES.items() if n >= 3}
_ORDINAL = "|".join(ORDINALS)
_NUMBER = r"\d{1,2}|" + "|".join(NUMBER_VALUES)
_LINK = r"of|in|for|on|from|under|that|which|listed|named|set|does|do|is|was|are|were|and|by"
# "the fifth core component of ...", "the eighth well-led quality statement for trusts":
# up to three words between the ordinal and the noun it numbers, which ends the phrase.
_NTH = re.compile(
    rf"\b(?P<ord>{_ORDINAL}|(?:[3-9]|1[0-2])(?:th|rd))\s+(?:[\w'\u2019-]+\s+){{0,3}}?"
    rf"(?P<noun>[a-z]{{3,}})(?=\s+(?:{_LINK})\b|\s*[?.,;:!]|\s*$)",
    re.IGNORECASE,
)
# "principles 3 to 5", "principles three, four and five", "steps 4-6"
_RANGE = re.compile(
    rf"\b(?P<noun>[a-z]{{3,}}s)\s+(?P<nums>(?:{_NUMBER})(?:\s*(?:,|and|to|-|\u2013|or)\s*"
    rf"(?:{_NUMBER}))+)\b",
    re.IGNORECASE,
)
_NUM = re.compile(rf"\b(?:{_NUMBER})\b", re.IGNORECASE)


@dataclass(frozen=True)
class PositionGap:
    noun: str  # what the list holds, as the question says it ("principle")
    asked: int  # the place asked for
    listed: int  # how many items the longest matching list in the evidence has

    def reason(self) -> str:
        word = next((w for w, n in ORDINALS.items() if n == self.asked), f"{self.asked}th")
        listed = number_word(self.listed)
        article = "an" if word[0] in "aeiou8" or word.startswith(("11", "18")) else "a"
        return (
            f"its documents list only {listed} {self.noun}s, so they do not give {article} {word}"
        )


def _value(token: str) -> int | None:
    low = token.lower()
    if low.isdigit():
        return int(low)
    if low in ORDINALS:
        return ORDINALS[low]
    if low[:-2].isdigit():
        return int(low[:-2])
    return NUMBER_VALUES.get(low)


def asked_position(question: str) -> tuple[str, int] | None:
    """(noun, place) for the furthest place the question asks for, from three on; else None."""
    found: list[tuple[str, int]] = []
    for m in _NTH.finditer(question):
        n = _value(m.group("ord"))
        if n is not None:
            found.append((m.group("noun").lower(), n))
    for m in _RANGE.finditer(question):
        values = [v for v in (_value(t) for t in _NUM.findall(m.group("nums"))) if v]
        if values:
            found.append((m.group("noun").lower().removesuffix("s"), max(values)))
    found = [(noun, n) for noun, n in found if n >= 3]
    return max(found, key=lambda f: f[1]) if found else None


def position_gap(question: str, evidence: Sequence[Evidence]) -> PositionGap | None:
    """The gap when the evidence's lists of the numbered thing stop before the place asked for.

    Nothing is said (None) when no list in the evidence is about that thing (its heading or
    the sentence leading into it names it), when one is long enough, or when any passage
    names the place ("fifth", "5th", "principle 5"): the answer may be in prose.
    """
    asked = asked_position(question)
    if asked is None:
        return None
    noun, place = asked
    word = next(w for w, n in {**ORDINALS, str(place): place}.items() if n == place)
    named = re.compile(
        rf"\b(?:{word}|{place}(?:st|nd|rd|th)|{re.escape(noun)}s?\s+(?:{place}|"
        rf"{number_word(place)}))\b",
        re.IGNORECASE,
    )
    if any(named.search(f"{e.heading} {e.text}") for e in evidence):
        return None
    target = set(stems(noun))
    if not target:
        return None
    items: dict[tuple[str, str], list[str]] = {}
    words: dict[tuple[str, str], str] = {}  # the heading over a list and its lead-in sentence
    candidates = candidates_of(evidence)
    for i, cand in enumerate(candidates):
        if not cand.is_item or cand.is_row:
            continue
        ev = evidence[cand.evidence_index]
        key = (ev.source, ev.heading)
        if cand.text not in items.setdefault(key, []):
            items[key].append(cand.text)
        words.setdefault(key, ev.heading)
        before = candidates[i - 1] if i else None
        if (
            before is not None
            and not before.is_item
            and before.evidence_index == cand.evidence_index
        ):
            words[key] += f" {before.text}"
    sizes = [len(items[key]) for key in items if target <= set(stems(words[key]))]
    # "Of the five components, this is ...": a count the evidence states says how many there
    # are, when no list of them was retrieved ("What is the sixth component?")
    stated = re.compile(rf"\b(?P<n>{_NUMBER})\s+(?:[a-z-]+\s+)?{re.escape(noun)}s\b", re.I)
    if not sizes:  # (a list that is there says more: "five principles", two of them listed)
        sizes = [
            _value(m.group("n")) or 0
            for e in evidence
            for m in stated.finditer(f"{e.heading} {e.text}")
        ]
    if not sizes or max(sizes) >= place:
        return None
    return PositionGap(noun, place, max(sizes))
