"""What a question asks for: its key terms, the kind of answer it wants, a document it names.

Only general English is listed here (question words, auxiliaries, units, months, number words,
kinds of document); nothing of the knowledge pack's vocabulary.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import Stemmer

from knowledge.months import MONTH_SHORT

__all__ = [
    "asked_extreme",
    "extreme_word",
    "form_as_question",
    "MONTH_NAMES",
    "NUMBER_VALUES",
    "ORDINAL_VALUES",
    "WH_WORDS",
    "Question",
    "analyse",
    "asked_noun",
    "asks_for_name",
    "term_coverage",
    "gives_name",
    "quoted_phrase",
    "says_extreme",
    "asked_post",
    "says_when",
    "says_where",
    "ABOUT",
    "ASKS_WHERE",
    "asks_what_name_is",
    "defines_asked",
    "holds_role_asked",
    "ACRONYM",
    "AUXILIARIES",
    "asks_who_holds",
    "has_answer_type",
    "initials_run",
    "is_plural",
    "stems",
]

_STEMMER = Stemmer.Stemmer("english")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'&-]*")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "why",
        "when",
        "where",
        "do",
        "does",
        "did",
        "should",
        "can",
        "could",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "our",
        "we",
        "us",
        # the asker's reflexive pronouns ("What rating did we give ourselves for ...?"), like
        # "we" and "us" (not "itself": "does NHS England itself have to follow it?")
        "ourselves",
        "myself",
        "yourself",
        "yourselves",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "with",
        "by",
        "from",
        "at",
        "as",
        "about",
        "into",
        "there",
        "their",
        "they",
        "them",
        "has",
        "have",
        "had",
        "not",
        "no",
        "any",
        "all",
        "i",
        "me",
        "my",
        "you",
        "your",
        "please",
        "tell",
        "know",
        "like",
        "want",
        "need",
        "give",
        "show",
        "explain",
        "say",
        "said",
        "says",
        "some",
        "just",
        "only",
        "too",
        "really",
        "actually",
        "much",
        "many",
        "more",
        "most",
        "also",
        "then",
        "than",
        "so",
        "if",
        "but",
        "such",
        "each",
        "other",
        "one",
        "very",
        "get",
        "got",
        "there's",
        "what's",
        "who's",
        "whats",
        "hows",
        "thanks",
        "thank",
        "could",
        "would",
        "id",
        "i'd",
        "i'm",
        "im",
        "let",
        "lets",
        "share",
        "proportion",
        "percentage",
        "percent",
        "number",
        "figure",
        "total",
        "amount",
        "often",
        "long",
        "list",
        "name",
        "names",
        "mean",
        "means",
        "meant",
        "through",
        "put",
        "aim",
        "anything",
        "something",
        "tell",
    ]
)
_POLITE = re.compile(
    r"^\s*(please\s+)?(can|could|would)\s+you\s+(please\s+)?(tell|show|explain to|let|remind)\s+(me|us)\s+"
    r"|^\s*(please\s+)?(tell|show|remind)\s+(me|us)\s+(please\s+)?|^\s*i'?d\s+like\s+to\s+know\s+"
    r"|^\s*i\s+(want|need)\s+to\s+know\s+|^\s*(quick\s+question|question)\s*[:,-]\s*",
    re.IGNORECASE,
)
_TRAILING_POLITE = re.compile(r"[\s,]*(please|thanks|thank you|cheers)[\s.!?]*$", re.IGNORECASE)
# A request for the form of an answer says nothing about what it is about: "Summarise NHS
# IMPACT in three bullet points" asks about NHS IMPACT ("summarise" had matched "The blog posts
# summarise the findings"), as "Explain NHS IMPACT" does.
_FORM_ASKED = re.compile(
    r"^\s*(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?(?:briefly\s+)?"
    r"(?:summari[sz]e|outline|describe|give\s+(?:me|us)\s+(?:an?\s+)?(?:brief\s+|short\s+|quick\s+)?"
    r"(?:summary|overview|outline)\s+of|provide\s+(?:an?\s+)?(?:brief\s+|short\s+)?"
    r"(?:summary|overview)\s+of)\s+(?=\S)",
    re.IGNORECASE,
)
_FORM_TRAILER = re.compile(
    r"[\s,]*(?:in\s+(?:a\s+few|one|two|three|four|five|\d+)\s+(?:bullet\s+points|bullets|points|"
    r"sentences?|words|lines|paragraphs?)|in\s+(?:brief|short|a\s+nutshell|a\s+sentence|plain\s+"
    r"english)|briefly)(?=[\s.!?]*$)",
    re.IGNORECASE,
)
# Number words and their values (general English), for "the six domains" and "component four".
NUMBER_VALUES = {
    word: n
    for n, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve"),
        1,
    )
}  # fmt: skip
ORDINAL_VALUES = {
    word: n
    for n, word in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
         "tenth", "eleventh", "twelfth"),
        1,
    )
}  # fmt: skip
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "hundred|thousand|half|third|quarter|dozen|several"
)
_FIGURE = re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.IGNORECASE)
_SHARE = re.compile(
    r"\d\s*(%|per\s?cent)|\b(half|third|quarter|majority|minority|one in \w+)\b", re.IGNORECASE
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_NAMES = tuple(_MONTHS.split("|"))
# A month is written with its capital ("may reflect" and "march on" are not dates); the day
# before it is part of the date ("21 November 2023" holds no count).
_DATE = re.compile(
    # (a financial year is one date: "2024/25", "2024-25", "2024/2025")
    rf"\b(1[89]|20)\d\d(?:[/\u2013-](?:\d\d){{1,2}})?\b|(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+)?\b({_MONTHS}|{_MONTHS.upper()})\b"
)
_FREQUENCY = re.compile(
    r"\b(daily|weekly|monthly|quarterly|annually|yearly|fortnightly|every|each|per|times|once|"
    r"twice)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"(\d|\b({_NUMBER_WORDS}|a|an)\b)[\s-]+(year|month|week|day|hour|minute)s?\b", re.IGNORECASE
)
_NAME_FORMS = r"[A-Z][a-z]{2,}(?:\s+(?:of\s+|and\s+)?[A-Z][a-zA-Z]+)*|[A-Z]{2,}"
_PROPER = re.compile(rf"(?<![.!?]\s)(?<!^)\b({_NAME_FORMS})\b")
# ... and, for what an "it" stands for only, a name may mix its capitals ("AQuA", "McKinsey"; a
# capital after a small letter: not a plural acronym, "NEDs"): tester33's "When was AQuA formed
# and how is it funded?" had read "it" as leaning back to the scene before. As a name the
# knowledge base must mention it would change which questions name only what no passage
# mentions ("How many subscribing members does AQuA have in Norfolk?" must still be declined
# for Norfolk).
MIXED_CASE_NAMES = True
_MIXED_CASE = r"|[A-Z][A-Za-z]*[a-z][A-Z][A-Za-z]*" if MIXED_CASE_NAMES else ""
_NAMED = re.compile(rf"(?<![.!?]\s)(?<!^)\b({_NAME_FORMS}{_MIXED_CASE})\b")
# (a vague "several" does not say how many)
_COUNT_WORDS = _NUMBER_WORDS.replace("half|third|quarter|", "").replace("|several", "")
_COUNT = re.compile(
    rf"\b\d[\d,.]*(?![\d,.]*\s*(%|per\s?cent))\b|\b({_COUNT_WORDS})\b", re.IGNORECASE
)
_DEFINES = re.compile(
    r"\b(stands for|is a|is an|is the|are the|means|meaning|refers to|defined as|known as|"
    r"describes)\b|\([^)]{3,}\)|, which (is|was|stands)",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(not|no|never|neither|nor|none|without|cannot|can't|isn't|aren't|doesn't|don't|didn't|"
    r"wasn't|weren't|unknown|unclear)\b",
    re.IGNORECASE,
)
_TITLE_WORDS = "Dr|Professor|Prof|Sir|Dame|Lord|Baroness"
_TITLES = re.compile(rf"\b({_TITLE_WORDS})\b")
_ENUMERATION = re.compile(r"(?:[^,;]+[,;]\s*){3,}[^,;]*\b(?:and|or)\b|:\s*[^,;]+(?:[,;][^,;]+){2,}")
_DOC_NOUNS = (
    "report|memo|memorandum|paper|plan|letter|strategy|review|minutes|survey|framework|"
    "guidance|briefing|document|policy|update|charter|evaluation|blog|article|newsletter|"
    "dashboard|register|log|handbook|toolkit|matrix|summary|study|pack|code"
)
AUXILIARIES = frozenset({"does", "do", "did", "is", "are", "was", "were", "has", "have", "had"})
# An acronym as written ("NIB", "ICB", "EIP")
ACRONYM = re.compile(r"\b[A-Z]{2,8}\b")
_AUX = "|".join(sorted(AUXILIARIES))
# A document the answer is for is not a source to answer from (tester53: "whats the overall aim
# on the driver diagram, one sentence for the board pack")
PURPOSE_NOT_SOURCE = True
_FOR_DOC = r"(?<!\bfor )" if PURPOSE_NOT_SOURCE else ""
_NAMED_DOC = re.compile(
    rf"\baccording to (?:the |our |a )?(?P<a>[\w' -]{{2,60}}?)(?:[,?.]|\s+(?:how|what|who|when|"
    rf"which|is|are|does|do|did|say)\b|$)"
    # (a verb is never part of a document's name: "the workforce does national guidance")
    # (what the answer is for is not where it comes from: "one sentence for the board pack")
    rf"|{_FOR_DOC}\b(?:the|our) (?P<b>(?:(?!(?:{_AUX})\b)[\w'-]+ ){{0,4}}"
    rf"(?:{_DOC_NOUNS}))\b",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"\b(chair|chairs|chaired|chairman|chairwoman|chief|director|head|lead|leads|led|leader|"
    r"author|wrote|founded|founder|secretary|minister|commissioned|ran|runs|evaluated|"
    r"partnered|funded|funds|deputy)\b",
    re.IGNORECASE,
)
_YES_NO = re.compile(
    r"^\s*(is|are|was|were|does|do|did|can|could|should|must|will|would|has|have|had|may)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    text: str  # politeness wrappers removed
    answer_type: (
        str  # share, figure, frequency, duration, person, date, list, definition, yesno, other
    )
    key_terms: tuple[str, ...]  # stemmed content words
    proper_terms: tuple[str, ...]  # names and acronyms written in the question
    named_document: str | None  # "assurance memo" in "according to the assurance memo"
    count: int | None = None  # how many items a list question expects ("the six domains": 6)
    # The named document is only a kind ("the guidance", "our plan"): it narrows the search
    # when one document of that kind is indexed, and is never reported missing.
    kind_only: bool = False
    # What the evidence must cover: the sentence that asks, without the scene set before it
    # ("Our board meets in Leeds next week. Who chairs the NIB?"), or the whole question when
    # the asking sentence leans on the one before ("... What does it say?").
    asking: str = ""
    asking_terms: tuple[str, ...] = ()
    # Which one of its kind the named document is: "September" in "the action log of the
    # September 2025 board minutes"; a title that matches the name must hold it.
    qualifier: str = ""


_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")


# Past forms of common irregular verbs (general English), so that "What did the evaluation
# find?" meets "What the evaluation found".
_IRREGULAR = {
    "found": "find",
    "said": "say",
    "made": "make",
    "took": "take",
    "gave": "give",
    "began": "begin",
    "became": "become",
    "met": "meet",
    "told": "tell",
    "brought": "bring",
    "wrote": "write",
    "chose": "choose",
    "grew": "grow",
    "built": "build",
    "taught": "teach",
    "thought": "think",
    "knew": "know",
    "led": "lead",
    "held": "hold",
    "sent": "send",
    "rose": "rise",
    "fell": "fall",
    "ran": "run",
    "paid": "pay",
    "spent": "spend",
    "kept": "keep",
}


# Stop words that are content words after a determiner: "should we aim to" asks nothing about
# an aim, "what is the aim of the diagram?" does.
_NOUN_AFTER = frozenset({"aim"})
_DETERMINERS = frozenset({"the", "an", "its", "their", "our", "his", "her", "main", "overall"})


CONTRACTIONS = True


def stems(text: str) -> list[str]:
    """Stemmed content words (general English stop words removed)."""
    words = [
        _IRREGULAR.get(w, MONTH_SHORT.get(w, w))
        for w in (w.lower() for w in _PLAIN_WORD.findall(text))
    ]
    kept = [
        w
        for i, w in enumerate(words)
        if w
        and (w not in STOPWORDS or w in _NOUN_AFTER and i > 0 and words[i - 1] in _DETERMINERS)
        # "we're", "they've", "you'd": a stop word with its verb shortened is one
        and not (CONTRACTIONS and "'" in w and w.split("'")[0] in STOPWORDS)
    ]
    return _STEMMER.stemWords(kept)


# A reference such as "HB-2025/46" or "MV-2025/34": letters and digits joined by "-", "/" or ".".
REFERENCE = re.compile(r"\b[A-Za-z]{1,6}\d*[-/.]\d[\w]*(?:[-/.]\w+)*\b")


# The words that open a question asking for something ("What did ...", "Who chairs ...").
WH_WORDS = "what|which|who|whom|whose|when|where|why|how"
# (or a demonstrative pointing back: "... six guiding principles. What are those six called?";
# tester40)
DEMONSTRATIVE_LIST = True
_THE_WORDS = "the|its|their|our" + ("|these|those" if DEMONSTRATIVE_LIST else "")
_ARE_THE = re.compile(rf"^\s*(what|which) (are|were) ({_THE_WORDS})\b", re.IGNORECASE)


# English plurals not made with "s" (tester32: "How many people sit on the board?" counts people)
IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women"})


def term_coverage(terms: Sequence[str], text: str) -> float:
    """Share of the terms found in the text; a long term also counts when one letter is off."""
    if not terms:
        return 1.0
    have = set(stems(text))
    found = 0
    for term in terms:
        if (
            term in have
            or len(term) >= 5
            and difflib.get_close_matches(term, have, 1, 0.85)
            or clipped_in(term, have)
        ):
            found += 1
    return found / len(terms)


# A word clipped short is covered by the word it was cut from ("orgs" by "organisations";
# tester51's "how many leaders from how many orgs took part?" was
# refused): a short term no word holds that opens a word three or more letters longer.
CLIPPED = True


def clipped_in(term: str, words: set[str] | frozenset[str]) -> bool:
    """Is the term a clipping of one of the words? Not when it is an English word of its own
    ("fee" is not "feedback", "part" not "participants")."""
    return (
        CLIPPED
        and 3 <= len(term) <= 4
        and any(len(w) >= len(term) + 3 and w.startswith(term) for w in words)
        and term in english().unknown([term])
    )


@lru_cache(maxsize=1)
def english() -> Any:
    """pyspellchecker's English word list (loaded on first use)."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


