"""A question asking who holds a role in a named body, answered only where the two meet.

"Who chairs our Finance and Performance Committee?" is answered by a sentence that speaks of
chairing and names that committee ("Committee chair: ..." under the committee's own report
counts: a passage's title and heading name its body). Papers that only mention the committee
("investment decisions are referred to the Finance and Performance Committee") next to another
committee's chair ("the Quality Committee, chaired by a non-executive director") do not say
who chairs it: the assistant says so instead of naming the wrong person.

Only general English is read: the question word "who", two verbs of holding a role (chair,
head) and their past forms, month names, and stop words. Three fresh testers asked this of their own
trust's papers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.extractive import Candidate, Selection, candidates_of
from assistant.questions import (
    ACRONYM,
    MONTH_NAMES,
    asked_post,
    initials_run,
    names_someone,
    speaks_as_us,
    stems,
)
from knowledge import BUNDLED_PREFIX, Evidence

__all__ = ["post_gap", "role_gap", "role_holder"]

# verb as asked -> the stem a sentence holding the role has. Chairing and heading only: "Who
# led the evaluation?" is answered by "carried out by ..." (a dev question lost that way).
_ROLES = {
    "chairs": ("chair",),
    "chaired": ("chair",),
    "heads": ("head",),
    "headed": ("head",),
}
FULLEST_HOLDER = True  # the holder line whose passage says most of the body (own8 +1 fact)
# the line naming the holder, not "The Chair welcomed members" (own6, own7 +1 fact each)
HOLDER_NAMED = True
# post_gap also for a question without "our" answered only from the organisation's own papers
OWN_POST = True
# A post described in this many words or more ("executive lead for the investing in people and
# culture component") is a description, its words found in any order, not a title to match
LONG_POST = 4
# A post's acronym ("the BAF") is held by the words it stands for in the sentence, its title or
# its heading ("Board Assurance Framework")
SPELT_OUT = True
# A post asked of a national body ("Who is the national director of ECIST?") and answered from
# the pack is found there in words too ("David Fillingham, chair of the NIB" does not say)
PACK_POST = True
# ... and the sentence that holds the post names who holds it: "The blog by the senior
# responsible officer sets out the reasoning" does not say who the officer is (tester32)
POST_NAMED = True
_POSSESSOR = re.compile(r"^[\w-]+['\u2019]s\s+")
_MONTHS = frozenset(stems(" ".join(MONTH_NAMES)))
_ASKS_WHO = re.compile(
    # the body ends where a clause about it begins ("the National Improvement Board that
    # oversees NHS IMPACT")
    rf"\bwho\s+(?:currently\s+)?(?P<verb>{'|'.join(_ROLES)})\s+"
    r"(?P<body>(?:(?!\b(?:that|which|who|whose|where|when|what|how|why|and\s+(?:when|what|how|"
    r"where|why|who))\b)[^?,.;:])+)",
    re.IGNORECASE,
)


def _holds_role(
    match: re.Match[str],
    cand: Candidate,
    evidence: Sequence[Evidence],
    openings: Mapping[str, str] | None = None,
) -> bool:
    body = set(stems(match.group("body")))
    roles = set(_ROLES[match.group("verb").lower()])
    words = _line_words(match, cand)
    ev = evidence[cand.evidence_index]
    if not roles & words:
        return False
    # "the board meeting on 15 January 2026": its date is said once for the whole paper (the
    # minutes' "Date:" line at its top), not in the line that names the chair
    opening = (openings or {}).get(ev.doc_id or "", "")
    if _dated(body) - set(stems(f"{ev.title} {ev.heading} {ev.text} {opening}")):
        return False
    missing = _unsaid(match, cand, evidence, words)
    # one word of a long name may go unsaid ("the January 2026 board meeting" in the minutes
    # of that meeting, which never say "meeting"); a short name must be said whole
    return not missing or len(missing) == 1 and len(body) >= 4


def _line_words(match: re.Match[str], cand: Candidate) -> set[str]:
    """The line's words, with the name each of its acronyms stands for in the body asked about
    ("David Fillingham chairs the NIB" names the National Improvement Board)."""
    words = set(stems(cand.text))
    for acronym in ACRONYM.findall(cand.text):
        run = initials_run(acronym, match.group("body"))
        words |= set(stems(run)) if run else set()
    return words


def _dated(body: set[str]) -> set[str]:
    """The words of the body that date it ("12", "februari", "2026")."""
    return {w for w in body if w.isdigit() or w in _MONTHS}


def _unsaid(
    match: re.Match[str], cand: Candidate, evidence: Sequence[Evidence], words: set[str]
) -> set[str]:
    """The words of the body asked about (its date aside) that neither the line (`words`, from
    `_line_words`) nor its passage's title and heading say."""
    body = set(stems(match.group("body")))
    ev = evidence[cand.evidence_index]
    return body - _dated(body) - words - set(stems(f"{ev.title} {ev.heading}"))


