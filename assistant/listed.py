"""A list question answered by a list of something else.

"What methods did the evaluation use?" asks for methods. When the sentences chosen to answer
it (with the titles and headings of their passages) never name methods, they list something
else that sits near the question's other words (the evaluation's themes): the knowledge base
does not give what was asked, and the assistant says so instead of showing the wrong list.

The thing asked for is the last word of the noun phrase after "what" or "which" ("What
practical lessons about ...", "Which topics do ...", "What are the five components of ...").
Only general English is read to find it: the stop words that end the phrase, "kind/sort/type
of", and capitals (a name after the noun starts a new phrase: "What are the ways NHS providers
told ..."). Checked on the development questions: every answerable list question whose noun
was found had it in its answer, and most list answers to unanswerable ones lacked it.

A list of exactly as many items as the question counts answers it whatever it calls them: "What
are the five building blocks of NHS IMPACT?" by the five components (a README walk; no check
question changed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.abstention import term_coverage
from assistant.extractive import Selection
from assistant.questions import NUMBER_VALUES, Question, asked_noun, number_word, stems
from knowledge import Evidence

__all__ = ["count_gap", "list_gap"]


def list_gap(q: Question, selection: Selection, evidence: Sequence[Evidence]) -> str | None:
    """The noun a list question asks for, when neither the chosen sentences nor their passages
    (text, title or heading) name it; else None."""
    if q.answer_type != "list" or not selection.reading:
        return None
    noun = asked_noun(q.asking or q.text)
    if noun and (noun.isdigit() or noun.lower() in NUMBER_VALUES):
        return None  # "the five NHS IMPACT components": a count, cut off before its noun
    terms = stems(noun) if noun else []
    if not terms:
        return None
    if COUNTED_LIST and q.count and _items_of_one_list(selection) == q.count:
        # "What are the five building blocks of NHS IMPACT?" answered by a list of exactly five
        # components: the count asked for is what the list holds, whatever the list calls them
        return None
    used = {c.evidence_index for c in selection.reading}
    shown = " ".join(
        [c.text for c in selection.reading]
        + [f"{evidence[i].title} {evidence[i].heading} {evidence[i].text}" for i in sorted(used)]
    )
    return None if term_coverage(terms, shown) >= 1.0 else noun


COUNTED_LIST = True


def _items_of_one_list(selection: Selection) -> int:
    """How many items of one passage's list the chosen sentences hold (the most of any list)."""
    per_passage: dict[int, int] = {}
    for c in selection.reading:
        if c.is_item:
            per_passage[c.evidence_index] = per_passage.get(c.evidence_index, 0) + 1
    return max(per_passage.values(), default=0)


# The parts a sentence names things in: "A, B and C", "A; B; or C"
_PARTS = re.compile(r"\s*(?:[,;]|\band\b|\bor\b)\s*")


def count_gap(q: Question, selection: Selection) -> str | None:
    """The things a list question asks for by number ("Which five trusts took part?"), when the
    sentences chosen to answer it hold fewer: fewer list items, and no sentence naming that many
    things ("Five NHS trusts took part." gives the number, not the trusts); else None."""
    if q.answer_type != "list" or not q.count or not selection.reading:
        return None
    items = sum(c.is_item or c.is_row for c in selection.reading)  # (a table's rows list too)
    named = max(len([p for p in _PARTS.split(c.text) if p]) for c in selection.reading)
    if max(items, named) >= q.count:
        return None
    noun = asked_noun(q.asking or q.text)
    if not noun or noun.lower() in NUMBER_VALUES:
        noun = "items"
    return f"{number_word(q.count)} {noun}"
