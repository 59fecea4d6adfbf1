"""Offline answers: the sentences of the evidence that hold what was asked, each carrying its [n].

Sentences are scored by shared (stemmed, idf-weighted) terms, the passage's relevance (its dense
similarity and coverage of the question) and whether they hold the kind of answer asked for (a
figure, a name, a date, a list); no second model pass. A sentence that needs the one
before it ("It ...", "They ...") brings that sentence along; when the fact sits in the sentence
next to the best match, the neighbour is used; list questions get the whole list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from assistant.questions import (
    AUXILIARIES,
    MONTH_NAMES,
    REFERENCE,
    STOPWORDS,
    WH_WORDS,
    Question,
    analyse,
    asked_extreme,
    asked_noun,
    defines_asked,
    has_answer_type,
    holds_role_asked,
    is_plural,
    label_pattern,
    names_someone,
    numbered_labels,
    says_extreme,
    speaks_as_us,
    stems,
    term_coverage,
)
from knowledge import BUNDLED_PREFIX, Evidence
from knowledge.months import MONTH_SHORT, short_month
from knowledge.safety import addressed_to_ai
from knowledge.sentences import split_sentences, table_rows, table_tail

MAX_WORDS = 150
SHORTLIST = 6
OVERLAP = 0.35  # weight of the sentence's share of the question's (idf-weighted) terms
SIMILARITY = 0.8  # weight of the passage's dense similarity to the question
PASSAGE_COVERAGE = 0.5  # weight of the passage's coverage of the question (chosen on dev)
WINDOW = True  # the best sentence brings its neighbour from the same passage (chosen on dev)
LIST_LEAD_IN = True  # a list answer starts with the sentence that introduces it (chosen on dev)
LEAN_TERMS = True  # a sentence opening "It ..." shares the terms of the one before (dev)
COUNT_BOOST = 0.1  # a list with as many items as the question asks for (chosen on dev)
INLINE_MARGIN = 0.25  # an enumerating sentence beats a bulleted list only by this much (dev)
# A list answers a list question only when its best line scores at least this share of the best
# sentence anywhere: "Q founding members?" is answered by "At the start there were 231 founding
# members", not by a bulleted list from a passage that barely matches (chosen on dev: 0.6 to
# 0.75 gained a fact and lost none; 0.8 lost one).
LIST_SHARE = 0.7
# ... or this much, when the list has just as many items as the question asks for ("the six
# domains": tester21's board secretary had been given a sentence saying there are six; set, not
# tuned: +1 fact, no other check-set outcome moved)
COUNTED_LIST_SHARE = 0.5
# A list is not the answer when it lacks the rarest word asked and the best sentence holds it
# (own14: "Which board members sent apologies ...?" had been given the action log)
LIST_FOCUS = True
ITEM_WORDS = 8  # an item this long says what it is on its own ("Run a validation sprint ...")
LIST_BEFORE = 30  # the items before an answering item are shown up to this many words
FILL_WORDS = 80  # an offline answer continues its best passage to about this length (dev)
# a sentence with a superlative the way a "most/least" question asks (tester31, tester32)
EXTREME_BOOST = 0.1
TYPED_BOOST = 0.12  # a sentence holding the kind of answer asked for (0.25 lost facts on dev)
# A figure asked for a month the best passage does not give comes from the table row that does,
# holding at least this share of the question's words
MONTH_ROWS = True
MONTH_ROW_SHARE = 0.5
HEADED_PEOPLE = True  # "who ...?" answered by the list of people under a heading holding its word
# The first sentence under a heading that holds the question's terms gains this much per share
# of them when the best sentence is chosen (chosen on dev: 0.1-0.3 changed nothing, 0.6 one
# more fact, 1.0 two more; with "found" read as "find", four: dev fact 0.812 -> 0.835, no fact
# lost on dev, blind, tester or own-dev).
HEADING_SHARE = 1.0
# ... for a question of this many key terms or more: the one term of "What is the NIB?" in a
# heading ("The caveat: the NIB's promised framework") says nothing about which sentence
# answers it (a fresh user got that section's first sentence; no benchmark fact changed)
HEADING_TERMS = 2
# ... and that sentence holds a time when one is asked for (a date, a length, how often); for a
# figure or a name the heading still counts (with every type: own5 lost a fact, tester14 a
# decline, and own6 and own14 gained one each)
HEADING_TYPED = True
_TIME_TYPES = ("date", "duration", "frequency")
# "When was AQuA set up?": when the best-matching sentence holds no date and another sentence
# that scores at least this share of it does, that one answers first (chosen on dev: 0.4 to 0.7
# gave the same answers, 0.75 lost one; two more dev facts, nothing else changed on dev, blind,
# tester, tester2 or own-dev). Only for a question that opens by asking when: "What did Ham
# describe when presenting ...?" does not ask for a date. Done the same way for figures and
# shares, it lost a dev fact each; for frequencies and names it changed nothing.
DATED_SHARE = 0.6
# ... and likewise for "how long" with a sentence that gives a length of time (tester27 +1
# fact: "How long is the FCA course?" after a sentence setting the scene; no other outcome moved)
TYPED_FIRST = ("duration",)
# ... when the sentence, with its passage's title and heading, holds half the words the question
# asks with ("How long does the self-assessment take?" is not answered by how long developing
# improvement experts takes; tester37, and a fresh user's trial)
TYPED_ABOUT = True


def _about_asked(q: Question, cand: Candidate, evidence: Sequence[Evidence]) -> bool:
    ev = evidence[cand.evidence_index]
    terms = q.asking_terms or q.key_terms
    return term_coverage(terms, f"{ev.title} {ev.heading} {cand.text}") >= 0.5


# A passage whose section heading the question quotes leads by this much (0.1 and 0.3 won the
# same three dev facts and lost nothing anywhere)
NAMED_SECTION = 0.1
# A term only the scene before the question holds weighs this share of its idf when sentences
# are scored (chosen on dev: 0.5 to 0.75 won a dev fact and lost none; 0.75 kept every check
# split's citation precision; 0.25 lost a blind fact; leaving the scene out entirely lost two)
SCENE_WEIGHT = 0.75
FILL_HOLES = True  # a line between two quoted lines of a passage is read (dev +1, tester4 +1)
# A list answer shows each item with the sentences that go on from it ("Five practices. ...
# These were: a shared purpose ...") on the item's line (no benchmark figure changed)
ITEMS_WHOLE = True
ASKS_WHEN = re.compile(
    # (after a topic and a dash or a colon: "AQuA - when was it set up?")
    r"(?:[^?:\u2013\u2014-]{1,60}?(?:\s[\u2013\u2014-]|:)\s+)?"
    r"\s*(?:when\s+(?:is|was|are|were|did|does|do|will|would|has|have|had|can|could|should)\b"
    r"|(?:what|which)\s+(?:year|date|month)\b)",
    re.IGNORECASE,
)
# A sentence or row holding a numbered label the question names, as a phrase ("Ward 3", "Priority
# 2", "month 6"): "Ward 9 ... 3.6" holds "ward" and "3" too (set, not tuned; see _labels)
LABEL_BOOST = 0.1
LABEL_NUMBERS = True
OWN_BOOST = 0.1  # "our" questions: own papers' sentences (chosen on own-dev; see the README)
_MARKUP = re.compile(r"\*\*|__|`")
_DANGLING = re.compile(r"[;,]?\s+(or|and)$", re.IGNORECASE)
_URL_ONLY = re.compile(r"^\S*https?://\S+")
_FORM_BLANK = re.compile(r"(?:\.\s?){5,}|_{4,}|\u2026{2,}")
# A bracketed web address ("(NHS England's long read, https://...)"): the citation names the
# source, and the address's words would count as the sentence's own.
_URL_ASIDE = re.compile(r"\s*\([^()]*https?://[^()]*\)")
# A sentence that leans on the one before it: a pronoun or a back-reference opens it.
_ANAPHORA = re.compile(
    r"^(it|its|they|their|them|this|these|those|such|both|he|she|his|her|here|used "
    r"together|in other words|as a result|however|also|that)\b"
    # "there" points back ("There, the board ..."), but not when it only says that something
    # exists ("There are now 52 active projects ...")
    r"|^there\b(?!\s+(?:is|are|was|were|has been|have been|had been|will be|may be))"
    # a step in a sequence leans on what came before: "First, leading improvement is ..."
    r"|^(first|second|third|secondly|thirdly|finally|lastly|similarly|likewise|instead),",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    text: str
    evidence_index: int
    order: int
    is_item: bool
    is_row: bool = False  # a row of a table: a record that answers on its own
    goes_on: bool = False  # a later sentence of the list item before it ("... these were: ...")


def is_list_question(question: str) -> bool:
    from assistant.questions import analyse

    return analyse(question).answer_type == "list"


def candidates_of(evidence: Sequence[Evidence]) -> list[Candidate]:
    """The sentences, list items and table rows of the passages that could be answer sentences."""
    return _candidates(evidence)


def _candidates(evidence: Sequence[Evidence]) -> list[Candidate]:
    found: list[Candidate] = []
    for index, ev in enumerate(evidence):
        order = 0
        for sentence in split_sentences(ev.text):
            raw = ev.text[sentence.start : sentence.end]
            lead, bar, rest = raw.partition("|")
            rows = table_rows(bar + rest)
            pieces = [(sentence.text, sentence.is_item, False)]
            if rows:
                # "The board agreed these actions. | Ref | Action | ..." (a table runs on from
                # the sentence before it): the sentence, as the rows' lead-in, then each row.
                intro = lead.strip().rstrip(".") + ":"
                pieces = [(intro, False, False)] * bool(lead.strip())
                pieces += [(r, True, True) for r in rows]
                # the paragraph after the table, run on in the index, is prose again
                tail = table_tail(bar + rest)
                pieces += [(t.text, False, False) for t in split_sentences(tail)]
            for piece, is_item, is_row in pieces:
                text = _URL_ASIDE.sub("", _MARKUP.sub("", piece)).strip()
                order += 1
                goes_on = sentence.in_item and not sentence.is_item and not rows
                # A short sentence that goes on from a list item ("Limited assurance.") is part
                # of the item; standing alone, it says too little to be an answer.
                shortest = 1 if is_item or goes_on else 4
                if len(text.split()) < shortest or _URL_ONLY.match(text):
                    continue
                if text.endswith("?") or addressed_to_ai(text):
                    continue  # discussion prompts are not answers; words to an AI never are
                if text.isupper() and not is_row:
                    continue  # a line in capitals is a heading ("QUALITY STRATEGY 2024-2027")
                if _FORM_BLANK.search(piece):
                    # a blank to fill in ("Signed as a true record: ........ Chair"), looked for
                    # before "__" is taken for emphasis and dropped
                    continue
                found.append(Candidate(text, index, order - 1, is_item, is_row, goes_on))
    return found


# The verb that ends "What does X cover?" (general English verbs of what a thing holds or
# says): it frames the question, and counts for this share of its usual weight
_FRAME_VERB = re.compile(
    r"^\s*what (?:does|do|did) .+? (?P<verb>cover|covers|include|involve|contain|say|mean|"
    r"require)\s*\??\s*$",
    re.IGNORECASE,
)
FRAME_WEIGHT = 0.3


# A table row holding every word asked answers over a better-scored sentence that does not, when
# it scores at least this share of it (no benchmark split changed from 0.8 down to 0)
ROW_SHARE = 0.8


def _cheap_scores(
    q: Question,
    candidates: list[Candidate],
    evidence: Sequence[Evidence],
    doc_dates: Mapping[int, frozenset[str]] | None = None,
) -> np.ndarray:
    """Score without the model: shared idf-weighted terms, passage relevance, answer type."""
    dated = doc_dates or {}
    sets = [set(stems(c.text)) for c in candidates]
    query = set(q.key_terms)
    total = len(candidates)
    idf = {t: math.log(1 + total / (1 + sum(t in s for s in sets))) for t in query}
    if q.asking_terms:
        # "We're a Birmingham trust. How do organisations in AQuA's programme compare ...?":
        # the scene's words count for less than the asking sentence's
        asked = set(q.asking_terms)
        idf = {t: w if t in asked else SCENE_WEIGHT * w for t, w in idf.items()}
    frame = _FRAME_VERB.match(q.asking or q.text)
    if frame:
        # "What does the LCF cover?": the verb frames the question; "cover" in "cover sheet"
        # says nothing about the LCF
        for term in stems(frame.group("verb")):
            if term in idf:
                idf[term] *= FRAME_WEIGHT
    norm = sum(idf.values()) or 1.0
    # How much of the question the whole passage (with its title and heading) covers.
    covered = [
        sum(
            idf[t]
            for t in query & (set(stems(f"{e.title} {e.heading} {e.text}")) | dated.get(k, set()))
        )
        / norm
        for k, e in enumerate(evidence)
    ]
    # "Who chairs our board?": "our" is the organisation whose papers were ingested.
    ours = OWN_BOOST if speaks_as_us(q.asking or q.text) else 0.0
    labels = _labels(q.asking or q.text) if LABEL_BOOST else []
    # the number of a label asked for counts only as that label: "Tell me about component 4" is
    # not answered by a table row whose target column holds 4
    asked_labels = _asked_labels(q)
    # "Which method came up most often?": a sentence saying which one was cited most
    direction = asked_extreme(q.asking or q.text) if EXTREME_BOOST else None
    scores = np.zeros(total, dtype=np.float32)
    for i, cand in enumerate(candidates):
        terms = _without_other_numbers(sets[i], cand.text, asked_labels)
        if (
            LEAN_TERMS
            and i
            and _ANAPHORA.match(cand.text)
            and _same_passage(candidates[i - 1], cand)
        ):
            terms = terms | sets[i - 1]  # "It was published on ..." is about what came before
        if cand.evidence_index in dated:
            # "Apologies were received from ..." in the minutes of 26 June 2025 says when
            terms = terms | dated[cand.evidence_index]
        overlap = sum(idf[t] for t in query & terms) / norm
        passage = float(evidence[cand.evidence_index].similarity or 0.0)
        scores[i] = (
            OVERLAP * overlap
            + SIMILARITY * passage
            + PASSAGE_COVERAGE * covered[cand.evidence_index]
            + 0.03 / (1 + cand.evidence_index)
        )
        if ours and not evidence[cand.evidence_index].source.startswith(BUNDLED_PREFIX):
            scores[i] += ours
        if labels and any(label.search(cand.text) for label in labels):
            scores[i] += LABEL_BOOST
        if has_answer_type(q.answer_type, cand.text, q.text) and q.answer_type not in _UNTYPED:
            scores[i] += TYPED_BOOST
        if direction and says_extreme(direction, cand.text):
            scores[i] += EXTREME_BOOST
        if _ANAPHORA.match(cand.text):
            scores[i] -= 0.05
        if cand.text.endswith(":") and not (FIGURE_LEAD and re.search(r"\d", cand.text)):
            # (a lead-in says little; one that states a figure, "... reported a year-to-date
            # deficit of £2.4m at Month 11:" over its table, says what it says)
            scores[i] -= 0.1
    return scores


_UNTYPED = ("other", "yesno")


def _asked_labels(q: Question) -> list[tuple[str, re.Pattern[str]]]:
    """The number and pattern of each numbered label the question asks for ("component 4"; not
    a measure, "talking therapies 6-week wait")."""
    if not LABEL_NUMBERS:
        return []
    asking = q.asking or q.text
    return [
        (number.lower(), label_pattern(word, number))
        for word, number in numbered_labels(asking)
        if re.search(rf"\b{re.escape(word)}\s+{re.escape(number)}(?![\w-])", asking)
    ]


def _without_other_numbers(
    terms: set[str], text: str, asked: Sequence[tuple[str, re.Pattern[str]]]
) -> set[str]:
    """A text's terms, less the number of a label asked for that the text does not hold as that
    label: "Target: 4" does not hold component 4."""
    other = {number for number, label in asked if number in terms and not label.search(text)}
    return terms - other if other else terms


def _labels(question: str) -> list[re.Pattern[str]]:
    """The numbered labels a question names ("Ward 3", "Priority 2"), and the references it
    gives as written ("QPC-26/03": not "QPC-26/04", nor the item "QPC 26/03"), as patterns."""
    codes = [
        re.compile(rf"(?<![\w/.-]){re.escape(m.group(0))}(?![\w/-])", re.IGNORECASE)
        for m in REFERENCE.finditer(question)
    ]
    return [label_pattern(word, number) for word, number in numbered_labels(question)] + codes


def _heading_share(
    q: Question, candidates: list[Candidate], i: int, evidence: Sequence[Evidence]
) -> float:
    """Share of the question's terms that the heading over a passage's first sentence holds and
    the sentence does not ("What the evaluation found" over "The central finding is ...").

    Only a passage's first sentence sits right under its heading, and a document's opening
    passage is left out: its heading is the document's own name ("Board of Directors - Part 1
    (meeting held in public)"), which says nothing about which sentence answers.
    """
    cand = candidates[i]
    ev = evidence[cand.evidence_index]
    # (every row of a table sits under its heading as much as the first: "Waiting lists by
    # service" heads the CAMHS row as well as the one above it)
    first = not i or candidates[i - 1].evidence_index != cand.evidence_index or cand.is_row
    query = set(q.key_terms)
    if not first or ev.position == 0 or len(query) < HEADING_TERMS:
        return 0.0
    # (a section's number is not what it is about: "2. PRESSURE ULCERS BY WARD" does not say
    # "Ward 2")
    heading = set(stems(_SECTION_NUMBER.sub("", ev.heading.split(" > ")[-1])))
    return len((query & heading) - set(stems(cand.text))) / len(query)


_SECTION_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+")


_TRAILING_ASIDE = re.compile(r"\s*\([^)]*\)\s*$")


def _names_section(
    q: Question, candidates: list[Candidate], evidence: Sequence[Evidence]
) -> np.ndarray:
    """1 for the sentences of a passage whose section heading (three words or more, without a
    closing aside such as "(February 2015)") the question quotes word for word ("... the trusts
    in 'Building the foundations for improvement'"), else 0."""
    asked = " ".join(re.findall(r"[a-z0-9]+", q.text.lower()))
    named = set()
    for k, ev in enumerate(evidence):
        section = _TRAILING_ASIDE.sub("", ev.heading.split(" > ")[-1])
        words = re.findall(r"[a-z0-9]+", section.lower())
        if len(words) >= 3 and f" {' '.join(words)} " in f" {asked} ":
            named.add(k)
    return np.array([float(c.evidence_index in named) for c in candidates], dtype=np.float32)


def _near_duplicate(a: str, b: str) -> bool:
    ta, tb = set(stems(a)), set(stems(b))
    if min(len(ta), len(tb)) < 3:
        # a short list item ("improving;") is not a repeat of a sentence that shares its word
        return bool(ta) and ta == tb
    return len(ta & tb) / min(len(ta), len(tb)) >= 0.7


@dataclass
class Selection:
    chosen: list[Candidate]  # what the abstention signals are measured on
    best_score: float  # dense similarity of the best sentence's passage
    typed: bool  # the chosen sentences hold the kind of answer asked for
    # What an offline answer shows: the chosen sentences, read on in the best passage (widen).
    reading: list[Candidate] = field(default_factory=list)


def select_sentences(
    q: Question,
    evidence: Sequence[Evidence],
    max_words: int = MAX_WORDS,
    doc_dates: Mapping[int, frozenset[str]] | None = None,
) -> Selection:
    """Pick the sentences that best answer the question: the best first, then reading order.

    `doc_dates`: for a passage (by its place in `evidence`), the words of the date its document is
    of (the meeting its minutes record), which each of its sentences counts as saying."""
    candidates = _candidates(evidence)
    if not candidates:
        return Selection([], 0.0, False)
    cheap = _cheap_scores(q, candidates, evidence, doc_dates)
    cheap += NAMED_SECTION * _names_section(q, candidates, evidence)
    shortlist = np.argsort(-cheap)[:SHORTLIST]
    # No second model pass over the sentences (it was most of the answer time and won nothing
    # on dev): the best sentence's similarity is its passage's.
    final = np.full(len(candidates), -1.0, dtype=np.float32)
    final[shortlist] = cheap[shortlist]
    first = candidates[int(shortlist[0])]
    best_dense = float(evidence[first.evidence_index].similarity or 0.0)

    extreme = _extreme_rows(q, candidates, cheap, int(shortlist[0])) if EXTREME_ROWS else []
    if extreme:
        # "Which component did we rate lowest?": the table's row with the lowest rating (ties:
        # every such row), not the sentences that speak most of ratings.
        return Selection(extreme, best_dense, True, extreme)
    if q.answer_type == "list":
        listed = _best_list(candidates, final, cheap, evidence, q.count, q)
        best_listed = max((float(cheap[candidates.index(c)]) for c in listed), default=0.0)
        counted = bool(q.count) and sum(c.is_item for c in listed) == q.count
        share = COUNTED_LIST_SHARE if counted else LIST_SHARE
        if (
            listed
            and best_listed >= share * float(cheap.max())
            and not (LIST_FOCUS and _misses_focus(q, candidates, listed, first, evidence))
        ):
            return Selection(listed, best_dense, True, listed)

    ranked = [int(i) for i in np.argsort(-final)[:SHORTLIST] if final[i] > -1.0]
    # The best sentence may be the one right under a heading that says what the question asks;
    # the other sentences are picked on their own scores (the heading moving them too changed
    # answers that were right, on dev and in the unit tests).
    headed = {i: _heading_share(q, candidates, i, evidence) for i in range(len(candidates))}
    if HEADING_TYPED and q.answer_type in _TIME_TYPES:
        # ... and, when a time is asked for, holds one: "Remind me when NHS
        # IMPACT actually kicked off?" is not answered by "The report also flagged risks." under
        # "Risks and lessons for NHS IMPACT" (tester32)
        headed = {
            i: share
            if share and has_answer_type(q.answer_type, candidates[i].text, q.text)
            else 0.0
            for i, share in headed.items()
        }
    pool = ranked + [i for i, share in headed.items() if share and i not in ranked]
    # "Who is Amar Shah?" is answered by the sentence that says who he is ("Dr Amar Shah, NHS
    # England's ..."), wherever it sits, not by the passage that mentions him most.
    who = {
        i
        for i, cand in enumerate(candidates)
        if q.answer_type == "identity" and has_answer_type("identity", cand.text, q.text)
    }
    # "What is NHS IMPACT?" likewise, by the sentence that opens by saying what it is ("NHS
    # IMPACT is short for ..."), not the one under a heading that names it ("Risks and lessons
    # for NHS IMPACT": "The report also flagged risks.")
    who |= {i for i, cand in enumerate(candidates) if defines_asked(q.asking or q.text, cand.text)}
    # "Who is our chief executive?" by the line naming the holder of that very post
    who |= {
        i
        for i, cand in enumerate(candidates)
        if holds_role_asked(q.asking or q.text, cand.text, evidence[cand.evidence_index].title)
    }
    pool += sorted(who - set(pool))
    best = max(pool, key=lambda i: float(cheap[i]) + HEADING_SHARE * headed[i] + (i in who))
    if HEADED_PEOPLE and q.answer_type == "person":
        # "Who gave apologies for the September board?": the list under "Apologies", not "The
        # Chair welcomed members ... Apologies were noted as above" from the item before it
        people = _headed_people(q, candidates, evidence, candidates[best])
        if people:
            return Selection(people, best_dense, True, people)
    if MONTH_ROWS and q.answer_type in ("figure", "share"):
        # "How many handovers took longer than 60 minutes in March 2025?": the summary's May
        # figure does not say; the table's row for that measure, with its March column, does
        best = _month_row(q, candidates, evidence, best, cheap, doc_dates or {})
    asked = set(q.asking_terms or q.key_terms)
    asked_labels = _asked_labels(q)
    if asked and not asked <= set(stems(candidates[best].text)):
        # "What was the Talking Therapies recovery rate in January 2026?": the table row that
        # holds every word asked is the record that answers, over a note about the same
        # service in another month from a passage nearer in meaning
        rows = [
            i
            for i, c in enumerate(candidates)
            if c.is_row
            and asked <= _without_other_numbers(set(stems(c.text)), c.text, asked_labels)
            and cheap[i] >= ROW_SHARE * cheap[best]
        ]
        if rows:
            best = max(rows, key=lambda i: float(cheap[i]))
    if best in ranked:
        ranked.remove(best)
    ranked.insert(0, best)
    top = ranked[0]
    typed_first = (
        q.answer_type == "date" and bool(ASKS_WHEN.match(q.asking or q.text))
    ) or q.answer_type in TYPED_FIRST
    if typed_first and not has_answer_type(q.answer_type, candidates[top].text, q.text):
        dated = [
            i
            for i, cand in enumerate(candidates)
            if float(cheap[i]) >= DATED_SHARE * float(cheap[top])
            and has_answer_type(q.answer_type, cand.text, q.text)
            and (not TYPED_ABOUT or q.answer_type != "duration" or _about_asked(q, cand, evidence))
        ]
        if dated:
            top = max(dated, key=lambda i: float(cheap[i]))
            if top in ranked:
                ranked.remove(top)
            ranked.insert(0, top)
            final[top] = cheap[top]
    if candidates[top].is_row:
        # "When is HB-04 due?": the row is the answer; its neighbours are other actions.
        row = [candidates[top]]
        typed = q.answer_type in _UNTYPED or has_answer_type(q.answer_type, row[0].text, q.text)
        return Selection(row, best_dense, typed, row)
    # "Tell me about <an action of the list just shown>" (chat's "And the second one?"): the
    # item itself answers; its list again would repeat the answer before.
    item = candidates[top]
    item_terms = set(stems(item.text))
    about_item = (
        item.is_item
        and len(item.text.split()) >= ITEM_WORDS
        and len(item_terms & set(stems(q.text))) >= 0.9 * len(item_terms)
    ) or (item.is_item and top in who)  # "Rupert Adeyemi-Hall, Chief Executive": the item alone
    cutoff = float(final[top]) * 0.85
    picked: list[int] = [top]
    typed = q.answer_type in _UNTYPED or has_answer_type(
        q.answer_type, candidates[top].text, q.text
    )
    if not typed:
        # The fact often sits in the sentence next to the best match.
        for j in (top + 1, top - 1):
            if (
                0 <= j < len(candidates)
                and _same_passage(candidates[top], candidates[j])
                and has_answer_type(q.answer_type, candidates[j].text, q.text)
            ):
                picked.append(j)
                typed = True
                break
    if WINDOW and len(picked) == 1:
        # The fact often sits next to the best-matching sentence: read it with its neighbour.
        for j in (top + 1, top - 1):
            if 0 <= j < len(candidates) and _same_passage(candidates[top], candidates[j]):
                picked.append(j)
                break
    for i in ranked[1:]:
        if float(final[i]) < cutoff or len(picked) >= 3:
            break
        # Another passage is cited only when its sentence is nearly as good as the best one.
        same = candidates[i].evidence_index == candidates[top].evidence_index
        if same or float(final[i]) >= 0.95 * float(final[top]):
            picked.append(i)
    if about_item:
        picked = [top]  # not its neighbours in the list either
    chosen: list[Candidate] = []
    words = 0
    listed_first = 0  # how many chosen sentences are the first item's list, read as one block
    for i in picked:
        group = [i]
        leans = _ANAPHORA.match(candidates[i].text) and i > 0
        if leans and _same_passage(candidates[i], candidates[i - 1]) and (i - 1) not in picked:
            group = [*_leaned_on(candidates, i - 1, evidence), i]  # bring what it leans on
        with_list = i == picked[0] and not about_item
        of_list = _list_group(candidates, i, evidence) if with_list else [i]
        if len(of_list) > 1:
            # an item that answers first comes with its list's lead-in and the items before it,
            # also when one of those was picked on its own (it is not shown twice)
            group = of_list
            listed_first = len(of_list)
        whole: set[int] = set()
        if candidates[i].text.endswith(":"):
            items = _items_after(candidates, i)
            if not items:
                continue  # a lead-in without its list says nothing
            whole = {j for j in items if j not in picked}
            group += sorted(whole)  # a list is kept whole, even past the length
        for g in group:
            cand = candidates[g]
            if any(_near_duplicate(cand.text, c.text) for c in chosen):
                continue
            length = len(cand.text.split())
            if chosen and words + length > max_words and g not in whole:
                continue
            chosen.append(cand)
            words += length
    if FILL_HOLES:
        # Two sentences of one passage with one sentence between them: that sentence is read too
        # (an answer that skips a line of its own paragraph often skips the fact).
        at = {(c.evidence_index, c.order): c for c in candidates}
        for c in list(chosen):
            hole = at.get((c.evidence_index, c.order + 1))
            after = any(
                o.evidence_index == c.evidence_index and o.order == c.order + 2 for o in chosen
            )
            if (
                hole is not None
                and after
                and hole not in chosen
                and not any(_near_duplicate(hole.text, o.text) for o in chosen)
            ):
                length = len(hole.text.split())
                if words + length <= max_words:
                    chosen.append(hole)
                    words += length
    if chosen:
        # Passages overlap: a line that the lead passage holds too is read there, in its place
        # (the sixth item of a list, not after the list under another citation).
        own = {c.text: c for c in candidates if c.evidence_index == chosen[0].evidence_index}
        chosen = [own[c.text] if c.text in own and own[c.text] not in chosen else c for c in chosen]
    lead = chosen[: max(1, listed_first)]
    # The lead's own passage reads on first; other passages follow in evidence order.
    rest = sorted(
        chosen[len(lead) :],
        key=lambda c: (
            (c.evidence_index != lead[0].evidence_index, c.evidence_index, c.order)
            if lead
            else (c.evidence_index, c.order)
        ),
    )
    if (
        lead
        and rest
        and rest[0].evidence_index == lead[0].evidence_index
        and rest[0].order == lead[0].order - 1
        and _ANAPHORA.match(lead[0].text)
    ):
        lead, rest = [rest[0], lead[0]], rest[1:]  # the sentence the lead leans on goes first
    chosen = lead + rest
    reading = chosen if q.answer_type == "list" or about_item else widen(chosen, candidates)
    if reading and (not about_item or ITEM_PARTS):
        # only what is shown: the sentences measured for abstention stay those of the whole
        # (an item that answers one part alone still leaves the other parts to answer)
        reading = _fill_parts(q, candidates, evidence, cheap, reading, max_words)
    return Selection(chosen, best_dense, typed, reading)


# "Which ... lowest/highest?" over a table of figures in the evidence: its extreme row answers.
EXTREME_ROWS = True
# The table's best row must score at least this share of the best sentence (set, not tuned).
EXTREME_SHARE = 0.5
_ASKS_SHARE = re.compile(r"\b(share|percentage|proportion|per ?cent)\b|%", re.IGNORECASE)
_CELL = re.compile(r"\s*([^:;]+?):\s+([^;]+?)\s*(?:;|\.?$)")
# a figure opening a cell: "68", "1,940", "96.4%", "£480k", "-2.5"
_LEADING_NUMBER = re.compile(
    r"^(?P<sign>[-+\u2212]?)[£$€]?\s?(?P<n>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d/:])"
    # not an item's number: "1. Building a shared purpose" is a name, not a figure
    r"(?!\.\s+[A-Z][a-z])"
)


def _row_cells(text: str) -> list[tuple[str, str]]:
    """A row sentence back into (column, value) pairs: "Component: X; Rating: 2 - Emerging."."""
    return [(m.group(1).strip(), m.group(2).strip()) for m in _CELL.finditer(text)]


# the month a change is counted from, written with its capital ("since May")
_MONTH_NAMED = re.compile(rf"\b({'|'.join(MONTH_NAMES)})\b")
_SHORT_MONTH = re.compile(rf"\b({'|'.join(MONTH_SHORT)}|mar)\b", re.IGNORECASE)
FIGURE_LEAD = True  # a lead-in stating a figure is not discounted (no benchmark answer changes)
CHANGE_TO_MONTH = True  # a change runs between months, not to a later column of figures (own8 +1)
# Verbs of change in their past forms, or a noun of change after a superlative, in general
# English: "grew the most", "the biggest fall" (not "the highest falls rate": a count of falls)
_CHANGE = re.compile(
    r"\b(?:(?P<rise>grew|grown|rose|risen|increased|went up)"
    r"|(?P<fall>fell|fallen|dropped|decreased|reduced|shrank|shrunk|went down)"
    r"|(?:biggest|largest|greatest|smallest)\s+(?:(?P<up>increase|rise|growth)"
    r"|(?P<down>fall|drop|decrease|reduction)))\b",
    re.IGNORECASE,
)


def _extreme_rows(
    q: Question, candidates: list[Candidate], cheap: np.ndarray, top: int
) -> list[Candidate]:
    """The rows holding the lowest (or highest) figure in the column the question is about, of the
    best-matching table in the evidence, when the question asks for an extreme; else []."""
    direction = asked_extreme(q.asking or q.text)
    if direction is None:
        return []
    # A table is its rows with the same columns, whichever passages (pieces of a long table,
    # each with its header) they came in; a row two passages share counts once.
    tables: dict[tuple[str, ...], dict[str, int]] = {}
    for i, cand in enumerate(candidates):
        if cand.is_row:
            named = tuple(c for c, _ in _row_cells(cand.text))
            tables.setdefault(named, {}).setdefault(cand.text, i)
    if not tables:
        return []
    rows = list(
        max(tables.values(), key=lambda ids: max(float(cheap[i]) for i in ids.values())).values()
    )
    if max(float(cheap[i]) for i in rows) < EXTREME_SHARE * float(cheap[top]) or len(rows) < 2:
        return []
    rows.sort(key=lambda i: (candidates[i].evidence_index, candidates[i].order))
    cells = [_row_cells(candidates[i].text) for i in rows]
    columns = [c for c, _ in cells[0]]

    def figure(row: list[tuple[str, str]], k: int) -> float | None:
        m = _LEADING_NUMBER.match(row[k][1])
        if not m:
            return None
        value = float(m.group("n").replace(",", ""))
        return -value if m.group("sign") in ("-", "\u2212") else value

    # A column of figures may have a row without one ("n/a", "-"): that row is not compared.
    numeric = [
        k
        for k in range(len(columns))
        if sum(figure(r, k) is not None for r in cells) >= max(2, (len(cells) + 1) // 2)
    ]
    if not numeric:
        return []
    asked = set(stems(q.asking or q.text))
    # a share asked for ("the lowest share of its plan") is read in a column of percentages
    share = bool(_ASKS_SHARE.search(q.asking or q.text))

    def percent(k: int) -> bool:
        given = [r[k][1].rstrip() for r in cells if figure(r, k) is not None]
        return "%" in columns[k] or all(v.endswith("%") for v in given)

    # the column the question names ("highest target"), a share's column of percentages, else
    # the first column of figures
    column = max(
        numeric, key=lambda k: (len(asked & set(stems(columns[k]))), share and percent(k), -k)
    )
    values = [figure(r, column) for r in cells]
    change = _CHANGE.search(q.asking or q.text)
    if change and len(numeric) >= 2:
        # "Which service's waiting list grew the most since April?" compares the change, from
        # the column of the month named (else the first) to the last, not the latest figures
        asked_months = [m.group(1) for m in _MONTH_NAMED.finditer(q.asking or q.text)]

        def column_of(month: str | None) -> int | None:
            forms = [month, short_month(month) or ""] if month else []
            return next(
                (
                    k
                    for k in numeric
                    if any(f and re.search(rf"\b{f}\b", columns[k], re.I) for f in forms)
                ),
                None,
            )

        start = column_of(asked_months[0] if asked_months else None)
        start = numeric[0] if start is None else start
        # "... between September and December?": to the second month named; else to the last
        # column of a month ("Longest wait (weeks)" after "Dec 2025" is not a later month)
        monthly = [
            k for k in numeric if _MONTH_NAMED.search(columns[k]) or _SHORT_MONTH.search(columns[k])
        ]
        end = column_of(asked_months[-1]) if len(asked_months) > 1 and CHANGE_TO_MONTH else None
        if end is None:
            end = monthly[-1] if monthly and CHANGE_TO_MONTH else numeric[-1]
        sign = -1.0 if change.group("fall") or change.group("down") else 1.0
        firsts = [figure(r, start) for r in cells]
        lasts = [figure(r, end) for r in cells]
        values = [
            None if a is None or b is None else sign * (b - a)
            for a, b in zip(firsts, lasts, strict=True)
        ]
        if start == end or all(v is None for v in values):
            return []
    best = (min if direction == "low" else max)(v for v in values if v is not None)
    return [candidates[i] for i, v in zip(rows, values, strict=True) if v == best]


def extreme_rows(
    q: Question, candidates: list[Candidate], evidence: Sequence[Evidence]
) -> list[Candidate]:
    """The rows that answer a "lowest/highest" question from these candidates, else []."""
    cheap = _cheap_scores(q, candidates, evidence)
    return _extreme_rows(q, candidates, cheap, int(np.argmax(cheap)))


# A part's sentence must score at least this share of the best (question plus part) score; 0.7
# and 0.6 added a wrong sentence on own-dev, 0.8 and 0.9 only the tester3 fact that led to this.
PART_SHARE = 0.8
# A part counts as answered by a chosen sentence holding its kind of answer and at least this
# share of the part's own words (0.5: tester3 and tester10 gained a fact each, dev unchanged;
# 1.0 gained the same and cost citation precision on most check sets)
PART_TERMS = 0.5
PART_NAMES = True  # a "who" part is answered by a sentence naming someone it does not
OTHER_PARTS = True  # a second part asking what or which gets a sentence holding its words
ITEM_PARTS = True  # the line naming a post holder answers its part only (tester14 +1 fact)
LIST_PARTS = True  # a list part of a two-part question gets its list (tester4 +1; dev unchanged)
LIST_PART_SENTENCE = True  # ... or, with no list to give, its best sentence
# ("What does IMPACT stand for, and when was it launched?": a part asking what a name stands
# for is answered by a sentence that defines it; tester47)
_PART_TYPES = ("date", "person", "figure", "share", "duration", "frequency", "definition")
# ", and when ...", "and from when ...", "and roughly how long ...", or a second question mark
_SECOND_PART = re.compile(
    rf"(?:,\s*|\s+)and\s+(?:(?:from|since|until|by|in|for|with|to|at|on)\s+)?(?:\w+ly\s+)?"
    rf"(?=(?:{WH_WORDS})\b)|\?\s+(?=\S)",
    re.IGNORECASE,
)


def question_parts(question: str) -> list[str]:
    """The parts of a question that asks two things ("Who chairs the NIB, and when did it first
    meet?"), else the question alone."""
    parts = [p for p in _SECOND_PART.split(question) if p.strip()]
    if DASHED_PART:
        # "What is the plan after the evaluation - will it be extended?": a question, a dash,
        # then a second question in its own words
        parts = [
            piece
            for part in parts
            for piece in (_DASHED_PART.split(part) if _OPENS_ASKING.match(part) else [part])
            if piece.strip()
        ]
    return parts


DASHED_PART = True
# a question word, or a verb that opens a question ("will it ...?", "does it ...?")
_ASKS = rf"(?:{WH_WORDS}|will|would|can|could|should|{'|'.join(sorted(AUXILIARIES))})\b"
_OPENS_ASKING = re.compile(rf"\s*{_ASKS}", re.IGNORECASE)
_DASHED_PART = re.compile(rf"(?<=\S)\s+[-\u2013\u2014]\s+(?={_ASKS})(?=.*\?\s*$)", re.IGNORECASE)


def _part_typed(kind: str, piece: str, text: str, asking: str) -> bool:
    """Does the sentence hold the kind of answer a part asks for? A "who" part needs someone
    named whom the question does not name ("the chair and deputy chair wrote to leaders across
    the NHS" does not say who the deputy chair is)."""
    if kind == "person" and PART_NAMES:
        return names_someone(text, asking)
    if kind == "definition":
        return defines_asked(piece, text)
    return has_answer_type(kind, text, piece)


def _answers_part(kind: str, piece: str, own: set[str], text: str, asking: str) -> bool:
    """Does the sentence hold the kind of answer a part asks for, and enough of its own words?"""
    return _part_typed(kind, piece, text, asking) and (
        not PART_TERMS or len(own & set(stems(text))) >= PART_TERMS * len(own)
    )


def _fill_parts(
    q: Question,
    candidates: list[Candidate],
    evidence: Sequence[Evidence],
    cheap: np.ndarray,
    chosen: list[Candidate],
    max_words: int,
) -> list[Candidate]:
    """ "When was X announced, and who evaluated it?": each part asking for a kind of answer
    (a date, a name, a figure) that no chosen sentence holds gets the best sentence that does."""
    asking = q.asking or q.text
    pieces = question_parts(asking)
    if len(pieces) < 2:
        return chosen
    out = list(chosen)
    words = sum(len(c.text.split()) for c in out)
    for piece in pieces:
        part = analyse(piece)
        kind = part.answer_type
        fallback = False
        if kind == "list" and LIST_PARTS:
            listed = _list_part(part, piece, candidates, evidence, cheap, out, max_words - words)
            out += listed
            words += sum(len(c.text.split()) for c in listed)
            if listed or not LIST_PART_SENTENCE:
                continue
            # "..., and what are the weekly meetings called?": no list says what they are; the
            # sentence that holds most of the part's own words may ("runs a weekly Big Room")
            kind, fallback = "other", True
        own = _own_words(piece, pieces)
        # "When was the framework published, and whose review was it responding to?": the
        # sentence naming "the 2019 review" holds a date, but not the one asked for; a date part
        # is answered by a sentence with the part's last word ("published") when one has it.
        verb = _last_word(piece) if kind == "date" and PART_VERB else None
        said = [
            c for c in candidates if c not in out and verb and verb in stems(c.text)
            and _part_typed(kind, piece, c.text, asking)
        ]  # fmt: skip
        if not _asks_a_kind(kind, own, piece, pieces) or any(
            _answers_part(kind, piece, own, c.text, asking) and (not said or verb in stems(c.text))
            for c in out
        ):
            continue
        scores = cheap + _cheap_scores(part, candidates, evidence)
        typed = [
            i
            for i, c in enumerate(candidates)
            if _part_typed(kind, piece, c.text, asking)
            and c not in out
            and (not said or c in said)
            # a part asking what or which ("..., and which review was it responding to?") holds
            # no kind of answer to look for: its sentence holds every word of its own instead
            and (
                kind in _PART_TYPES
                or own <= set(stems(c.text))
                or fallback
                and len(own & set(stems(c.text))) >= PART_TERMS * len(own)
            )
        ]
        if not typed:
            continue
        if LEANING_PARTS and out and _PART_LEANS.search(piece):
            # "... what board framework came out of that, and when was it published?": the "it"
            # is what the answer so far speaks of, so its own document gives the date when it
            # has one (not an older guide's "first published in 2010")
            # (one good enough to answer: else the best of any document)
            home = evidence[out[0].evidence_index].source
            own_doc = [i for i in typed if evidence[candidates[i].evidence_index].source == home]
            floor = PART_SHARE * float(scores.max())
            if own_doc and max(float(scores[i]) for i in own_doc) >= floor:
                typed = own_doc
        best = max(typed, key=lambda i: float(scores[i]))
        # (a sentence that opens by defining the name asked about answers however few of the
        # question's other words it holds)
        if float(scores[best]) < PART_SHARE * float(scores.max()) and kind != "definition":
            continue
        # "... into six domains:" goes on in the items under it, shown with it when they fit
        block = [
            best,
            *(_items_after(candidates, best) if candidates[best].text.endswith(":") else ()),
        ]
        whole = [candidates[j] for j in block if candidates[j] not in out]
        length = sum(len(c.text.split()) for c in whole)
        if words + length > max_words:
            whole = whole[:1]
            length = len(whole[0].text.split())
            if words + length > max_words:
                continue
        out += whole
        words += length
    return out


PART_VERB = True
# A part that leans back ("when was it published?") is answered from the document the answer
# opens with, when that document holds such a sentence (tester52)
LEANING_PARTS = True
_PART_LEANS = re.compile(r"\b(?:it|its|they|them|their)\b", re.IGNORECASE)


def unanswered_parts(q: Question, reading: Sequence[Candidate]) -> list[str]:
    """The parts of a two-part question that asks for a kind of answer (a date, a name, a
    figure, what a name stands for) or names a thing of its own, that no shown sentence
    answers: "When was the baseline completed, and which method did providers cite most?" when
    the passages found speak only of when."""
    asking = q.asking or q.text
    pieces = question_parts(asking)
    if len(pieces) < 2:
        return []
    out: list[str] = []
    for piece in pieces:
        kind = analyse(piece).answer_type
        own = _own_words(piece, pieces)
        if _asks_a_kind(kind, own, piece, pieces) and not any(
            _answers_part(kind, piece, own, c.text, asking) for c in reading
        ):
            out.append(piece)
    return out


def _own_words(piece: str, pieces: Sequence[str]) -> set[str]:
    """A part's own words, not the other parts': "deputy" of "Who is deputy chair of the NIB,
    and when did it first meet?" (a sentence naming anyone does not answer it)."""
    return set(stems(piece)) - {t for p in pieces if p is not piece for t in stems(p)}


def _asks_a_kind(kind: str, own: set[str], piece: str, pieces: Sequence[str]) -> bool:
    """Does the part ask for a kind of answer a sentence can be checked for, or (a later part
    asking what or which) name words of its own a sentence must hold?"""
    return kind in _PART_TYPES or (
        OTHER_PARTS and kind == "other" and bool(own) and piece is not pieces[0]
    )


def _last_word(piece: str) -> str | None:
    """The stem of a part's last word that is not a stop word ("published" of "When was the
    framework published"), else None."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", piece) if w.lower() not in STOPWORDS]
    found = stems(words[-1]) if words else []
    return found[0] if found else None


def with_parts(
    q: Question, evidence: Sequence[Evidence], reading: list[Candidate], max_words: int = MAX_WORDS
) -> list[Candidate]:
    """The sentences shown, with a sentence for each other part of a two-part question they
    leave unanswered ("Who chairs the NIB, and when did it first meet?" answered by the line
    naming the chair)."""
    candidates = _candidates(evidence)
    if not candidates or not ITEM_PARTS:
        return reading
    cheap = _cheap_scores(q, candidates, evidence)
    return _fill_parts(q, candidates, evidence, cheap, reading, max_words)


def _list_part(
    part: Question,
    piece: str,
    candidates: list[Candidate],
    evidence: Sequence[Evidence],
    cheap: np.ndarray,
    out: list[Candidate],
    room: int,
) -> list[Candidate]:
    """ "..., and what themes did it find?": when no shown sentence names the themes, the best
    list whose lead-in does ("five connected themes:"), whole, if it fits and scores well."""
    noun = asked_noun(piece)
    wanted = set(stems(noun)) if noun else set()
    if not wanted or any(wanted <= set(stems(c.text)) for c in out):
        return []
    scores = cheap + _cheap_scores(part, candidates, evidence)
    leads = [
        i
        for i, c in enumerate(candidates)
        if c.text.endswith(":") and wanted <= set(stems(c.text)) and _items_after(candidates, i)
    ]
    if not leads:
        return []
    best = max(leads, key=lambda i: float(scores[i]))
    if float(scores[best]) < PART_SHARE * float(scores.max()):
        return []
    block = [candidates[j] for j in (best, *_items_after(candidates, best))]
    if any(c in out for c in block) or sum(len(c.text.split()) for c in block) > room:
        return []
    return block


def widen(
    chosen: Sequence[Candidate], candidates: Sequence[Candidate], words: int = FILL_WORDS
) -> list[Candidate]:
    """The chosen sentences, followed by the sentences after the best one in its own passage
    until the answer has about `words` words: the fact is often in the next line, and a short
    answer is read as the start of the passage. Never adds another passage (no new citation).
    """
    if not chosen or words <= 0:
        return list(chosen)
    out = list(chosen)
    total = sum(len(c.text.split()) for c in out)
    lead = out[0]
    same = [c for c in candidates if c.evidence_index == lead.evidence_index]
    last = max(c.order for c in out if c.evidence_index == lead.evidence_index)
    cut = False
    for cand in same:
        if cand.order <= last or any(_near_duplicate(cand.text, c.text) for c in out):
            continue
        length = len(cand.text.split())
        in_list = cand.is_item and (out[-1].is_item or out[-1].text.endswith(":"))
        # "First, leading improvement is ..." finishes what the sentence before it started
        # ("... made two points that are often quoted to boards.")
        leans = bool(_ANAPHORA.match(cand.text)) and cand.order == out[-1].order + 1
        if total + length > words and not ((in_list or leans) and total + length <= MAX_WORDS):
            cut = leans or in_list
            break  # a list or a sequence it has started is read on, within the answer's length
        out.append(cand)
        total += length
    while len(out) > len(chosen) and (out[-1].text.endswith(":") or cut):
        out.pop()  # a lead-in whose list or sequence did not fit says nothing
        cut = False
    return out


def _leaned_on(candidates: list[Candidate], j: int, evidence: Sequence[Evidence]) -> list[int]:
    """The sentence at j that a later one leans on, with what j itself needs: the list it ends
    (its lead-in and items: "This definition builds on ..." after "It applies at every level"
    after "a QMS is a way of doing four things: planning; ...; assuring.") or the sentence it
    leans on in turn. One step back at most beyond j, so an answer does not grow a paragraph."""
    if candidates[j].is_item and not candidates[j].is_row:
        run = _list_run(candidates, j, evidence)
        return run if len(run) > 1 else [j]
    k = j - 1
    if k >= 0 and _same_passage(candidates[k], candidates[j]):
        if _ANAPHORA.match(candidates[j].text) and not candidates[k].is_item:
            return [k, j]
        if (
            candidates[k].is_item
            and not candidates[k].is_row
            and _ANAPHORA.match(candidates[j].text)
        ):
            run = _list_run(candidates, k, evidence)
            return [*run, j] if len(run) > 1 else [j]
    return [j]


def _list_group(candidates: list[Candidate], item: int, evidence: Sequence[Evidence]) -> list[int]:
    """The item with its list's lead-in and the items before it ("It gives two benchmarks:",
    "- ...", item), also when the chunker cut the list and it starts in the previous passage of
    the same document (whose copy of an overlapping item is used). [item] without a lead-in."""
    group = _list_run(candidates, item, evidence)
    if len(group) > 2 and sum(len(candidates[k].text.split()) for k in group[1:-1]) > LIST_BEFORE:
        return [group[0], item]  # a long list: its lead-in says what the item is an item of
    return group


def _list_run(candidates: list[Candidate], item: int, evidence: Sequence[Evidence]) -> list[int]:
    if not candidates[item].is_item or candidates[item].is_row:
        return [item]
    j = item - 1
    while j >= 0 and _same_passage(candidates[j], candidates[j + 1]) and candidates[j].is_item:
        j -= 1
    if j >= 0 and _same_passage(candidates[j], candidates[j + 1]):
        return list(range(j, item + 1)) if candidates[j].text.endswith(":") else [item]
    # the list starts this passage: it may go on from the passage before it, in the same
    # section (under another heading, "TARGETS FOR MARCH 2027" after "CAPABILITY BUILT SO FAR:
    # ... had trained 1,146 staff:", it is a list of its own)
    here = evidence[candidates[item].evidence_index]
    earlier = [
        k
        for k, c in enumerate(candidates)
        if here.doc_id
        and evidence[c.evidence_index].doc_id == here.doc_id
        and evidence[c.evidence_index].position == here.position - 1
        and evidence[c.evidence_index].heading == here.heading
    ]
    twins = [k for k in earlier if candidates[k].text == candidates[item].text]
    if twins:  # passages overlap: the previous one holds this item too
        run = _list_run(candidates, twins[0], evidence)
        return run if len(run) > 1 else [item]
    run = [k for k in range(j + 1, item + 1)]
    while earlier and candidates[earlier[-1]].is_item:
        run.insert(0, earlier.pop())
    if earlier and candidates[earlier[-1]].text.endswith(":"):
        return [earlier[-1], *run]
    return [item]


def _items_after(candidates: list[Candidate], lead: int, limit: int = 8) -> list[int]:
    """The list items that follow a lead-in sentence in the same passage."""
    out: list[int] = []
    j = lead + 1
    while (
        j < len(candidates) and len(out) < limit and _same_passage(candidates[j - 1], candidates[j])
    ):
        if not candidates[j].is_item:
            break
        out.append(j)
        j += 1
    return out


def _same_passage(a: Candidate, b: Candidate) -> bool:
    return a.evidence_index == b.evidence_index and abs(a.order - b.order) == 1


def _rows_asked_for(q: Question, listed: list[Candidate]) -> list[Candidate]:
    """The rows of a listed table that hold what the question names in their cells: "Which
    actions are overdue?" keeps the row whose status is "Overdue", "List the actions owned by
    Lucy Harlow" her rows. A word of the question held by every row, or by none, tells nothing;
    with none that tells, every row stays."""
    rows = [c for c in listed if c.is_row]
    if len(rows) < 2:
        return listed
    cells = {
        id(c): set(stems(" ".join(part.partition(": ")[2] for part in c.text.split("; "))))
        for c in rows
    }
    terms = set(q.asking_terms or q.key_terms)
    telling = {t for t in terms if 0 < sum(t in v for v in cells.values()) < len(rows)}
    if not telling:
        return listed
    most = max(len(telling & v) for v in cells.values())
    return [c for c in listed if not c.is_row or len(telling & cells[id(c)]) == most]


def _rarest(terms: Sequence[str], sets: Sequence[set[str]]) -> set[str]:
    """The rarest of these words: those held by the fewest sentences (every one of a tie)."""
    counts = {t: sum(t in s for s in sets) for t in terms}
    fewest = min(counts.values())
    return {t for t, n in counts.items() if n == fewest}


def _misses_focus(
    q: Question,
    candidates: list[Candidate],
    listed: list[Candidate],
    best: Candidate,
    evidence: Sequence[Evidence],
) -> bool:
    """Does the list leave out the rarest word asked, which the best sentence holds? "Which
    board members sent apologies to the July board?" is answered by "Apologies were received
    from ...", not by the action log, whose rows speak of the board but never of apologies."""
    asked = list(dict.fromkeys(q.asking_terms or q.key_terms))
    sets = [set(stems(c.text)) for c in candidates]
    held = [t for t in asked if any(t in s for s in sets)]
    if not held:
        return False
    focus = _rarest(held, sets)
    if not focus <= set(stems(best.text)):
        return False
    # and the best sentence is a list of its own: two or more names the question does not say
    # ("Dr Tomasz Nowicki, ..., and Owen Lethbridge"), not a sentence about the list asked for
    names = {
        m.group(0)
        for m in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+)+", best.text)
        if m.group(0).lower() not in q.text.lower()
    }
    if len(names) < 2:
        return False
    around = {t for c in listed for t in stems(f"{evidence[c.evidence_index].heading} {c.text}")}
    return not focus & around