def is_plural(word: str) -> bool:
    """A plural noun by its ending ("members"; not "process", "status", "analysis"), or one of
    the few common plurals without an "s" ("people")."""
    word = word.lower()
    if word in IRREGULAR_PLURALS:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))


def _plural_noun_after(q: str, lead: str) -> bool:
    """A plural noun right after the lead, or after one word ("what themes", "which main
    themes"); a verb after the lead ("what does") stops the search."""
    match = re.search(rf"\b{lead}\s+(\w+)(?:\s+(\w+))?", q, re.IGNORECASE)
    if match is None:
        return False
    first, second = match.group(1).lower(), (match.group(2) or "").lower()
    if first in AUXILIARIES:
        return False
    # "which review does ...": a verb after one word is not a plural noun
    return is_plural(first) or is_plural(second) and second not in AUXILIARIES


_OBJECT_OPENERS = frozenset(
    {"the", "a", "an", "our", "its", "their", "this", "that", "these", "those", "your", "my"}
)


# a preposition a verb takes ("Which component talks about readiness?", "... deals with data?")
_VERB_PREPOSITIONS = frozenset({"about", "with"})


def _verb_after_noun(q: str, lead: str) -> bool:
    """Is the word ending in -s after "which <singular noun>" its verb ("Which component covers
    leadership?", "Which committee oversees the strategy?") rather than a plural noun ("which
    board members attend ...")? Yes when a determiner follows it, or when the question ends a
    word or two later with no auxiliary or -ed verb to be the noun's verb. An acronym before it
    is a modifier ("Which NHS trusts took part?")."""
    match = re.search(rf"\b{lead}\s+(\w+)\s+(\w+)\b(.*)$", q, re.IGNORECASE)
    if match is None:
        return False
    first, second, rest = match.group(1), match.group(2).lower(), match.group(3)
    if first.isupper() or is_plural(first) or not is_plural(second):
        return False
    # (only up to the end of its clause: "Which component covers leadership, and what ...?")
    clause = re.split(r"[,;:?]|\s[-\u2013\u2014]\s", rest, maxsplit=1)[0]
    words = re.findall(r"[\w']+", clause.lower())
    if not words and re.search(r"\w", rest):
        return False
    if words and (words[0] in _OBJECT_OPENERS or words[0] in _VERB_PREPOSITIONS):
        return True
    return len(words) <= 2 and not any(w in AUXILIARIES or w.endswith("ed") for w in words)


