"""Who can own an action: named people (or their initials), roles and bodies, "we" = the board.

An owner is recorded only when the notes name one; a phrase that names a thing ("the new
system") is not an owner. Participants' names and initials, when the session knows them, tell
a person's name from a capitalised word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["LEADING", "PRONOUNS", "SUBORDINATE", "People", "owner_of", "subject_owner"]

# Role nouns: the head of a noun phrase that can own an action ("the director of nursing",
# "the quality committee", "Priya's team"). General organisational vocabulary, not the pack's.
_ROLE_TEXT = """
    director directors officer officers chair chairs chairman chairwoman chairperson chief
    executive executives secretary lead leads head heads manager managers team teams committee
    committees board governor governors member members nurse guardian controller president
    partner partners trust organisation faculty group office department division divisions panel
    network council ceo cfo coo cmo cno cpo cio cdo ned neds sid everyone execs exec
"""
ROLE_WORDS = frozenset(_ROLE_TEXT.split())
_ACRONYM_ROLE = re.compile(r"^(?:C[A-Z]{1,2}O|NEDs?|SID|Do[A-Z][a-z]?|DoN|DoF)$")
_TITLES = ("dr", "dr.", "prof", "prof.", "professor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.")
_DETERMINERS = ("the", "our", "each", "every", "all", "both", "a", "an", "their", "his", "her")
LEADING = re.compile(
    r"^(?:(?:and|but|so|then|also|instead|meanwhile|separately|finally|in\s+addition|"
    r"after\s+discussion|in\s+the\s+meantime|as\s+a\s+result)\b,?\s*)+",
    re.I,
)
PRONOUNS = {"he", "she", "they", "him", "her", "them"}
_COLLECTIVE = {"we", "us", "the board", "board"}


# -- owners ---------------------------------------------------------------------------------
def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name) if w[0].isupper())


class People:
    """Who can own an action here: the participants' names, name parts and initials."""

    def __init__(self, participants: Sequence[str]) -> None:
        names = [" ".join(re.sub(r"\(.*?\)", "", p).split()) for p in participants]
        self.known = bool(names)
        self.parts = {w.casefold() for n in names for w in n.split() if len(w) > 1}
        self.initials = {_initials(n).casefold() for n in names if len(_initials(n)) >= 2}

    def is_person(self, words: list[str]) -> bool:
        tokens = [w for w in words if w.casefold() not in _TITLES]
        if not tokens:
            return False
        if len(tokens) == 1 and tokens[0].isalpha() and 2 <= len(tokens[0]) <= 3:
            if tokens[0].isupper() and (not self.known or tokens[0].casefold() in self.initials):
                return True
            if tokens[0].casefold() in self.initials:
                return True
        capitalised = all(t[:1].isupper() for t in tokens)
        if self.known:
            return capitalised and any(t.casefold().rstrip("'s") in self.parts for t in tokens)
        return capitalised and (len(tokens) >= 2 or words[0].casefold() in _TITLES)


# Closed-class words and reporting verbs that never sit inside an owner's name.
_NOT_IN_OWNER_TEXT = """
    will would shall should can could may might must is are was were be been being has have had
    do does did said says agreed asked wants want needs need noted felt discussed thought
    suggested reported confirmed explained accepted took whether that which who when if by with
    to from into about
"""
_NOT_IN_OWNER = frozenset(_NOT_IN_OWNER_TEXT.split())
SUBORDINATE = re.compile(
    r"^(?:when|if|once|after|before|as\s+soon\s+as|subject\s+to|following|given|until|"
    r"where|while|although|though|because|since|in\s+light\s+of)\b[^,]{1,120},\s*",
    re.I,
)


def _is_role(words: list[str]) -> bool:
    """A noun phrase whose head is a role: 'the director of nursing', "Priya's team", 'the CFO'."""
    lowered = [w.casefold().strip(".,") for w in words]
    head_end = next((i for i, w in enumerate(lowered) if w in ("of", "for")), len(lowered))
    if head_end == 0:
        return False
    head = words[head_end - 1].strip(".,")
    key = head.casefold()
    key = key[:-2] if key.endswith(("'s", "’s")) else key
    return key in ROLE_WORDS or bool(_ACRONYM_ROLE.match(head))


def owner_of(subject: str, people: People) -> str | None:
    """The subject as an owner (person, initials, role, 'the board'), or None if it is a thing."""
    subject = LEADING.sub("", subject.strip(" ,:;")).strip()
    subject = SUBORDINATE.sub("", subject).strip()
    subject = re.sub(
        r",\s*(?:supported|assisted|helped|working)\s+(?:by|with)\s+[^,]+,?", "", subject
    ).strip(" ,")
    subject = re.sub(r"^(?:both|all\s+of)\s+(?=the\b|[A-Z])", "", subject, flags=re.I).strip()
    if subject.casefold() in _COLLECTIVE:
        return "the board"
    words = subject.split()
    if not words or len(words) > 8 or any(w.casefold().strip(".,") in _NOT_IN_OWNER for w in words):
        return None
    parts = [p for p in re.split(r"\s+(?:and|&)\s+|,\s+", subject) if p]
    for part in parts:
        tokens = part.split()
        if people.is_person(tokens):
            continue
        if _is_role(tokens) and (
            tokens[0].casefold() in _DETERMINERS
            or tokens[0][:1].isupper()
            or len(tokens) == 1
            or re.search(r"['’]s$", tokens[0])
        ):
            continue
        return None
    first, _, rest = subject.partition(" ")
    if rest and first.casefold() in _DETERMINERS:
        subject = f"{first.casefold()} {rest}"  # "The CFO" at a sentence start is "the CFO"
    return subject


_VERBISH = re.compile(
    r"\s+(?:will|would|shall|to|is|are|was|were|has|have|had|agreed|said|confirmed|offered|"
    r"undertook|took|asked|accepted|volunteered|committed)\b",
    re.I,
)


def subject_owner(clause: str, people: People, loose: bool = False) -> str | None:
    """The owner named as the clause's subject (the words before its first verb), if any;
    `loose` also accepts an owner-like opening with an unlisted verb ("Tom presented ...")."""
    main = SUBORDINATE.sub("", LEADING.sub("", clause.strip()))
    verb = _VERBISH.search(main)
    if verb and verb.start() > 0:
        return owner_of(main[: verb.start()], people)
    if not loose:
        return None
    words = main.split()
    for size in range(min(4, len(words) - 1), 0, -1):  # "Tom Patel presented ..."
        owner = owner_of(" ".join(words[:size]), people)
        if owner is not None:
            return owner
    return None
