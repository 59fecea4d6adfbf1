"""Does the evidence actually hold what the question asks for? If not, the assistant abstains."""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge import BUNDLED_PREFIX, Evidence

# Below this cosine similarity the best passage is not about the question at all.
MIN_SIMILARITY = 0.35

_CLINICAL = re.compile(
    r"\b(dose|doses|dosage|mg|milligram|prescrib\w*|symptoms?|diagnos\w*|treat(ment)?\s+(for|of)|"
    r"side[- ]effects?|medication|medicine|antibiotics?|amoxicillin|paracetamol|ibuprofen|"
    r"vaccin\w*|chemotherapy|insulin|sepsis|blood pressure|contraindicat\w*)\b",
    re.IGNORECASE,
)
_PLACES = (
    "scotland",
    "scottish",
    "wales",
    "welsh",
    "northern ireland",
    "ireland",
    "irish",
    "united states",
    "usa",
    "america",
    "american",
    "canada",
    "canadian",
    "australia",
    "new zealand",
    "germany",
    "france",
    "netherlands",
    "denmark",
    "sweden",
    "norway",
    "spain",
    "italy",
    "india",
    "japan",
    "china",
    "singapore",
)
_QUANTITY = re.compile(
    r"\b(how (many|much)|what (percentage|proportion|share|number|score|rating|budget)|"
    r"number of|how large|what (was|is|were) the (score|rating|figure|budget|amount))\b",
    re.IGNORECASE,
)
_OWN_ORG = re.compile(r"\b(our|my|we|us)\b", re.IGNORECASE)
_FIGURE = re.compile(
    r"\b(rating|rated|score|scored|grade|figures?|budget|allocation|percentage|"
    r"how many|how much)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(next (year|month|quarter|financial year|spending review)|spending review|"
    r"will\s+(\w+\s+){1,3}(get|receive|be (given|allocated|paid))|forecast|upcoming|"
    r"20(2[7-9]|[3-9]\d))\b",
    re.IGNORECASE,
)
_MONEY = re.compile(r"\b(fund\w*|budget|money|allocation|£|pounds|spend|grant|payment)\b", re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|half|third)\b", re.I)
_UNKNOWN = re.compile(
    r"\b(not (known|published|retrievable|retrieved|available|confirmed|found|identified|"
    r"public|set out)|could not be (found|retrieved|confirmed)|unknown|is not recorded|"
    r"do(es)? not (give|name|list|say|record|state))\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,})*)\b")
_COMMON_PROPER = {
    "nhs",
    "impact",
    "england",
    "board",
    "boards",
    "the",
    "what",
    "how",
    "who",
    "when",
    "which",
    "why",
    "does",
    "should",
    "can",
    "could",
    "would",
    "our",
    "national",
    "improvement",
    "trust",
    "trusts",
    "care",
    "quality",
    "health",
    "what's",
}


def _has(evidence: Sequence[Evidence], needle: str) -> bool:
    needle = needle.lower()
    return any(needle in f"{e.title} {e.heading} {e.text}".lower() for e in evidence)


_GENERIC = {
    "our",
    "trust",
    "icb",
    "ics",
    "organisation",
    "organization",
    "board",
    "system",
    "improvement",
    "nhs",
    "many",
    "much",
    "what",
    "how",
    "did",
    "does",
    "will",
    "get",
    "got",
    "the",
    "last",
    "year",
    "this",
    "next",
    "number",
    "percentage",
    "score",
}
_WORDS = re.compile(r"[a-z]+")


def _key_terms(question: str) -> set[str]:
    """Content words of a question, minus the ones every organisational question shares."""
    return {w[:5] for w in _WORDS.findall(question.lower()) if len(w) > 2 and w not in _GENERIC}


def _own_figure_for(question: str, own: Sequence[Evidence]) -> bool:
    """Some sentence of the organisation's own papers gives a figure about what was asked."""
    wanted = _key_terms(question)
    for ev in own[:3]:
        for sentence in re.split(r"(?<=[.!?])\s+", ev.text):
            words = {w[:5] for w in _WORDS.findall(sentence.lower())}
            if _NUMBER.search(sentence) and wanted & words:
                return True
    return False


def abstention_reason(question: str, evidence: Sequence[Evidence]) -> str | None:
    """Why the evidence cannot answer the question, or None when it can."""
    if not evidence:
        return "nothing in the knowledge base matches the question"
    best = max((e.similarity or 0.0) for e in evidence)
    if best < MIN_SIMILARITY:
        return "no passage in the knowledge base is about this"
    top = list(evidence[:3])
    q = question.lower()

    clinical = _CLINICAL.search(question)
    if clinical and not _has(top, clinical.group(0)):
        return "it is a clinical question, and the knowledge base holds improvement guidance only"
    for place in _PLACES:
        if re.search(rf"\b{re.escape(place)}\b", q) and not _has(evidence, place):
            return f"the knowledge base does not describe {place.title()}"
    own_sources = [e for e in evidence if not e.source.startswith(BUNDLED_PREFIX)]
    asks_quantity = bool(_QUANTITY.search(question))
    asks_own_figure = _OWN_ORG.search(question) and (asks_quantity or _FIGURE.search(question))
    if asks_own_figure and not _own_figure_for(question, own_sources):
        return "the knowledge base holds no figures from your organisation's own papers on this"
    if _FUTURE.search(question) and _MONEY.search(question):
        future = [
            s
            for e in own_sources[:3]
            for s in re.split(r"(?<=[.!?])\s+", e.text)
            if _MONEY.search(s) and _NUMBER.search(s) and _FUTURE.search(s)
        ]
        if not future:
            return "the knowledge base has no information on future funding"
    if asks_quantity and not any(_NUMBER.search(e.text) for e in top):
        return "no passage gives a figure for this"
    for year in re.findall(r"\b(?:19|20)\d\d\b", question):
        if not _has(evidence, year):
            return f"nothing in the knowledge base is dated {year}"
    first_word = question.split()[0] if question.split() else ""
    for name in _CAPITALISED.findall(question):
        if name == first_word or name.split()[0] == first_word:
            continue
        if name.lower() in _COMMON_PROPER or name.lower().split()[0] in _COMMON_PROPER:
            continue
        if not _has(evidence, name):
            return f"the knowledge base does not mention {name}"
    return None


def states_a_gap(sentence: str) -> bool:
    """A sentence that says a fact is not known or not published in the sources."""
    return bool(_UNKNOWN.search(sentence))