# "Who is Amar Shah?", "Amar Shah's role?": who a named person is, their role - not any name.
_NAME = r"(?:(?:Dr|Professor|Prof|Sir|Dame)\.?\s+)?[A-Z][a-z]+(?:[\s-]+[A-Z][a-z]+)+"
_WHO_IS = re.compile(
    rf"^\s*(?:(?i:who\s+(?:is|was))\s+(?P<a>{_NAME})"
    r"(?i:\s+and\s+what\s+(?:is|was)\s+(?:his|her|their)\s+(?:role|job|position))?"
    rf"|(?i:what\s+(?:is|was)\s+)?(?P<b>{_NAME})['\u2019]s\s+(?i:role|job|position))\s*\??\s*$",
)
_ROLE_VERBS = "chairs|chaired|leads|led|heads|headed|directs|directed|founded|runs|ran"


def asked_person(question: str) -> str | None:
    """The person a "who is ...?" question names, from the sentence that asks."""
    last = re.split(r"(?<=[.!?])\s+", question.strip())[-1]
    match = _WHO_IS.match(last)
    if match is None:
        return None
    return match.group("a") or match.group("b")


# "What is NHS IMPACT?", "what's a driver diagram", "What does QSIR stand for?": the term asked
# to be defined
_DEFINE_ASKED = re.compile(
    r"^\s*(?:what(?:'s|\u2019s|s| is| are| was)|what does|what do)\s+(?:a |an |the )?"
    # "what does the IMPACT in NHS IMPACT stand for?": the name is the whole
    r"(?:\S+ in (?=[^?]*\b(?:stand for|mean)\s*\??\s*$))?(?P<term>[^?]+?)"
    r"(?:\s+(?:actually|really|exactly))?(?:\s+(?:stand for|mean))?\s*\??\s*$",
    re.IGNORECASE,
)
# ... and typed as a fragment: "NHS IMPACT stands for?", "QSIR meaning?"
_DEFINE_FRAGMENT = re.compile(
    r"^\s*(?:(?:a|an|the)\s+)?(?P<term>[^?]+?)\s+(?:stands?\s+for|means?|meaning)\s*\??\s*$",
    re.IGNORECASE,
)


def asks_what_name_is(question: str) -> bool:
    """Does the question only ask what a named thing is ("What is Engineering Better Care?",
    "What's QSIR?")? A name is capitalised, or an acronym; "What is the best method?" names
    nothing."""
    match = _DEFINE_ASKED.match(question.strip())
    if match is None:
        return False
    words = [w for w in match.group("term").split() if w.lower() not in STOPWORDS and w != "&"]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words)


# "Who is our chief executive?", "Who is the Director of Finance?": a post, not a person's name
_WHO_HOLDS = re.compile(r"^\s*who(?:'s| is)\s+(?:the|our|your)\s+(?P<post>[^?]+?)\s*\??\s*$", re.I)
# "Rupert Adeyemi-Hall, Chief Executive": a name, then the post it holds
_NAME_POST = re.compile(
    r"^\W*(?:(?:Dr|Professor|Prof|Sir|Dame|Mr|Mrs|Ms|Miss)\.?\s+)?[A-Z][\w'-]+"
    r"(?:\s+[A-Z][\w'-]+)+,\s+(?P<post>[^,;.()]+)"
)


# A name asked for: "What is the title of ...?", "What are the maturity levels called?"
_NAME_ASKED = re.compile(
    r"\bwhat(?:\s+(?:exactly|actually))?(?:'s|\s+(?:is|was|are|were))?\s+"
    r"(?:exactly\s+|actually\s+)?(?:the\s+)?"
    r"(?:exact\s+|full\s+)?"
    # (not "called for" or "called on": asked for, not named)
    r"(?:title|name)s?\s+of\b|\bwhat\b[^?.!]*\bcalled\b(?!\s+(?:for|on|upon)\b)",
    re.IGNORECASE,
)


def asks_for_name(question: str) -> bool:
    """Does the question ask what something is called ("What is the title of the briefing?",
    "What are the levels called?")?"""
    return bool(_NAME_ASKED.search(question))


def gives_name(sentence: str, question: str) -> bool:
    """Does the sentence hold a name, or a phrase in quotes, that the question does not?"""
    if _QUOTED.search(sentence) or re.search(r"[\u201c\u2018\"]", sentence):
        return True
    asked = set(stems(question))
    return any(not set(stems(m.group(1))) <= asked for m in _NAMED.finditer(" " + sentence))


def asks_who_holds(question: str) -> bool:
    """Does the question ask who holds a post ("Who is the chief executive?")?"""
    return asked_post(question) is not None


def asked_post(question: str) -> str | None:
    """The post a "Who is the <post>?" question asks about ("chief executive"), else None."""
    match = _WHO_HOLDS.match(question.strip())
    return match.group("post") if match else None


def holds_role_asked(question: str, sentence: str, context: str = "") -> bool:
    """Does the sentence name the holder of the post a "Who is our X?" question asks about, as a
    list of those present does ("Rupert Adeyemi-Hall, Chief Executive")? The post must be the
    one asked, word for word: "Chief Nurse and Deputy Chief Executive" is not "chief executive".
    A word asked beyond the post may be said by the context (the title of the passage's paper:
    "Who is the Chair of the trust?" of "... NHS Trust - Minutes ...": "Dame Ann Bell, Chair")."""
    asked = _WHO_HOLDS.match(question.strip())
    held = _NAME_POST.match(sentence)
    if asked is None or held is None:
        return False
    post, holds = set(stems(asked.group("post"))), set(stems(held.group("post")))
    said = set(stems(context))
    # "Chair of the ICB" under "North Fenmoor Integrated Care Board": the body it names is the
    # paper's own, by its initials
    said |= {a.lower() for a in ACRONYM.findall(held.group("post")) if initials_run(a, context)}
    return bool(holds) and not holds - post - said and not post - holds - said


def defines_asked(question: str, sentence: str) -> bool:
    """Does the sentence define the term a "What is X?" question asks about, opening with X as
    its subject ("NHS IMPACT is short for ...", "The National Improvement Board (NIB) was set up
    ...", "QSIR, which stands for ...")? A sentence that only mentions X does not."""
    question = question.strip()
    if DASH_DEFINES:
        # "Amanda Pritchard's 2023 launch - what does IMPACT stand for?": a question after a
        # dash asks the same, whatever the phrase before it (tester54)
        question = _DASH.split(question)[-1]
    match = _DEFINE_ASKED.match(question) or _DEFINE_FRAGMENT.match(question)
    if match is None:
        return False
    term = match.group("term").strip()
    if DEFINES_HEAD and _defines_head(term, sentence):
        return True
    if not term or len(term.split()) > 6:
        return False
    return bool(
        re.search(
            # (the name may open with a word the question left off: "NHS IMPACT is short for"
            # defines the "IMPACT" of "What does IMPACT stand for?")
            rf"^\W*(?:(?:a|an|the)\s+)?(?-i:[A-Z][\w-]*\s+)?{re.escape(term)}\b"
            r"(?:\s*\([^)]*\))?(?:,\s*which)?\s+"
            r"(?:is|are|was|were|stands for|means|refers to|describes)\b",
            sentence,
            re.IGNORECASE,
        )
    )


DASH_DEFINES = True
_DASH = re.compile(r"\s[-\u2013\u2014]\s")


# "What is the overall aim on the driver diagram?" is answered by "The aim at the top of the
# diagram is to make ...": a sentence whose subject is the thing asked about (the noun before the
# first preposition, its modifiers optional), placed by a phrase of its own, before "is"
DEFINES_HEAD = True
# (the prepositions that end the head's phrase in the question and open its place in the sentence)
_HEAD_PREPOSITIONS = "on|in|of|at|for|from|under"
_HEAD_PHRASE = re.compile(
    rf"^(?P<head>(?:[\w'-]+\s+){{0,3}}?[\w'-]+?)\s+(?:{_HEAD_PREPOSITIONS})\b"
)