def _month_row(
    q: Question,
    candidates: list[Candidate],
    evidence: Sequence[Evidence],
    best: int,
    cheap: np.ndarray,
    doc_dates: Mapping[int, frozenset[str]],
) -> int:
    """The table row that gives the month a figure is asked for, when the best sentence's
    passage does not say that month (nor is its document of it): the row holding the month and
    most of the question's words; else the best sentence."""
    asking = q.asking or q.text
    months = {m.group(1) for m in _MONTH_NAMED.finditer(asking) if m.start() or m.group(1) != "May"}

    def says(month: str, text: str) -> bool:  # "March", or "Mar-25" as a column is headed
        short = short_month(month) or ("mar" if month == "March" else "")
        return bool(
            re.search(rf"\b{month}\b", text)
            or (short and re.search(rf"\b{short}\b", text, re.IGNORECASE))
        )

    dated = doc_dates.get(candidates[best].evidence_index, frozenset())
    # (its passage: "Dr Winterbourne presented the falls deep dive." goes on "Of the 21 falls on
    # Ward 7 in November, ..."; the sentence and its neighbours alone cost four check-set facts)
    near = evidence[candidates[best].evidence_index].text
    if not months or all(says(m, near) or set(stems(m) or [m.lower()]) <= dated for m in months):
        return best
    want = set(q.asking_terms or q.key_terms)

    def held(i: int) -> int:
        ev = evidence[candidates[i].evidence_index]
        return len(want & set(stems(f"{ev.heading} {candidates[i].text}")))

    rows = [
        i
        for i, c in enumerate(candidates)
        if c.is_row
        and all(says(m, c.text) for m in months)
        and held(i) >= MONTH_ROW_SHARE * len(want)
    ]
    return max(rows, key=lambda i: (held(i), float(cheap[i]))) if rows else best