def role_holder(
    question: str, evidence: Sequence[Evidence], openings: Mapping[str, str] | None = None
) -> Candidate | None:
    """(`openings`: the text that opens each paper, by its id, where minutes give their date.)
    The first sentence of the evidence (in its order) that holds the role asked about and
    names the body, itself or through its passage's title and heading ("Committee chair: Dr
    Fiona Marsh" under the committee's own report): the answer when the best-matching sentences
    only mention the committee. None when the question asks no such thing or none does."""
    match = _ASKS_WHO.search(question)
    if match is None or not set(stems(match.group("body"))):
        return None
    holders = [
        c
        for c in candidates_of(evidence)
        if not c.is_row
        and _holds_role(match, c, evidence, openings)
        # "The Chair welcomed members." holds the role and names no one
        and (not HOLDER_NAMED or names_someone(c.text, question))
    ]
    if not holders:
        return None
    if not FULLEST_HOLDER:
        return holders[0]
    # the line whose passage says most of the body: "Chair (Chair of the meeting)" in the
    # board's minutes over "People Committee, chaired by ..." in a paper to that board
    return min(holders, key=lambda c: len(_unsaid(match, c, evidence, _line_words(match, c))))


def role_gap(
    question: str,
    selection: Selection,
    evidence: Sequence[Evidence],
    openings: Mapping[str, str] | None = None,
) -> str | None:
    """The reason to decline ("its documents do not say who chairs ...") when no sentence
    shown holds both the role and the body the question names; else None."""
    match = _ASKS_WHO.search(question)
    if match is None or not selection.reading:
        return None
    body = set(stems(match.group("body")))
    if not body:
        return None  # "who chairs it?": the body is named elsewhere
    if any(
        _holds_role(match, cand, evidence, openings)
        and (not HOLDER_NAMED or names_someone(cand.text, question))
        for cand in selection.reading
    ):
        return None
    said = " ".join(match.group("body").split())
    return f"its documents do not say who {match.group('verb').lower()} {said}"


def post_gap(question: str, selection: Selection, evidence: Sequence[Evidence]) -> str | None:
    """ "Who is our Freedom to Speak Up Guardian?" asks who holds a post in the asker's own
    organisation: a sentence of its own papers that answers holds the post as a phrase (or the
    title and heading over it hold its words: "Committee chair" under the committee's report);
    the national pack's "NHS Providers' chief executive" is not "our chief executive". When
    none of the chosen sentences does, the reason to decline ("its documents do not say who
    your ... is"); else None. "Who is the chair of NHS England?" (no "our") is left to the
    other checks."""
    post = asked_post(question)
    if post is None or not selection.chosen:
        return None
    ours = speaks_as_us(question)
    if not ours:
        # "Who is the Trust's Director of Estates?" answered only from the organisation's own
        # papers asks about the organisation as much as "our" does; "Who is the national
        # director of ECIST?" answered from the pack must find that post there too
        from_pack = any(
            evidence[c.evidence_index].source.startswith(BUNDLED_PREFIX) for c in selection.chosen
        )
        if not (PACK_POST if from_pack else OWN_POST):
            return None
        post = _POSSESSOR.sub("", post)  # the post, not whose it is
    words = stems(post)
    if not words:
        return None
    for cand in selection.chosen:
        ev = evidence[cand.evidence_index]
        if ours and ev.source.startswith(BUNDLED_PREFIX):
            continue  # the national pack names no one's own chief executive
        if POST_NAMED and not names_someone(cand.text, question):
            continue
        said = stems(cand.text)
        # the post as a phrase ("Chief Executive", not "Executive lead: ..., Chief Operating
        # Officer"), or its words in the title and heading over the sentence
        phrase = any(said[i : i + len(words)] == words for i in range(len(said)))
        if phrase or set(words) <= set(stems(f"{ev.title} {ev.heading}")):
            return None
        # (asked without "our", or described at length, the post's words anywhere in the
        # sentence, its title and heading, each maybe cut short: "the exec lead for investing
        # in people and culture" is the row "Component: 2. Investing in people and culture;
        # Executive lead: ..."; "our chief executive" is not "Executive lead: ..., Chief
        # Operating Officer")
        have = said + stems(f"{ev.title} {ev.heading}")
        # ("the BAF" is held by a title spelling out "Board Assurance Framework")
        spelt = {
            a.lower()
            for a in ACRONYM.findall(post)
            if SPELT_OUT and initials_run(a, f"{ev.title} {ev.heading} {cand.text}")
        }
        loose = not ours or len(words) >= LONG_POST
        if loose and all(word in spelt or any(w.startswith(word) for w in have) for word in words):
            return None
    where = "your" if ours else "the"
    return f"its documents do not say who {where} {' '.join(post.split())} is"