def _defines_head(term: str, sentence: str) -> bool:
    """Does the sentence open with the head noun of the term asked about as its subject, made
    definite ("The aim ... is"; "A driver diagram is ..." says what any driver diagram is, not
    what "the driver diagram for NHS IMPACT" holds)?"""
    match = _HEAD_PHRASE.match(term)
    if match is None:
        return False
    head = match.group("head").split()[-1]
    if len(head) < 3 or not head.isalpha():
        return False
    return bool(
        re.match(
            rf"^\W*the\s+(?:[\w-]+\s+){{0,2}}?{re.escape(head)}\s+"
            rf"(?:(?:{_HEAD_PREPOSITIONS})\s+[^,.;:]{{1,60}}?\s+)?(?:is|are|was|were)\b",
            sentence,
            re.IGNORECASE,
        )
    )


# "list" as a verb ("Can you list ...", "What does the guidance list ...") or "a list of"; not
# the noun after a determiner or an -ing word ("our district nursing waiting list").
_LIST_ASKED = re.compile(
    r"(?<!\ba )(?<!\bthe )(?<!\bour )(?<!\byour )(?<!\bthis )(?<!\bthat )(?<!ing )\blist\b"
    r"|\ba list of\b"
)


# a phrase in quotes: "... to do 'cultural readiness work' first"
_QUOTED = re.compile(
    r"(?:^|\s)['\u2018\"\u201c]([^'\u2019\"\u201d]{3,80})['\u2019\"\u201d](?=[\s.,;:?!]|$)"
)


def quoted_phrase(text: str) -> str | None:
    """The first phrase the text puts in quotes ("the 'Constructive comfort' paper"), else None."""
    match = _QUOTED.search(text)
    return match.group(1) if match else None


PREPOSITIONS = frozenset({"for", "of", "in", "on", "at", "by", "from", "under", "within", "about"})


def _telegraphic_plural(words: list[str]) -> bool:
    """A short question with no verb whose noun phrase ends on a plural before a preposition:
    "LCF domains for board members?", "key risks in our strategy"."""
    if not 3 <= len(words) <= 6 or words[0] in WH_WORDS.split("|") or AUXILIARIES & set(words):
        return False
    cut = next((i for i, w in enumerate(words) if w in PREPOSITIONS), None)
    return cut is not None and cut >= 1 and is_plural(words[cut - 1])


# "when" that asks: before a verb of its own question ("when is it due", "when did it start")
_WHEN_ASKS = re.compile(
    r"\bwhen(?:'s|\s+(?:is|was|are|were|did|does|do|will|would|has|have|had|can|could|should|"
    r"must)\b)|\bwhen\s*\??$"
)


def _answer_type(q: str) -> str:
    low = q.lower().strip()
    if asked_person(q):
        return "identity"
    words = low.rstrip("?!. ").split()
    if re.search(r"\b(what|which) (share|proportion|percentage|fraction|per ?cent)\b|"
                 r"\bhow many per ?cent\b|\bwhat % \b", low):  # fmt: skip
        return "share"
    if re.search(r"\bhow (often|frequently)\b", low):
        return "frequency"
    if re.search(r"\bhow long\b", low):
        return "duration"
    if re.search(r"\bhow (many|much|big|large)\b|\bwhat (number|size|figure)\b|\bnumber of\b", low):
        return "figure"
    if re.match(r"\s*who\b", low) and not _WHEN_ASKS.search(low):
        # "Who co-funded Q when it was set up?" asks who; its "when" opens a clause, not a
        # second question ("Who owns the action and when is it due?")
        return "person"
    # (not "when" opening a clause on an -ing word: "Where should we start when building
    # improvement capability?" asks where, not when)
    if re.search(
        r"\b(when(?! \w+ing\b)|what year|what date|which year|since when|by when|what month)\b",
        low,
    ):
        return "date"
    if len(words) <= 5 and words and words[-1] in ("date", "year"):
        return "date"  # a short question ending on it: "IMPACT launch date?", "AQuA founding year?"
    if re.search(r"(?:^|\s[-\u2013\u2014:;]\s*)who\b|\bwho (is|was|are|were|chairs|leads|led|wrote|ran|runs)\b|\bwhom\b|"
                 r"\bwhose\b|\bwho (did|do|does|has|have)\b|\bwhich (organisation|organization|trust|body|company|person|"
                 r"people|team|university|charity|institute|hospital)s?\b", low):  # fmt: skip
        return "person"
    if (
        _ARE_THE.search(low)
        or re.search(r"\bname the\b", low)
        or _LIST_ASKED.search(low)
        or re.search(rf"\b({_NUMBER_WORDS}|\d+)\s+\w+s\b", low)
        and len(words) <= 6
        or _plural_noun_after(low, r"^\s*(?:what|which)")
        and not _verb_after_noun(q.strip(), r"^\s*(?:what|which)")
        # asked inside a sentence: "can you remind me what the five components are?"
        or re.search(
            rf"\b(what|which) (the|its|their|our) ({_NUMBER_WORDS}|\d+) (\w+ )?\w+s\b", low
        )
    ):
        return "list"
    if len(words) <= 3 and _ROLE.search(low):
        return "person"
    if 2 <= len(words) <= 3 and is_plural(words[-1]):
        return "list"  # "LCF domains?", "board competency domains"
    if _telegraphic_plural(words) and not re.search(r"\bstands for\b", low):
        return "list"  # "LCF domains for board members?" (not "NHS IMPACT stands for?")
    if re.search(r"\b(stand for|stands for|mean|means|meant by|definition|define)\b", low):
        return "definition"
    if re.search(r"^\s*(what|who) (is|are|was) (a|an|the)?\s*\w+(\s+\w+)?\s*\??$", low):
        return "definition"
    if len(words) <= 2:
        return "definition"
    if _YES_NO.match(low):
        return "yesno"
    return "other"


# Superlatives of general English that ask for the smallest or the largest of several figures
# (not "best": "best practice", "the best way" ask for advice, not a ranking).
_EXTREME_LOW = re.compile(
    r"\b(lowest|fewest|smallest|weakest|worst|poorest|least)\b", re.IGNORECASE
)
_EXTREME_HIGH = re.compile(r"\b(highest|largest|biggest|greatest|strongest|most)\b", re.IGNORECASE)


def extreme_word(question: str) -> re.Match[str] | None:
    """Where the superlative of a "lowest/highest" question is ("highest" in "Which division
    had the highest agency spend?"), when it asks for one extreme only."""
    if asked_extreme(question) is None:
        return None
    return _EXTREME_LOW.search(question) or _EXTREME_HIGH.search(question)


def asked_extreme(question: str) -> str | None:
    """ "low" for "Which component did we rate lowest?", "high" for "... the highest target?",
    else None (also when it asks for both)."""
    low, high = _EXTREME_LOW.search(question), _EXTREME_HIGH.search(question)
    if bool(low) == bool(high):
        return None
    return "low" if low else "high"


def says_extreme(direction: str, text: str) -> bool:
    """Does the text use a superlative of that direction ("high": "cited most often")?"""
    return bool((_EXTREME_HIGH if direction == "high" else _EXTREME_LOW).search(text))


_FIRST_PERSON = re.compile(
    r"\b(we|we're|we've|our|ours|us|my|mine|i|i'm|i've|(?-i:[Ii]ve|[Ii]m))\b", re.IGNORECASE
)  # ("Ive been 3 HCAs short ...", typed without its apostrophe; tester37; in capitals, "IM"
# is an abbreviation, as in "IM injections", not "I'm")


def speaks_as_us(text: str, person: bool = True) -> bool:
    """Does the question ask about the asker's own organisation ("our trust", "we", "my")?

    Only the sentence that asks counts: in "We're a trust in Dorset. How many members does the
    Q community have?" the first sentence is background.
    """
    asking = _asking_part(text).replace("\u2019", "'")
    # "US" in capitals is the country ("a US hospital"), not "us".
    return any(
        m.group(0) != "US" and (person or m.group(0).lower() not in _SINGULAR)
        for m in _FIRST_PERSON.finditer(asking)
    )


# "I" speaks for the asker, not for their organisation ("I've got a note saying ...")
_SINGULAR = frozenset({"i", "i'm", "i've", "ive", "im"})


# "I keep hearing about QSIR. What is it?" asks "What is QSIR?": the "it" of a question that
# names nothing before it is the thing the sentence before it speaks about
TOPIC_IT = True
ABOUT = r"\b(?:about|regarding|concerning)\s+"  # what a sentence speaks about follows
_ABOUT_WORD = re.compile(ABOUT, re.IGNORECASE)
_SPOKEN_ABOUT = re.compile(ABOUT + r"(?P<topic>[^.?!;,:]+?)\s*[.!]\s*$")
_IT_WORD = re.compile(r"\bit\b", re.IGNORECASE)