def _headed_people(
    q: Question, candidates: list[Candidate], evidence: Sequence[Evidence], best: Candidate
) -> list[Candidate]:
    """A "who" question's answer from a list whose section heading holds the rarest word asked,
    every item naming someone the question does not, when the best sentence lacks that word;
    else nothing."""
    asked = list(dict.fromkeys(q.asking_terms or q.key_terms))
    sets = [set(stems(c.text)) for c in candidates]
    heads = [set(stems(evidence[c.evidence_index].heading.split(" > ")[-1])) for c in candidates]
    held = [t for t in asked if any(t in s or t in h for s, h in zip(sets, heads, strict=True))]
    if not held:
        return []
    focus = _rarest(held, sets)
    if focus & set(stems(best.text)):
        return []
    groups: dict[tuple[str, str], list[Candidate]] = {}
    for cand, head in zip(candidates, heads, strict=True):
        ev = evidence[cand.evidence_index]
        if cand.is_item and focus & head:
            groups.setdefault((ev.source, ev.heading), []).append(cand)
    named = [
        items for items in groups.values() if all(names_someone(c.text, q.text) for c in items)
    ]
    return named[0][:10] if len(named) == 1 else []


def _best_list(
    candidates: list[Candidate],
    final: np.ndarray,
    cheap: np.ndarray,
    evidence: Sequence[Evidence],
    count: int | None = None,
    q: Question | None = None,
) -> list[Candidate]:
    """For list questions: one whole list (a section's items, over chunks), led by its lead-in.

    When the question says how many items it expects ("the six domains"), a list of exactly
    that length is preferred, and an enumerating sentence of another length does not displace it.
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for i, cand in enumerate(candidates):
        ev = evidence[cand.evidence_index]
        if cand.is_item:
            groups.setdefault((ev.source, ev.heading), []).append(i)
    best: list[int] = []
    best_score = -1.0
    best_lead: int | None = None
    for indices in groups.values():
        unique: dict[str, int] = {}
        ordered_all = sorted(
            indices,
            key=lambda i: (evidence[candidates[i].evidence_index].position, candidates[i].order),
        )
        for i in ordered_all:
            unique.setdefault(candidates[i].text, i)
        ordered = list(unique.values())
        if len(ordered) < 2:
            continue
        lead = _lead_in(candidates, ordered[0])
        scored = ordered + ([lead] if lead is not None else [])
        top = max(float(final[i]) for i in scored)
        items_score = float(np.mean([cheap[i] for i in ordered]))
        if lead is not None:
            # The lead-in says what its items are ("the components are:"): they answer as well
            # as it does, though they repeat none of its words ("Building a shared purpose").
            items_score = max(items_score, float(cheap[lead]))
            top = max(top, float(cheap[lead]))
        score = 0.5 * items_score + 0.5 * max(top, 0.0)
        score += 0.02 * min(len(ordered), 6)
        if count is not None and len(ordered) == count:
            score += COUNT_BOOST
        if LEAD_NOUN and lead is not None and _names_asked_plural(q, candidates[lead].text):
            # "What are the components of the NHS IMPACT framework?": the list led by "the
            # components are:" over any list without such a lead-in, here one of sentences that
            # each mention a component (own15)
            score += LEAD_NOUN_BOOST
        if score > best_score:
            best, best_score, best_lead = ordered, score, lead
    # An enumerating sentence ("a, b and c") among the best is a list too, and wins when it
    # matches the question better than any bulleted list does.
    ranked = [int(i) for i in np.argsort(-final)[:SHORTLIST] if final[i] > -1.0]
    inline = [i for i in ranked if has_answer_type("list", candidates[i].text)]
    # Items outside the shortlist have no dense score: compare the cheap scores of the inline
    # sentence and the list (its items and the sentence that leads into them).
    group = best + ([best_lead] if best_lead is not None else [])
    best_item = max((float(cheap[i]) for i in group), default=-1.0)
    counted = count is not None and len(best) == count
    if (
        inline
        and (not best or not counted and float(cheap[inline[0]]) > best_item + INLINE_MARGIN)
        and not _list_names_noun(q, best_lead, inline[0], candidates)
    ):
        return [candidates[inline[0]]]
    if not best:
        return []
    items: list[Candidate] = []
    words = 0
    if LIST_LEAD_IN and best_lead is not None:
        items.append(candidates[best_lead])
        words += len(candidates[best_lead].text.split())
    if q is not None:  # the rows the question asks for, before the list is cut to length
        kept = {id(c) for c in _rows_asked_for(q, [candidates[i] for i in best])}
        best = [i for i in best if id(candidates[i]) in kept]
    for i in best[: max(10, len(best) if counted else 0)]:
        # an item with the sentences that go on from it ("Five practices. In return, ... were
        # asked to adopt five practices. These were: ..."): the item whole
        whole = [candidates[i]]
        if ITEMS_WHOLE:
            j = i + 1
            while (
                j < len(candidates)
                and candidates[j].goes_on
                and _same_passage(candidates[i], candidates[j])
            ):
                whole.append(candidates[j])
                j += 1
        length = sum(len(c.text.split()) for c in whole)
        if words + length > MAX_WORDS * 1.4 and not counted:
            break  # (a list of as many items as the question asked for is shown whole)
        items.extend(whole)
        words += length
    return items


# A bulleted list whose lead-in names the plural the question asks for ("What themes did the
# evaluation find ...?": "... described five connected themes ...:") beats an enumerating
# sentence that does not ("between departments, between professions and between sectors").
LIST_NAMES_NOUN = True


LEAD_NOUN = True
LEAD_NOUN_BOOST = 1.0  # (more than any list scores otherwise: a preference, not a weight)


def _names_asked_plural(q: Question | None, text: str) -> bool:
    """Does the text name the plural noun the question asks for ("components")?"""
    if q is None:
        return False
    noun = asked_noun(q.asking or q.text)
    if not noun or not is_plural(noun):
        return False
    stem = stems(noun)
    return bool(stem) and stem[0] in stems(text)


def _list_names_noun(
    q: Question | None, lead: int | None, inline: int, candidates: list[Candidate]
) -> bool:
    """Does the list's lead-in name the plural asked for, and the enumerating sentence not?"""
    if not LIST_NAMES_NOUN or lead is None:
        return False
    return _names_asked_plural(q, candidates[lead].text) and not _names_asked_plural(
        q, candidates[inline].text
    )


