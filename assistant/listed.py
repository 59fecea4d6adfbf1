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
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.abstention import term_coverage
from assistant.extractive import Selection
from assistant.questions import STOPWORDS, Question, stems
from knowledge import Evidence

__all__ = ["asked_noun", "list_gap"]

_WORD = re.compile(r"[A-Za-z0-9][\w'\u2019-]*")
_KIND = frozenset({"kind", "kinds", "sort", "sorts", "type", "types"})
_COPULA = frozenset({"is", "are", "was", "were"})
_ARTICLES = frozenset({"the", "a", "an"})


def asked_noun(question: str) -> str | None:
    """The noun a "what/which ..." question asks for, else None."""
    words = _WORD.findall(question)
    low = [w.lower() for w in words]
    start = next((i + 1 for i, w in enumerate(low) if w in ("what", "which")), None)
    if start is None:
        return None
    j = start
    if j < len(low) and low[j] in _COPULA:  # "What are the five components of ..."
        if j + 1 >= len(low) or low[j + 1] not in _ARTICLES:
            return None
        j += 2
    phrase: list[str] = []
    for word, lower in zip(words[j:], low[j:], strict=True):
        if lower == "of" and phrase and phrase[-1].lower() in _KIND:
            phrase = []  # "Which kinds of provider ...": the provider is asked for
            continue
        if lower in STOPWORDS or (phrase and word[0].isupper() and not phrase[-1][0].isupper()):
            break
        phrase.append(word)
    if not phrase or phrase[-1].lower().endswith("ly"):  # "What exactly does ...": no noun
        return None
    return phrase[-1]


def list_gap(q: Question, selection: Selection, evidence: Sequence[Evidence]) -> str | None:
    """The noun a list question asks for, when the chosen sentences and their passages' titles
    and headings never name it; else None."""
    if q.answer_type != "list" or not selection.reading:
        return None
    noun = asked_noun(q.asking or q.text)
    terms = stems(noun) if noun else []
    if not terms:
        return None
    used = {c.evidence_index for c in selection.reading}
    shown = " ".join(
        [c.text for c in selection.reading]
        + [f"{evidence[i].title} {evidence[i].heading} {evidence[i].text}" for i in sorted(used)]
    )
    return None if term_coverage(terms, shown) >= 1.0 else noun