def _it_as_topic(text: str) -> str:
    """The last question with its "it" replaced by what the sentence before speaks about, when
    the question names nothing before its "it"; else the text as it is."""
    about = _ABOUT_WORD.search(text)
    if not (_IT_WORD.search(text) and about) and not (ONE_NAME_ITS and _ITS_WORD.search(text)):
        return text  # (most questions: no sentence split on every analysis)
    from knowledge.sentences import split_sentences

    sentences = [s.text for s in split_sentences(text)]
    if len(sentences) < 2 or not sentences[-1].rstrip().endswith("?"):
        return text
    ask, before = sentences[-1], sentences[-2]
    its = _ITS_WORD.search(ask) if ONE_NAME_ITS else None
    if its is not None and not _PROPER.search(ask[: its.start()], 1):
        # "... map our board appraisal to the LCF. What are its six domains again?": the only
        # name the sentence before gives is whose they are
        names = list(dict.fromkeys(_names_in(before, _PROPER)))
        # (and ends it: in "The NIB letter promised a framework. What is its title?" the
        # framework, named last, is whose)
        if len(names) == 1 and re.search(rf"\b{re.escape(names[0])}\W*$", before):
            whose = f"the {names[0]}" if names[0].isupper() else names[0]  # ("the LCF's")
            return ask[: its.start()] + f"{whose}'s" + ask[its.end() :]
    topic = _SPOKEN_ABOUT.search(before)
    it = _IT_WORD.search(ask)
    if topic is None or it is None or _PROPER.search(ask[: it.start()], 1):
        return text
    if _THE_NOUN.search(ask[: it.start()]) or _DUMMY_IT.match(ask, it.start()):
        return text
    return ask[: it.start()] + topic.group("topic").strip() + ask[it.end() :]


# ... and "its" in a question that names nothing before it belongs to the one name the sentence
# before gives, when that sentence ends on it (tester53)
ONE_NAME_ITS = True
_ITS_WORD = re.compile(r"\bits\b", re.IGNORECASE)


_ASKED_INSIDE = re.compile(rf"\b(?:whether|{WH_WORDS})\b", re.IGNORECASE)


def _names_in(text: str, pattern: re.Pattern[str]) -> list[str]:
    """The names the text gives, not a stop word nor one after "our" or "my" (the asker's own)."""
    return [
        m.group(1)
        for m in pattern.finditer(text)
        if m.group(1).lower() not in STOPWORDS
        and m.start() > 0
        and not _OURS_BEFORE.search(text, 0, m.start())
    ]


SUBJECT_BEFORE_US = True  # (tester47)


def _leaned_on(scene: str) -> str:
    """What a question's earlier sentences give it to lean on: a sentence in which the asker
    speaks of themselves gives the claim it reports ("A colleague told me that ..."), else the
    question it holds ("I'd like to know what ...", "The chair asked whether ..."), else the
    names in it ("Our CEO keeps quoting a report by Chris Ham"); any other sentence, or one
    naming nothing, is given whole."""
    from knowledge.sentences import split_sentences

    kept: list[str] = []
    bare: list[str] = []  # (the asker's sentences that name nothing: "I haven't read it yet.")
    for sentence in (s.text for s in split_sentences(scene)):
        if not _FIRST_PERSON.search(sentence.replace("US", "")):
            kept.append(sentence)
            continue
        reported = _REPORTED.match(sentence)
        if reported:
            kept.append(sentence[reported.end() :])
            continue
        asked = _ASKED_INSIDE.search(sentence)
        if asked and _FIRST_PERSON.search(sentence, 0, asked.start()):
            kept.append(sentence[asked.start() :])
            continue
        first = _FIRST_PERSON.search(sentence.replace("US", ""))
        if (
            SUBJECT_BEFORE_US
            and first
            and not asked
            and len(sentence[: first.start()].split()) >= 6
        ):
            # "The NHS Confederation's 2024 peer learning programme ... came up at our last
            # committee.": what the sentence is about comes before the asker speaks of themselves
            kept.append(sentence[: first.start()])
            continue
        names = _names_in(sentence, _NAMED)
        if names:
            kept.extend(names)
        else:
            bare.append(sentence)
    # ("We met last week.": all there is to lean on)
    return " ".join(kept if kept and BARE_ASIDE else kept + bare)


def _asking_part(text: str) -> str:
    """The sentences that ask (end with "?"), when a statement sets the scene before them.

    "We're refreshing our improvement strategy. What did the Health Foundation find?" names
    the trust's strategy only as background: the document a question is about is in the
    sentence that asks. A question with no "?" is read whole.
    """
    from knowledge.sentences import split_sentences

    sentences = [t for s in split_sentences(text) for t in _typed_sentences(s.text)]
    asking = [_after_scene(s) for s in sentences if s.rstrip().endswith("?")]
    if not asking and len(sentences) == 1 and SCENE_WITHOUT_MARK:
        # typed without its "?": "we're doing a QI project on lithium monitoring - what test
        # cycles does the people and culture component say to run"
        return _after_scene(text)
    if not asking and len(sentences) > 1:
        # A question put as a statement, after sentences that set the scene: "... I'd find it
        # useful to know what the guidance says about where to start."
        return _embedded_question(sentences[-1]) or text
    return " ".join(asking) if asking else text


# A question typed without its capitals: a new sentence opening with a small question word
# after a full stop ("... show the board is on it. what % of providers ...?"), which the
# document splitter does not cut (it waits for a capital).
TYPED_SENTENCES = True
_TYPED_START = re.compile(rf"(?<=[.!?])\s+(?=(?:{WH_WORDS})\b)")
# A remark typed after the question mark, which is not a question of its own: "... stand for?
# want to get it right on the slide", "who chairs it? need it for the board paper".
_TRAILER = re.compile(r"^(?P<ask>.*\?)\s+(?P<rest>[^?]+)$", re.DOTALL)


def _typed_sentences(sentence: str) -> list[str]:
    """One split sentence as its asker typed it: cut before a small question word opening a new
    sentence, and without a remark after its last "?" that asks nothing."""
    if not TYPED_SENTENCES:
        return [sentence]
    parts = [p for p in _TYPED_START.split(sentence) if p.strip()]
    last = _TRAILER.match(parts[-1].strip()) if parts else None
    if last and not _asks_itself(last.group("rest")):
        parts[-1] = last.group("ask")
    return parts


def _asks_itself(remark: str) -> bool:
    """Does a remark typed after a "?" ask a question of its own ("and who launched it")?"""
    words = remark.lower().replace(",", " ").split()
    return any(w in WH_WORDS.split("|") for w in words[:3]) or bool(
        words and words[0] in AUXILIARIES
    )


_WH_START = re.compile(rf"\b(?:{WH_WORDS})\b", re.IGNORECASE)
_YOU_ME = re.compile(r"\b(?:you|me)\b", re.IGNORECASE)


def _embedded_question(sentence: str) -> str | None:
    """The question inside a statement that opens with the asker speaking ("I'd find it useful
    to know what ...", "Tell me who ..."): from its first question word; else None."""
    match = _WH_START.search(sentence)
    if not match or not match.start():
        return None
    scene = sentence[: match.start()]
    if _FIRST_PERSON.search(scene.replace("US", "")) or _YOU_ME.search(scene):
        return sentence[match.start() :]
    return None


# A scene set inside the sentence, before a colon, a semicolon, a dash or ", but": "For our away
# day: what did the evaluation find?", "Our board is new to this - what are the five
# components?", "Our CFO keeps raising costs, but what does the guidance say ...?". The asker
# speaks of themselves in it; "Leeds case study - which organisations were involved?" names
# its topic before the dash, not a scene.
# A scene that trails off, an opening phrase with no comma, a "realistically" before the
# question word (tester37)
SCENE_TRAILS = True
_SCENE_CLAUSE = re.compile(
    r"^(?P<scene>.{8,}?)\s*(?::|;|,\s+but|\s[-\u2013\u2014]"
    # (or trailing off, "... keen on all this... who did ...?"; tester37)
    + (r"|\.{3}|\u2026" if SCENE_TRAILS else "")
    + r")\s+"
    # the question may open with a phrase of its own: "...: in the 2023 survey, what share ...?"
    # (tester37's "... - in the 2024 NHS Providers survey what proportion ...?" has no comma),
    # or with a word saying how it is asked: "..., but realistically how long ...?"
    + r"(?P<ask>(?:(?:in|for|from|on|at|under|according to|by)\s[^,:;?]{1,60}"
    + (r"?(?:,\s*|\s+(?=(?:what|which|who|when|how)\b))" if SCENE_TRAILS else r",\s*")
    + r")?"
    + (r"(?:[a-z]+ly,?\s+)?" if SCENE_TRAILS else "")
    + rf"(?:{WH_WORDS}|can|could|should|would|will|{_AUX})\b.*)$",
    re.IGNORECASE | re.DOTALL,
)