def _lead_in(candidates: list[Candidate], first: int) -> int | None:
    """The sentence just before a list's first item in the same passage (its lead-in)."""
    j = first - 1
    if j >= 0 and _same_passage(candidates[j], candidates[first]) and not candidates[j].is_item:
        return j
    return None


# Two items of one list in an answer bring the items between them, in the list's order: tester51's
# question on East London's training for the board was answered with the list's fourth and
# fifth items, not the second ("board members, both executive and non-executive, received
# training").
LIST_GAPS = True


def fill_list_gaps(
    chosen: Sequence[Candidate], evidence: Sequence[Evidence], max_words: int = MAX_WORDS
) -> list[Candidate]:
    """The answer's sentences, each passage's chosen list items with the items between them,
    when nothing but items lies between them and the answer stays within `max_words`: the item
    chosen first stays first (it answers best), the others follow in the list's order."""
    out = list(chosen)
    if not LIST_GAPS:
        return out
    lists: dict[int, list[Candidate]] = {}
    for cand in out:
        if cand.is_item and not cand.is_row:
            lists.setdefault(cand.evidence_index, []).append(cand)
    for index, items in lists.items():
        if len(items) < 2:
            continue
        low, high = min(c.order for c in items), max(c.order for c in items)
        # (that passage's sentences only: the others are not read again)
        span = [
            replace(c, evidence_index=index)
            for c in _candidates([evidence[index]])
            if low <= c.order <= high
        ]
        if not span or not all(c.is_item for c in span):
            continue  # prose between them: two lists, or one cut by a sentence
        shown = {c.order for c in out if c.evidence_index == index}
        added = sum(len(c.text.split()) for c in span if c.order not in shown)
        if sum(len(c.text.split()) for c in out) + added > max_words:
            continue
        first = next(k for k, c in enumerate(out) if c in items)
        rest = [c for c in out if not (c.evidence_index == index and low <= c.order <= high)]
        out = rest[:first] + [items[0]] + [c for c in span if c != items[0]] + rest[first:]
    return out


