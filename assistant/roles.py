"""A question asking who holds a role in a named body, answered only where the two meet.

"Who chairs our Finance and Performance Committee?" is answered by a sentence that speaks of
chairing and names that committee ("Committee chair: ..." under the committee's own report
counts: a passage's title and heading name its body). Papers that only mention the committee
("investment decisions are referred to the Finance and Performance Committee") next to another
committee's chair ("the Quality Committee, chaired by a non-executive director") do not say
who chairs it: the assistant says so instead of naming the wrong person.

Only general English is read: the question word "who", two verbs of holding a role (chair,
head) and their past forms, and stop words. Three fresh testers asked this of their own
trust's papers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive import Selection
from assistant.questions import stems
from knowledge import Evidence

__all__ = ["role_gap"]

# verb as asked -> the stem a sentence holding the role has. Chairing and heading only: "Who
# led the evaluation?" is answered by "carried out by ..." (a dev question lost that way).
_ROLES = {
    "chairs": ("chair",),
    "chaired": ("chair",),
    "heads": ("head",),
    "headed": ("head",),
}
_ASKS_WHO = re.compile(
    rf"\bwho\s+(?:currently\s+)?(?P<verb>{'|'.join(_ROLES)})\s+(?P<body>[^?,.;:]+)",
    re.IGNORECASE,
)


def role_gap(question: str, selection: Selection, evidence: Sequence[Evidence]) -> str | None:
    """The reason to decline ("its documents do not say who chairs ...") when no sentence
    shown holds both the role and the body the question names; else None."""
    match = _ASKS_WHO.search(question)
    if match is None or not selection.reading:
        return None
    body = set(stems(match.group("body")))
    if not body:
        return None  # "who chairs it?": the body is named elsewhere
    roles = set(_ROLES[match.group("verb").lower()])
    for cand in selection.reading:
        words = set(stems(cand.text))
        ev = evidence[cand.evidence_index]
        named = words | set(stems(f"{ev.title} {ev.heading}"))
        if roles & words and body <= named:
            return None
    said = " ".join(match.group("body").split())
    return f"its documents do not say who {match.group('verb').lower()} {said}"