# A scene set by a phrase of time or purpose before a comma: "Ahead of our well-led review, how
# many ...?", "For our strategy refresh, when did ...?" ("In our minutes, who ...?" names where
# to look, and stays part of the question).
_LEADING_SCENE = re.compile(
    r"^(?P<scene>(?:ahead of|before|after|for|following|during|in (?:preparation|advance) for)"
    r"\s[^,?]{3,}?),\s+"
    rf"(?P<ask>(?:{WH_WORDS}|can|could|should|would|will|{_AUX})\b.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _after_scene(sentence: str) -> str:
    match = _SCENE_CLAUSE.match(sentence.strip()) or _LEADING_SCENE.match(sentence.strip())
    if match and _FIRST_PERSON.search(match.group("scene").replace("US", "")):
        inner = _embedded_question(match.group("scene"))
        if EMBEDDED_ASK and inner and len(set(stems(match.group("ask")))) < ASKING_TERMS:
            # "... the chair wants to know what sepsis screening compliance was - can you tell
            # me?": the question is the one the scene holds, not the request to answer it
            return f"{inner.rstrip(' .')}?"
        return match.group("ask")
    return sentence


SCENE_WITHOUT_MARK = True  # a one-sentence question's scene is set aside without its "?" too
EMBEDDED_ASK = True  # the question a scene holds before "can you tell me?" (own6 +1 fact)


# "Our CEO wants to know ...": a name after "our" or "my" is the asker's own (their chief
# executive, their committee), which national documents are not expected to mention; whether a
# question about it is for the organisation's own papers is the intent classifier's decision.
_OURS_BEFORE = re.compile(r"\b(?:our|my)\s+$", re.IGNORECASE)


# A numbered label: a word and a number after it ("Ward 11", "Priority 2", "month 6"), not the
# start of a longer figure ("Ward 3.5", "Ward 31")
_NUMBERED_LABEL = re.compile(r"\b([A-Za-z][A-Za-z-]+)\s+(\d{1,3}[a-z]?)\b(?![.,:]?\d)")


def numbered_labels(text: str, capitalised: bool = False) -> list[tuple[str, str]]:
    """The (word, number) labels the text names; not after a stop word or a month ("in 12",
    "April 23"); `capitalised`: only those whose word has a capital ("Ward 11")."""
    return [
        (m.group(1), m.group(2))
        for m in _NUMBERED_LABEL.finditer(text)
        if m.group(1).lower() not in STOPWORDS
        and m.group(1).capitalize() not in MONTH_NAMES
        and (not capitalised or m.group(1)[0].isupper())
    ]


def label_pattern(word: str, number: str | None = None) -> re.Pattern[str]:
    """The label as a phrase in any case ("ward 3" for "Ward 3", not "Ward 31"); with no number,
    the word with any number (captured)."""
    n = re.escape(number) if number else r"(\d{1,3}[a-z]?)"
    return re.compile(rf"\b{re.escape(word)}\s+{n}\b(?![.,:]?\d)", re.IGNORECASE)


FORM_ASKED = True


def form_as_question(text: str) -> str:
    """The text, or the question it asks when it asks for the form of an answer."""
    return _form_asked_as_question(text) if FORM_ASKED and _FORM_ASKED.match(text) else text


def _form_asked_as_question(text: str) -> str:
    """The question a request for the form of an answer asks: "What is NHS IMPACT?" for
    "Summarise NHS IMPACT in three bullet points", "How boards rate it?" for "Describe how
    boards rate it"."""
    rest = _FORM_TRAILER.sub("", _FORM_ASKED.sub("", text)).strip().rstrip("?.! ")
    if not rest:
        return text
    if re.match(rf"(?:{WH_WORDS})\b", rest, re.IGNORECASE):
        return rest[:1].upper() + rest[1:] + "?"
    last = rest.split()[-1]
    return f"What {'are' if is_plural(last) else 'is'} {rest}?"


@lru_cache(maxsize=512)
def analyse(question: str) -> Question:
    """The parts of a question that decide what a good answer contains."""
    text = _TRAILING_POLITE.sub("", _POLITE.sub("", question.strip())).strip() or question.strip()
    text = form_as_question(text)
    text = text[:1].upper() + text[1:]
    if TOPIC_IT:
        text = _it_as_topic(text)
    named = None
    which = ""
    asking = _asking_part(text)
    match = _NAMED_DOC.search(asking)
    if match:
        named = (match.group("a") or match.group("b") or "").strip() or None
        qualifier = _OF_NAME.match(asking, match.end()) if match.group("b") else None
        if named and qualifier:
            # "the evaluation of the Virginia Mason partnership" names which evaluation
            named = f"{named} of {qualifier.group(1)}"
            which = qualifier.group(1)
    # "the guidance", "our 2026 report": a kind of document, not one by name.
    kind_only = bool(named) and not _names_something(named or "")
    # Names, like a named document, count where the question asks: "We're a Birmingham trust."
    # sets the scene, and its place is not what the knowledge base must mention.
    proper = tuple(dict.fromkeys(_names_in(asking, _PROPER)))
    # The asking sentence stands alone unless it leans back ("What does it say?") or says too
    # little to search on by itself ("Is that right?").
    alone = not _leans_back(asking) and len(set(stems(asking))) >= ASKING_TERMS
    covered = asking if alone else text
    scene = text[: len(text) - len(asking)]  # (what comes before the sentences that ask)
    if (
        CLAIM_CHECK
        and asking != text
        and _YES_NO.match(asking)
        and _leans_back(asking)
        and len(set(stems(asking))) <= 1
    ):
        # "Our CEO thinks NHS IMPACT means we all have to switch to one method. Is that
        # right?": what must be covered is the claim, not who made it nor "right"
        covered = _REPORTED.sub("", scene).strip() or text
    quoted = [m.group(1) for m in _QUOTED.finditer(scene)]
    # (the whole sentences before the one that asks: a scene inside it stays in the question)
    before = re.sub(r"[^.!]*$", "", scene)
    if LEAN_NAMES and not alone and covered == text and before.strip() and not quoted:
        # "Our CEO keeps quoting a report by Chris Ham ... I haven't had time to read it. How
        # many leaders did he talk to?": what the question leans back on is what the scene
        # says, not how the asker came to ask (tester40)
        covered = f"{_leaned_on(before)} {asking}".strip()
    if not alone and asking != text and quoted:
        # "... the guidance says to do 'cultural readiness work' first. What does NHS IMPACT
        # mean by that?": what it leans back on is the phrase in quotes, not the whole scene
        covered = f"{asking} {' '.join(quoted)}"
    kind = _answer_type(text)
    count = _asked_count(text) if kind == "list" else None
    if count is None and _answer_type(covered) == "list":
        # "Our board is new to this. What are the five components?" asks for a list of five,
        # whatever the scene before it. (Taking every answer type from the asking sentence lost
        # a dev and a blind fact: "Who makes up each coaching pair" is not asking for a name.)
        count = _asked_count(covered)
        # "... What were the main themes?" asks for a list even without a number, when the
        # whole question asks for nothing more specific.
        listing = kind == "other" and _ARE_THE.search(covered) is not None
        kind = "list" if count is not None or listing else kind
    counted = _THEY_COUNTED.search(text) if kind == "other" else None
    if counted:
        # "... grouped its findings into five themes - what were they?": the things counted
        # before are what "they" asks to be listed
        word = counted.group("count").lower()
        number = int(word) if word.isdigit() else NUMBER_VALUES.get(word, 0)
        kind, count = "list", (number if 2 <= number <= 20 else None)
    return Question(
        text,
        kind,
        tuple(dict.fromkeys(stems(counts_in_words(text)))),
        proper,
        named,
        count,
        kind_only,
        covered,
        tuple(dict.fromkeys(stems(counts_in_words(covered)))),
        which,
    )


# "the 5 components": a small count before a plural, as the passages write it ("five")
_COUNT_DIGITS = re.compile(r"\b(\d{1,2})\s+(?=[A-Za-z][\w-]*s\b)")
_COUNT_NAMES = {n: name for name, n in NUMBER_VALUES.items()}


def number_word(n: int) -> str:
    """A count in words where there is one ("five"), else in digits."""
    return _COUNT_NAMES.get(n, str(n))


def counts_in_words(text: str) -> str:
    """A count of 2 to 12 written in digits before a plural noun, in words: the term "5"
    matched "components 2 to 5" and "component 5" rather than "the five components" (in the key
    terms, and in the search: "what are the 5 components again?" found component 5's page)."""

    def word(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f"{_COUNT_NAMES[n]} " if 2 <= n <= 12 else m.group(0)

    return _COUNT_DIGITS.sub(word, text)


_DOC_NOUN = re.compile(rf"^(?:{_DOC_NOUNS})$", re.IGNORECASE)
ASKING_TERMS = 2
# A claim checked by a short question after it ("... Is that right?") is covered by the claim
# alone: who made it, with a verb of saying or thinking, is not what the evidence must hold
CLAIM_CHECK = True
# A question leaning back on whole sentences before it is covered by what they say, not by how
# the asker came to ask (tester40: +2 facts, +1 answered; no check-set answer lost)
LEAN_NAMES = True
BARE_ASIDE = True  # the asker's sentences naming nothing add nothing when another gives something
_REPORTED = re.compile(
    r"^[^.?!]*?\b(?:thinks?|thought|says?|said|claims?|claimed|believes?|believed|tells? us|told "
    r"(?:us|me)|heard|hears|assumes?|assumed|reckons?|insists?|insisted)\b(?:\s+that)?\s*",
    re.IGNORECASE,
)
WORD_FOR_WORD = True  # "the name", "the acronym" lean back too (tester40 +1 fact)
# "it", "they" and a demonstrative standing alone ("Can you set that out?", "What does this
# mean?"), not one before a noun ("in that model", which names what it means).
_LEANS_BACK = re.compile(
    r"\b(it|its|they|them|their)\b|\b(this|that|these|those)\b(?=\s*(?:[?.!,;]|$)|\s+(?:out|up|"
    r"for|to|in|on|about|mean|means|say|says|said|is|was|are|were)\b)"
    # a demonstrative as the subject of a question ("Is that right, or ...?", "Was this ever
    # published?")
    r"|^\s*(?:is|was|are|were|does|did|do|has|have|had)\s+(?:this|that|these|those)\b"
    # a word for a word, with nothing after it to say whose: "What does the name stand for?"
    # (tester40: "... keeps saying 'NHS IMPACT' ... What does the name actually stand for?")
    + (
        r"|\bthe\s+(?:name|acronym|abbreviation|term|phrase)\b(?!\s+(?:of|for)\b)"
        if WORD_FOR_WORD
        else ""
    ),
    re.IGNORECASE,
)


# "it" that stands for nothing before it: "how long does it (usually) take to grow ...", "is it
# true that ..."
SAID_IT = True  # "it" before a past form and "that" or "to" stands for nothing before
NAME_NOUN_IT = True  # a noun named with "the" may have a short name before it
_DUMMY_IT = re.compile(
    r"it\s+(?:\w+ly\s+)?(?:take|takes|took)\s+(?:\w+\s+){0,3}?to\b"
    r"|it\s+(?:true|right|the case)\s+(?:that|whether)\b"
    # "why is it recommended that ...", "is it advised to ..." (tester36)
    # (not before a name: "Was it confined to England" asks about the programme before it)
    + (
        r"|it\s+(?:is\s+|was\s+)?(?:\w+ly\s+)?\w{3,}ed\s+(?:that\b|to\b(?!\s+(?-i:[A-Z])))"
        if SAID_IT
        else ""
    ),
    re.IGNORECASE,
)
# (a switch for the ablations: tester17's long question was refused as the scene's words
# counted; no other answer in dev or the check sets changes)
DUMMY_IT = True
# ... nor when a thing is named with "the" before it in the same sentence (a fresh tester's "...,
# I'd like to know: what is the baseline for improvement and when was it completed?" was read
# with its scene, and refused)
NAMED_BEFORE_IT = True
_THE_NOUN = re.compile(
    r"\b(?:the|an?)\s+[a-z][a-z-]{2,}\b"
    # (after a short name: "the Q community", "the NHS IMPACT team"; tester36)
    + (r"|\b[Tt]he\s+(?:(?-i:[A-Z])[\w-]*\s+){1,3}(?-i:[a-z])[a-z-]{2,}\b" if NAME_NOUN_IT else ""),
    re.IGNORECASE,
)


QUOTED_BEFORE_IT = True  # a phrase in quotes before "it" in the asking sentence is what it means


def _leans_back(asking: str) -> bool:
    """Does the asking sentence lean on the one before? "they", "them" and "their" do not when a
    plural noun comes before them in it ("what the five components are, in the order NHS
    England sets them out"), nor "it" and "its" when a name does; any other pronoun or
    demonstrative does."""
    for match in _LEANS_BACK.finditer(asking):
        word = match.group(0).lower()
        if word in ("it", "its") and any(
            m.start() > 0 for m in _NAMED.finditer(asking[: match.start()])
        ):
            continue  # "did the Flow Coaching Academy reach ..., and how many has it trained?"
        if NAMED_BEFORE_IT and word in ("it", "its") and _THE_NOUN.search(asking[: match.start()]):
            continue  # "what is the baseline for improvement and when was it completed?"
        if QUOTED_BEFORE_IT and word in ("it", "its") and quoted_phrase(asking[: match.start()]):
            continue  # "which component does 'cultural readiness work' sit under and what does
            # it mean?" (tester51)
        if DUMMY_IT and word == "it" and _DUMMY_IT.match(asking, match.start()):
            continue  # "how long does it usually take to ...": "it" stands for nothing before
        if word not in ("they", "them", "their"):
            return True
        before = re.findall(r"[a-z]+", asking[: match.start()].lower())
        if not any(is_plural(w) for w in before if w not in STOPWORDS):
            return True
    return False


# A name after a document noun says which one: "... evaluation of the Virginia Mason partnership".
_OF_NAME = re.compile(r" of (?:the )?([A-Z][\w'-]*(?: (?:of |and |for )?[A-Z][\w'-]*)*)")


def _names_something(phrase: str) -> bool:
    """Does the phrase say which document ("the assurance memo"), not only what kind ("the
    guidance")? A word other than a document noun or a number has to be in it."""
    words = [w for w in _PLAIN_WORD.findall(phrase) if w.lower() not in STOPWORDS]
    return any(not w.isdigit() and not _DOC_NOUN.match(w) for w in words)


# "What are the six domains...", "five components?": the number right before the listed noun.
# A count asked after the name of whose things they are (tester31: "What are the Flow Coaching
# Academy's six guiding principles?" asks for six)
COUNT_AFTER_WHOSE = True
_WHOSE = r"(?:(?:[\w-]+\s+){0,4}?[\w-]+['\u2019]s\s+)?"
_ASKED_COUNT = re.compile(
    r"^(?:(?:what|which)\s+(?:are|were)\s+(?:the|its|their)\s+|list\s+the\s+|name\s+the\s+)?"
    # (after whose they are: "What are the Flow Coaching Academy's six guiding principles?")
    + (_WHOSE if COUNT_AFTER_WHOSE else "")
    + r"(\d{1,2}|[a-z]+)\s+[a-z-]+",
    re.IGNORECASE,
)


# ... or asked inside a sentence: "Can you remind me what the five components are?"
_EMBEDDED_COUNT = re.compile(
    rf"\b(?:(?:what|which)\s+(?:(?:are|were)\s+)?(?:(?:{_THE_WORDS})\s+)?"
    # (or a list asked for by its length: "the full list of all eight systems"; tester40)
    + (r"|list\s+of\s+(?:all\s+)?(?:the\s+)?" if DEMONSTRATIVE_LIST else "")
    + r")(\d{1,2}|[a-z]+)\s+(?:[a-z-]+\s+)?[a-z-]+s\b",
    re.IGNORECASE,
)


# A number of things named, then asked for by a pronoun: "five themes - what were they?"
_THEY_COUNTED = re.compile(
    rf"\b(?P<count>{_NUMBER_WORDS}|\d{{1,2}})\s+(?:[a-z-]+\s+)?[a-z-]+s\b.*?"
    r"\b(?:(?:what|which)\s+(?:are|were)\s+(?:they|these|those|them)|(?:name|list)\s+them)\s*(?:[?.!]|$)",
    re.IGNORECASE | re.DOTALL,
)


def _asked_count(text: str) -> int | None:
    for match in (_ASKED_COUNT.match(text.strip()), _EMBEDDED_COUNT.search(text)):
        if not match:
            continue
        word = match.group(1).lower()
        count = int(word) if word.isdigit() else NUMBER_VALUES.get(word, 0)
        if 2 <= count <= 20:
            return count
    return None


# The noun a "what/which" question asks for (assistant/listed.py explains its use).
_NOUN_WORD = re.compile(r"[A-Za-z0-9][\w'\u2019-]*")
_KIND_OF = frozenset({"kind", "kinds", "sort", "sorts", "type", "types"})
_COPULA = frozenset({"is", "are", "was", "were"})
# (or "its" or "their", pointing back at what the question has named: "When was the framework
# published, and what are its domains?"; not "our", whose noun phrase may run across a name,
# "our latest NHS Staff Survey scores", and be cut at it)
_ARTICLE_WORDS = frozenset({"the", "a", "an", "its", "their"})


# Whose things are asked for is not what is asked for: "What are the board's responsibilities?"
# asks for responsibilities
POSSESSIVE_NOUN = True


def asked_noun(question: str) -> str | None:
    """The noun a "what/which ..." question asks for, else None."""
    words = _NOUN_WORD.findall(question)
    low = [w.lower() for w in words]
    start = next((i + 1 for i, w in enumerate(low) if w in ("what", "which")), None)
    if start is None:
        return None
    j = start
    if j < len(low) and low[j] in _COPULA:  # "What are the five components of ..."
        if j + 1 >= len(low) or low[j + 1] not in _ARTICLE_WORDS:
            return None
        j += 2
    phrase: list[str] = []
    for word, lower in zip(words[j:], low[j:], strict=True):
        if lower == "of" and phrase and phrase[-1].lower() in _KIND_OF:
            phrase = []  # "Which kinds of provider ...": the provider is asked for
            continue
        if POSSESSIVE_NOUN and re.search(r"['\u2019]s$", lower) and len(lower) > 2:
            phrase = []  # "the Flow Coaching Academy's six principles": the principles
            continue
        if lower in STOPWORDS or (phrase and word[0].isupper() and not phrase[-1][0].isupper()):
            break
        phrase.append(word)
    if not phrase or phrase[-1].lower().endswith("ly"):  # "What exactly does ...": no noun
        return None
    # "What themes came out of ...": the phrase runs on into the verb; the plural asked for
    # ends the noun
    plural = next((w for w in phrase[:-1] if is_plural(w) and not w.isupper()), None)
    return plural or phrase[-1]


_LETTER_WORDS = re.compile(r"[A-Za-z]+")


def initials_run(acronym: str, text: str) -> str | None:
    """The words in a row, none of them a stopword, whose first letters spell the acronym
    ("quality improvement" for "QI", "National Improvement Board" for "NIB"), or None."""
    words = _LETTER_WORDS.findall(text)
    letters = acronym.lower()
    n = len(letters)
    for i in range(len(words) - n + 1):
        run = words[i : i + n]
        if "".join(w[0].lower() for w in run) == letters and not any(
            w.lower() in STOPWORDS for w in run
        ):
            return " ".join(run)
    return None


# A time of day or a day of the week: "9am", "10:30", "noon", "on Tuesdays"
_TIME = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*(?:am|pm)\b|\b\d{1,2}:\d\d\b|\b(?:noon|midday|midnight)\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b",
    re.IGNORECASE,
)


def says_when(text: str) -> bool:
    """Does the text say when in any form: a date, a month or year, a time of day, a weekday or
    how often ("each month")? What a "When ...?" question may be answered with."""
    return bool(_DATE.search(text) or _TIME.search(text) or _FREQUENCY.search(text))


# A question asking where something is or happens: "Where was the first meeting held?", "AQuA -
# where is it based?" (not "Where should we start?", nor "Where are we against plan?")
ASKS_WHERE = re.compile(
    r"(?:[^?:\u2013\u2014-]{1,60}?(?:\s[\u2013\u2014-]|:)\s+)?\s*where\s+"
    r"(?:is|was|are|were|will|would|did|does|do)\b[^?]*?\b(?:held|based|located|hosted|"
    r"situated|headquartered|take\s+place|took\s+place|meet|met)\b",
    re.IGNORECASE,
)
# A place in any form: "in Leeds", "at Skipton House", "in the North West of England" (a month
# after "in" is a time), or online
_PLACE = re.compile(
    rf"\b(?:[Ii]n|[Aa]t|[Nn]ear|[Ff]rom)\s+(?:the\s+)?(?!(?:{_MONTHS})\b)[A-Z][a-z]"
    r"|\b(?:online|virtually|remotely|by video)\b"
)


def says_where(text: str) -> bool:
    """Does the text name a place (or say the thing is online)? What a "Where was it held?"
    question may be answered with."""
    return bool(_PLACE.search(text))


# Two or more capitalised words in a row ("Andy Hardy", "Sheffield Teaching Hospitals", "RAND
# Europe"), or a title before one ("Professor Hardy")
_NAME_RUN = re.compile(
    rf"\b(?:(?:{_TITLE_WORDS})\.?\s+[A-Z][\w'-]+"
    r"|[A-Z][\w'-]*[a-zA-Z](?:\s+(?:of\s+|and\s+|the\s+)?[A-Z][\w'-]*[a-zA-Z])+)"
)


ROLE_NOT_NAME = True  # "The Chair welcomed ..." names no one (own5 +1, own6 +1 fact; dev unchanged)


def names_someone(sentence: str, question: str) -> bool:
    """Does the sentence name a person or a body the question does not: a run of capitalised
    words or a titled name, one of whose words the question lacks? An acronym alone ("the
    NHS") or a term in quotes ("a weekly 'Big Room'") names no one."""
    asked = set(stems(question))
    text = _QUOTED.sub(" ", sentence)
    for match in _NAME_RUN.finditer(text):
        words = [w for w in re.findall(r"[A-Za-z][\w'-]*", match.group(0)) if w[0].isupper()]
        if (
            match.start() == 0
            and len(words) == 2
            and not _TITLES.match(words[0])
            and (words[0].lower() in STOPWORDS or words[0].lower() in NUMBER_VALUES)
        ):
            continue  # "The National ...": a sentence's first word is capitalised anyway
        if set(stems(" ".join(words))) - asked:
            return True
    return False


def says_how_often(text: str) -> bool:
    """Does the text say how often something happens ("monthly", "every", "twice a year")?"""
    return bool(_FREQUENCY.search(text))


def has_answer_type(answer_type: str, sentence: str, question: str = "") -> bool:
    """Does the sentence hold the kind of answer the question asks for? (`question`: the
    question, for an answer type that depends on what it names.)"""
    if answer_type == "share":
        return bool(_SHARE.search(sentence))
    if answer_type == "figure":  # a count: a percentage or a year does not answer "how many"
        return bool(_COUNT.search(_DATE.sub(" ", sentence)))
    if answer_type == "frequency":
        return bool(_FREQUENCY.search(sentence) or _FIGURE.search(sentence))
    if answer_type == "duration":
        return bool(_DURATION.search(sentence))
    if answer_type == "date":
        return bool(_DATE.search(sentence))
    if answer_type == "person":
        body = sentence.split(" ", 1)[1] if " " in sentence else ""
        if ROLE_NOT_NAME and sentence.split(" ", 1)[0].lower() in STOPWORDS:
            # "The Chair welcomed members": a lone capitalised word after the sentence's
            # opening determiner is capitalised as the role, not a name ("The Health
            # Foundation", two, is one)
            body = re.sub(r"^[A-Z][a-z]+(?=\s+[a-z])", "", body)
        return bool(_TITLES.search(sentence) or _PROPER.search(" " + body))
    if answer_type == "list":  # several short items: "a, b, c and d"
        if not _ENUMERATION.search(sentence):
            return False
        parts = re.split(r"[,;:]|\band\b", sentence)
        return sum(len(p.split()) for p in parts) / len(parts) <= 7
    if answer_type == "definition":
        return bool(_DEFINES.search(sentence))
    if answer_type == "identity":  # "Dr Amar Shah, NHS England's ...", "Shah is ...", "Shah chairs"
        person = asked_person(question)
        if not person:
            return False
        surname = re.escape(person.split()[-1])
        return bool(
            re.search(
                rf"\b{surname}\b(?:,\s+\S|\s+(?:is|was|has been|became)\s+(?:a|an|the|[A-Z])"
                rf"|\s+(?:{_ROLE_VERBS})\b)",
                sentence,
            )
        )
    return True