def keep_lists_whole(chosen: Sequence[Candidate]) -> list[Candidate]:
    """The answer's sentences with each passage's list in one piece: a sentence of another
    passage that falls between two of its items follows the list instead."""
    out = list(chosen)
    k = 1
    while k < len(out) - 1:
        prev, cand, nxt = out[k - 1], out[k], out[k + 1]
        if (
            not cand.is_item
            and prev.is_item
            and nxt.is_item
            and prev.evidence_index == nxt.evidence_index != cand.evidence_index
        ):
            end = k + 1
            while (
                end < len(out)
                and out[end].is_item
                and out[end].evidence_index == prev.evidence_index
            ):
                end += 1
            out.insert(end - 1, out.pop(k))
            continue
        k += 1
    return out


def render(chosen: Sequence[Candidate], numbers: dict[int, int], as_list: bool) -> str:
    """The answer text with [n] after each sentence (n = citation number of its evidence)."""
    parts = []
    for cand in chosen:
        text = _DANGLING.sub("", cand.text.rstrip()).rstrip().rstrip(";,").rstrip()
        text = text[:1].upper() + text[1:]
        if not text.endswith((".", "!", "?", ":")):
            text += "."
        parts.append(f"{text[:-1]} [{numbers[cand.evidence_index]}]{text[-1]}")
    if as_list:
        # The sentence that introduces the list ("The components are:") is not an item of it;
        # a sentence that goes on from an item stays on the item's line.
        lines: list[str] = []
        for k, (cand, p) in enumerate(zip(chosen, parts, strict=True)):
            if k and cand.goes_on and _same_passage(chosen[k - 1], cand):
                lines[-1] += f" {p}"
            elif k == 0 and cand.text.rstrip().endswith(":") and not cand.is_item:
                lines.append(p)
            else:
                lines.append(f"- {p}")
        return "\n".join(lines)
    out = ""
    after_list = False
    for k, (cand, part) in enumerate(zip(chosen, parts, strict=True)):
        # Items after a lead-in ("The reasons are:") are shown as a list under it.
        # (an item of another passage's list is not one more item of this one)
        listed = (
            cand.is_item
            and k > 0
            and chosen[k - 1].evidence_index == cand.evidence_index
            and (
                chosen[k - 1].is_item
                or chosen[k - 1].goes_on
                or out.endswith(":")
                # the first of two or more items shown after a sentence that is not their
                # lead-in: a list all the same, not a sentence run on from the one before
                or (
                    k + 1 < len(chosen)
                    and chosen[k + 1].is_item
                    and chosen[k + 1].evidence_index == cand.evidence_index
                )
            )
        )
        # a sentence after the list starts a line of its own, not the last item's; so does
        # another passage's list lead-in ("The evaluation described five themes:")
        opens = (
            k > 0
            and cand.text.rstrip().endswith(":")
            and chosen[k - 1].evidence_index != cand.evidence_index
        )
        goes_on = after_list and cand.goes_on and _same_passage(chosen[k - 1], cand)
        gap = " " if goes_on else "\n- " if listed else "\n" if after_list or opens else " "
        out += (gap if out else "") + part
        if (
            listed
            and chosen[0].is_item
            and not out.startswith("- ")
            and all(c.goes_on for c in chosen[1:k])
        ):
            out = f"- {out}"  # the answer opens on an item of the list it goes on with
        after_list = listed or goes_on
    return out
