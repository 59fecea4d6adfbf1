"""Action notes drafted from board notes by rules (offline): commitments, owners and due dates.

A commitment is a clause whose subject undertakes to do something ("Sarah Jones will ...",
"the CFO to ...", "we agreed to ...", "it was agreed that ... would ..."), or a line marked as an
action ("Action: ...", an action-log row "Owner - action - date"). Not commitments: hedges
("might", "could", "may"), wishes and needs ("wants to", "need to", "should" outside an
agreement), negations ("we will not ...", "agreed not to", "no action"), questions, past
commitments ("last time we agreed ...") and "continue to" (business as usual). An owner is
recorded only when the notes name one (a person, initials, a role, or "we"/"the board"); a
pronoun takes the person or role named just before it; otherwise the owner is None. Every draft
keeps the exact words it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant.duedates import find_due
from assistant.owners import LEADING, PRONOUNS, SUBORDINATE, People, owner_of, subject_owner

__all__ = ["DraftAction", "extract_actions", "normalise_space"]

_MODAL = r"(?:will|shall|'ll|is\s+to|are\s+to|is\s+going\s+to|are\s+going\s+to)"
_UNDERTOOK = (
    r"(?:agreed|undertook|offered|committed|promised|volunteered|pledged|has\s+agreed|"
    r"have\s+agreed|kindly\s+agreed)\s+to"
)
_NEGATION = re.compile(
    r"\b(?:will\s+not|won't|shall\s+not|not\s+to\b|no\s+longer|will\s+never|decided\s+against|"
    r"no\s+(?:further\s+)?actions?\b|nothing\s+(?:was\s+)?agreed|no\s+decision|"
    r"will\s+not\s+be|isn't|aren't|not\s+going\s+to)",
    re.I,
)
_PAST = re.compile(
    r"^(?:last\s+(?:time|year|month|meeting)|previously|at\s+the\s+last\s+(?:meeting|board))\b|"
    r"\bhad\s+(?:agreed|committed|undertaken)\b",
    re.I,
)
_CONTINUE = re.compile(r"\b(?:will|to)\s+continue\s+to\b", re.I)
_PRIORITY_HIGH = re.compile(
    r"\b(?:urgent(?:ly)?|as\s+a\s+(?:matter\s+of\s+)?(?:priority|urgency)|immediately|asap|"
    r"top\s+priority)\b",
    re.I,
)
_LABEL = re.compile(
    r"^(?P<label>actions?|owner|owners|lead|leads|due|deadline|by\s+when|decision|decisions|"
    r"agreed|note|notes)(?:\s+(?:for|\()\s*(?P<for>[^:)]{1,60})\)?)?\s*:\s*",
    re.I,
)
_HEADER = re.compile(r"^(?:agreed\s+)?actions?(?:\s+(?:agreed|arising|log))?\s*:?\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•‣◦·]|\d{1,2}[.)]|\(?[a-z]\))\s+")
_FIELD_SPLIT = re.compile(r"\s+[–—-]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|dr|mr|mrs|ms|prof|no|vs|approx|cf|st)\.$", re.I)
_TBC = re.compile(r"^(?:tbc|tbd|to\s+be\s+confirmed|n/?a|none|ongoing|unknown|-)$", re.I)


@dataclass(frozen=True)
class DraftAction:
    """An action drafted from notes: `quote` is the exact words (spaces normalised) it came from."""

    text: str
    owner: str | None
    due: date | None
    due_text: str | None
    quote: str
    priority: str = "medium"
    confidence: str = "high"


def normalise_space(text: str) -> str:
    return " ".join(text.split())


# -- splitting ------------------------------------------------------------------------------
def _units(text: str) -> list[tuple[str, bool]]:
    """Paragraphs and list items, wrapped lines joined; True for a list item or label line."""
    units: list[list[str]] = []
    flags: list[bool] = []
    for raw in text.replace("\r", "").split("\n"):
        line = raw.strip()
        if not line:
            units.append([])
            flags.append(False)
            continue
        starts = bool(_BULLET.match(line)) or bool(_LABEL.match(line)) or bool(_HEADER.match(line))
        # a line after a list item continues it only when indented or lower-case (wrapped)
        after_item = bool(flags) and flags[-1] and not (raw[:1].isspace() or line[:1].islower())
        if starts or after_item or not units or not units[-1]:
            units.append([line])
            flags.append(starts)
        else:
            units[-1].append(line)
    return [(" ".join(u), f) for u, f in zip(units, flags, strict=True) if u]


def _sentences(unit: str) -> list[str]:
    parts: list[str] = []
    for piece in _SENTENCE_END.split(unit):
        if parts and _ABBREVIATIONS.search(parts[-1]):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return [p.strip() for p in parts if p.strip()]


_BREAK = re.compile(r";\s+|,?\s+(?:but|and\s+that|and)\s+", re.I)
_CONTINUES = re.compile(r"^(?:will|would|shall|to|is\s+to|are\s+to)\s+[a-z]", re.I)


def _clauses(sentence: str, people: People) -> list[tuple[str, str]]:
    """(clause, kind): kind "first", "that" (after "and that"), "cont" (no subject of its own:
    "... and will report back"), or "new" (its own subject). A conjunction splits only when what
    follows has a verb of its own, so "the slides and the spread of ratings" stays whole."""
    pieces: list[tuple[str, str]] = []
    start, kind = 0, "first"
    for match in _BREAK.finditer(sentence):
        right = sentence[match.end() :]
        word = match.group(0).strip(" ,;").lower()
        if match.group(0).startswith(";"):
            nxt = "new"
        elif word == "and that":
            nxt = "that"
        elif _CONTINUES.match(right):
            nxt = "cont"
        elif subject_owner(right, people) is not None or (
            word == "but" and re.search(r"\b(?:will|to)\s+[a-z]", right, re.I)
        ):
            nxt = "new"
        else:
            continue
        pieces.append((sentence[start : match.start()], kind))
        start, kind = match.end(), nxt
    pieces.append((sentence[start:], kind))
    return [(c.strip(" ,"), k) for c, k in pieces if c.strip(" ,")]


# -- commitments ----------------------------------------------------------------------------
_SUBJECT = r"(?P<subj>[A-Za-z][\w'’.&-]*(?:[ ,]+[\w'’.&-]+){0,9}?)"
_PATTERNS = [
    # "X asked Y to do", "the board asked the CEO to set out"
    re.compile(r"\basked\s+(?P<subj>(?:the\s+)?[\w'’.&-]+(?:\s+[\w'’.&-]+){0,5}?)\s+to\s+(?!be\b)(?P<rest>[a-z].*)", re.I),
    # "Y was asked to do"
    re.compile(r"^" + _SUBJECT + r"\s+(?:was|were|has\s+been|have\s+been)\s+asked\s+to\s+(?P<rest>.+)", re.I),
    # "X said/confirmed (that) she would do"
    re.compile(r"^" + _SUBJECT + r"\s+(?:said|confirmed|agreed|offered|undertook|indicated)\s+(?:that\s+)?(?P<pron>he|she|they|we)\s+would\s+(?!be\s+happy|like|prefer)(?P<rest>.+)", re.I),
    # "X agreed to do", "we undertook to do"
    re.compile(r"^" + _SUBJECT + r"\s+" + _UNDERTOOK + r"\s+(?!be\b)(?P<rest>.+)", re.I),
    # "X will do", "X is going to do"
    re.compile(r"^" + _SUBJECT + r"\s+" + _MODAL + r"\s+(?!be\b|need\b|have\s+to\b|want\b|like\b|continue\b|know\b|see\b|hear\b)(?P<rest>[a-z].*)", re.I),
    # "X to do" (minutes style)
    re.compile(r"^" + _SUBJECT + r"\s+to\s+(?!be\b)(?P<rest>[a-z].*)", re.I),
]  # fmt: skip
_PASSIVE = re.compile(r"\b(?:will|shall|would)\s+be\s+(?P<verb>[a-z]+(?:ed|en|wn|t))\b", re.I)
_AGENT = re.compile(
    r"\bby\s+(?P<agent>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*){0,4}|the\s+[a-z]+(?:\s+[a-z]+){0,3})"
)
_AGREED_CONTEXT = re.compile(
    r"^(?:it\s+was\s+|the\s+board\s+|members\s+|we\s+)?(?:agreed|resolved)(?:\s+instead)?\s+(?:that\s+)?",
    re.I,
)
_WOULD = re.compile(
    r"^" + _SUBJECT + r"\s+(?:would|should|will|shall|to)\s+(?!be\s+happy)(?P<rest>[a-z].*)", re.I
)


def _tidy(text: str) -> str:
    text = text.strip(" ,;:.")
    return text[:1].upper() + text[1:] if text else text


def _without_due(text: str, due_text: str | None) -> str:
    if not due_text:
        return _tidy(text)
    cut = re.sub(
        r"[,\s]*(?:\b(?:by|before|within|in|from|on|at|for|to|over|deadline|target\s+date|due)\s+)?"
        + re.escape(due_text) + r"\s*$",
        "", text.strip(" .;,"), flags=re.I,
    )  # fmt: skip
    return _tidy(cut) or _tidy(text)


@dataclass
class _Context:
    meeting: date
    next_board: date | None
    people: People
    last_owner: str | None = None


def _commitment(clause: str, ctx: _Context, agreed: bool) -> tuple[str | None, str] | None:
    """(owner, action text) when the clause commits someone to something, else None."""
    body = SUBORDINATE.sub("", LEADING.sub("", clause).strip())
    context = _AGREED_CONTEXT.match(body)
    if context:
        agreed = True
        before = body[: context.start()] + body[: context.end()]
        body = body[context.end() :]
        if re.match(r"^to\s+", body, re.I):  # "we agreed to ...", "agreed to ..."
            subject = re.split(r"\s+(?:agreed|resolved)\b", before, flags=re.I)[0]
            owner = owner_of(subject, ctx.people) if subject.strip() else None
            return owner, body[3:]
    fallback: tuple[str | None, str] | None = None
    for pattern in _PATTERNS:
        match = pattern.search(body)
        if not match:
            continue
        subject = match.group("subj")
        pronoun = match.groupdict().get("pron")
        owner = owner_of(subject, ctx.people)
        if pronoun and pronoun.lower() == "we" and owner is None:
            owner = "the board"
        if owner is not None:
            return owner, match.group("rest")
        if subject.strip().casefold() in PRONOUNS:
            return ctx.last_owner, match.group("rest")  # no antecedent: no owner, never a guess
        if agreed and fallback is None:
            fallback = (None, body)
    if agreed:
        match = _WOULD.search(body)
        if match and owner_of(match.group("subj"), ctx.people):
            return owner_of(match.group("subj"), ctx.people), match.group("rest")
    passive = _PASSIVE.search(body)
    if passive:
        agent = _AGENT.search(body[passive.end() :])
        owner = owner_of(agent.group("agent"), ctx.people) if agent else None
        due = find_due(body, ctx.meeting, ctx.next_board)
        if owner or agreed or (due and due.date):
            return owner, body
    return fallback


def _row(item: str, ctx: _Context) -> tuple[str | None, str, str] | None:
    """An action-log row: 'Owner - action - due', 'action - owner - due', 'action (owner, due)'."""
    fields = [f.strip(" .") for f in _FIELD_SPLIT.split(item) if f.strip(" .")]
    paren = re.match(r"^(?P<text>.+?)\s*\((?P<inner>[^()]{1,80})\)\s*\.?$", item)
    if len(fields) < 2 and paren:
        fields = [paren["text"], *[f.strip() for f in paren["inner"].split(",")]]
    if len(fields) < 2:
        return None
    due_bits: list[str] = []
    rest: list[str] = []
    for field in fields:
        due = find_due(field, ctx.meeting, ctx.next_board)
        if _TBC.match(field) or (
            due and len(due.text) >= len(field) - 8 and len(field.split()) <= 6
        ):
            due_bits.append(field)
        else:
            rest.append(field)
    # the owner is the shortest field that names one; the others say what is to be done
    owners = [f for f in rest if len(f.split()) <= 5 and owner_of(f, ctx.people)]
    chosen = min(owners, key=lambda f: len(f.split())) if owners else None
    owner = owner_of(chosen, ctx.people) if chosen else None
    text_bits = [f for f in rest if f is not chosen]
    if not text_bits or (owner is None and not due_bits):
        return None
    return owner, " - ".join(text_bits), " ".join(due_bits)


def extract_actions(
    notes: str,
    meeting: date,
    next_board: date | None = None,
    participants: Sequence[str] = (),
) -> list[DraftAction]:
    """Draft actions from one note, in order; an empty list when nothing was committed to."""
    ctx = _Context(meeting, next_board, People(participants))
    drafts: list[DraftAction] = []
    in_action_list = False
    for unit, is_item in _units(notes):
        label = _LABEL.match(unit)
        kind = label["label"].lower() if label else ""
        body_at = label.end() if label else 0
        if (kind in ("action", "actions") and not unit[body_at:].strip()) or _HEADER.match(unit):
            in_action_list = True
            continue
        if kind in ("owner", "owners", "lead", "leads", "due", "deadline", "by when"):
            _attach(drafts, kind, unit[body_at:], ctx)
            continue
        if kind in ("decision", "decisions", "note", "notes"):
            in_action_list = False
            continue
        if not is_item:
            in_action_list = False
        if kind in ("action", "actions"):
            _explicit(drafts, unit, label, ctx)
            continue
        if is_item:
            item = _BULLET.sub("", unit).strip()
            row = _row(item, ctx)
            if row is not None:
                owner, text, due_words = row
                due = find_due(due_words, meeting, next_board) if due_words else None
                drafts.append(_draft(text, owner, due, item, ctx))
                continue
            if in_action_list:
                _explicit(drafts, item, None, ctx)
                continue
            unit = item
        _from_prose(
            drafts,
            unit,
            ctx,
            agreed=kind == "agreed",
            body_start=label.end() if kind == "agreed" and label else 0,
        )
    return drafts


def _draft(
    text: str, owner: str | None, due, quote: str, ctx: _Context, confidence: str = "high"
) -> DraftAction:  # type: ignore[no-untyped-def]
    due_text = due.text if due else None
    if owner:
        ctx.last_owner = owner
    return DraftAction(
        text=_without_due(text, due_text),
        owner=owner,
        due=due.date if due else None,
        due_text=due_text,
        quote=normalise_space(quote).strip(),
        priority="high" if _PRIORITY_HIGH.search(quote) else "medium",
        confidence=confidence if owner else "low",
    )


def _explicit(
    drafts: list[DraftAction], unit: str, label: re.Match[str] | None, ctx: _Context
) -> None:
    """'Action: ...', 'Action for X: ...' or an item of an 'Actions:' list: always an action."""
    body = unit[label.end() :] if label else unit
    owner = owner_of(label["for"], ctx.people) if label and label["for"] else None
    for sentence in _sentences(body) or [body]:
        if _LABEL.match(sentence):
            sub = _LABEL.match(sentence)
            assert sub is not None
            _attach(drafts, sub["label"].lower(), sentence[sub.end() :], ctx)
            continue
        found = _commitment(sentence, ctx, agreed=True)
        who, text = found if found else (None, sentence)
        due = find_due(sentence, ctx.meeting, ctx.next_board)
        drafts.append(_draft(text, owner or who, due, sentence, ctx))


def _attach(drafts: list[DraftAction], kind: str, value: str, ctx: _Context) -> None:
    """An 'Owner: X' or 'Due: date' line completes the action before it."""
    if not drafts:
        return
    parts = _sentences(value.strip()) or [value.strip()]
    own = parts[0].strip(" .")
    last = drafts[-1]
    if kind in ("owner", "owners", "lead", "leads"):
        owner = None if _TBC.match(own) else (own or None)
        if owner:
            ctx.last_owner = owner
        drafts[-1] = DraftAction(
            last.text, owner, last.due, last.due_text, last.quote, last.priority,
            "high" if owner else "low",
        )  # fmt: skip
    else:
        due = find_due(own, ctx.meeting, ctx.next_board)
        if due is not None:
            drafts[-1] = DraftAction(
                last.text, last.owner, due.date, due.text, last.quote, last.priority,
                last.confidence,
            )  # fmt: skip
    for rest in parts[1:]:
        sub = _LABEL.match(rest)
        if sub:
            _attach(drafts, sub["label"].lower(), rest[sub.end() :], ctx)


def _from_prose(
    drafts: list[DraftAction], unit: str, ctx: _Context, agreed: bool, body_start: int
) -> None:
    body = unit[body_start:]
    for sentence in _sentences(body):
        label = _LABEL.match(sentence)  # "... Action: do X. Owner: Y. Due: Z." inside a paragraph
        if label:
            kind = label["label"].lower()
            if kind in ("action", "actions"):
                _explicit(drafts, sentence, label, ctx)
            elif kind in ("owner", "owners", "lead", "leads", "due", "deadline", "by when"):
                _attach(drafts, kind, sentence[label.end() :], ctx)
            if kind != "agreed":
                continue
            sentence = sentence[label.end() :]
        if sentence.rstrip().endswith("?") or _PAST.search(sentence):
            continue
        main = SUBORDINATE.sub("", LEADING.sub("", sentence))
        sentence_agreed = agreed or bool(_AGREED_CONTEXT.match(main))
        found: list[int] = []
        subject: str | None = None
        reported = False
        for clause, kind in _clauses(sentence, ctx.people):
            inherits = kind in ("that", "cont")
            probe = clause
            if kind == "cont" and subject:
                if re.match(r"^would\b", clause, re.I) and not (reported or sentence_agreed):
                    continue  # "... and would ..." after a condition is not a commitment
                probe = f"{subject} {re.sub(r'^would', 'will', clause, flags=re.I)}"
            if kind != "cont":
                subject = subject_owner(clause, ctx.people, loose=True)
                reported = bool(re.search(r"\b(?:said|confirmed|offered|agreed)\b", clause, re.I))
            if _NEGATION.search(clause) or _CONTINUE.search(clause):
                continue
            result = _commitment(
                probe, ctx, sentence_agreed if inherits or kind == "first" else agreed
            )
            if result is None:
                if subject:
                    ctx.last_owner = subject
                continue
            owner, text = result
            due = find_due(clause, ctx.meeting, ctx.next_board)
            drafts.append(_draft(text, owner, due, clause, ctx))
            found.append(len(drafts) - 1)
        shared = re.search(r"\b(?:both|all|each)\s+(?:by|before|within)\b.*$", sentence, re.I)
        if shared and len(found) > 1:
            due = find_due(shared.group(0), ctx.meeting, ctx.next_board)
            for index in found:
                d = drafts[index]
                if due and d.due is None:
                    drafts[index] = DraftAction(
                        d.text, d.owner, due.date, due.text, d.quote, d.priority, d.confidence
                    )
