"""The rules of each step of a session: stage transitions and one handler per event kind.

Handlers change the (already copied) state in place and return a sentence for the audit trail;
`assistant.facilitation.apply` is the only caller. Every check runs before the first change, so
a refused step changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from assistant.errors import (
    InvalidInput,
    InvalidRating,
    QuestionNotFound,
    WrongStage,
)
from assistant.facilitation_actions import add_action, edit_action, propose, refresh_gap_action
from assistant.facilitation_checks import level, member, question, short, text
from assistant.session_model import (
    PAPER_FIELDS,
    Entry,
    QuestionRecord,
    SessionState,
    spread_text,
)

# (from stage, event, to stage). Decisions and evidence leave the stage as it is.
QUESTION_TRANSITIONS: tuple[tuple[str, str, str], ...] = (
    ("pending", "notes", "discussing"),
    ("discussing", "notes", "discussing"),
    ("rating", "notes", "rating"),
    ("spread_shown", "notes", "spread_shown"),
    ("agreed", "notes", "agreed"),
    ("skipped", "notes", "discussing"),
    ("pending", "rate", "rating"),
    ("discussing", "rate", "rating"),
    ("rating", "rate", "rating"),
    ("rating", "show_spread", "spread_shown"),
    ("spread_shown", "agree", "agreed"),
    ("agreed", "agree", "agreed"),
    ("agreed", "target", "agreed"),
    ("pending", "skip", "skipped"),
    ("discussing", "skip", "skipped"),
    ("rating", "skip", "skipped"),
    ("spread_shown", "skip", "skipped"),
    ("skipped", "revisit", "discussing"),
    ("agreed", "revisit", "rating"),
    ("spread_shown", "revisit", "rating"),
)

_HINTS = {
    "show_spread": "record private ratings first",
    "agree": "private ratings first, then show the spread, then agree",
    "target": "agree the current rating (with its rationale) before setting a target",
    "rate": "ratings close once the spread is shown; revisit the question to rate again",
    "skip": "it is already agreed; revisit it to change the rating",
    "revisit": "there is nothing to reopen",
}
DETAILS = (*PAPER_FIELDS, "next_board", "facilitator", "participants")


def next_stage(stage: str, kind: str, question: str) -> str:
    """The stage after `kind` happens at `stage`, or WrongStage saying what to do instead."""
    for before, event, after in QUESTION_TRANSITIONS:
        if before == stage and event == kind:
            return after
    hint = _HINTS.get(kind, "")
    raise WrongStage(
        f"cannot {kind.replace('_', ' ')} on {question} while it is {stage.replace('_', ' ')}"
        + (f": {hint}" if hint else "")
    )


def positions(state: SessionState) -> list[tuple[str, str]]:
    """The run order: each chosen section's questions, then its summary; the review last."""
    order: list[tuple[str, str]] = []
    for section in state.sections:
        order += [("question", q.id) for q in state.questions if q.section == section]
        order.append(("summary", section))
    order.append(("review", ""))
    return order


def _rated_question_hint(state: SessionState, record: QuestionRecord) -> str:
    rated = [q.id for q in state.questions if q.section == record.section and q.rated]
    return f"; rate {', '.join(rated)}" if rated else ""


# -- handlers ---------------------------------------------------------------------------------
def _notes(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    body = text(event.text, "the notes")
    record.stage = next_stage(record.stage, "notes", record.id)  # type: ignore[assignment]
    record.notes.append(Entry(text=body, at=now, by=actor))
    return f"notes on {record.id}: {short(body)}"


def _rate(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    if not record.rated:
        raise InvalidRating(
            f"{record.id} is a discussion question and takes no rating"
            + _rated_question_hint(state, record)
        )
    value = level(state, event.level, "rating")
    who = member(state, event.member)
    record.stage = next_stage(record.stage, "rate", record.id)  # type: ignore[assignment]
    record.ratings[who] = value
    return f"private rating recorded on {record.id} ({len(record.ratings)} so far)"


def _show_spread(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    record.stage = next_stage(record.stage, "show_spread", record.id)  # type: ignore[assignment]
    record.spread_shown_at = now
    return f"spread shown on {record.id}: {spread_text(record.ratings, state.scale)}"


def _agree(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    if not record.rated:
        raise InvalidRating(f"{record.id} takes no rating" + _rated_question_hint(state, record))
    value = level(state, event.level, "agreed rating")
    reason = text(event.rationale, "the rationale for the agreed rating")
    if record.target is not None and value > record.target:
        raise InvalidRating(
            f"agreed rating {value} is above the target {record.target} already set on "
            f"{record.id}: set a new target first"
        )
    record.stage = next_stage(record.stage, "agree", record.id)  # type: ignore[assignment]
    record.agreed, record.rationale = value, reason
    refresh_gap_action(state, record, now)
    return f"agreed rating on {record.id}: {state.scale.label(value)}"


def _target(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    value = level(state, event.level, "target")
    if record.agreed is not None and value < record.agreed:
        raise InvalidRating(
            f"target {value} is below the agreed rating {record.agreed} on {record.id}: a target "
            "is where the board wants to be"
        )
    if event.by <= state.meeting_date:
        raise InvalidInput(
            f"the target date {event.by.isoformat()} must be after the meeting "
            f"({state.meeting_date.isoformat()})"
        )
    record.stage = next_stage(record.stage, "target", record.id)  # type: ignore[assignment]
    record.target, record.target_by = value, event.by
    refresh_gap_action(state, record, now)
    return f"target on {record.id}: {state.scale.label(value)} by {event.by.isoformat()}"


def _decision(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    body = text(event.text, "the decision")
    record.decisions.append(Entry(text=body, at=now, by=actor))
    return f"decision on {record.id}: {short(body)}"


def _skip(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    record.stage = next_stage(record.stage, "skip", record.id)  # type: ignore[assignment]
    record.skipped_reason = (event.reason or "").strip() or None
    if positions(state)[state.cursor] == ("question", record.id):
        state.cursor += 1
    return f"skipped {record.id}" + (
        f": {short(record.skipped_reason)}" if record.skipped_reason else ""
    )


def _revisit(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    if record.stage == "skipped" or event.reopen_rating:
        record.stage = next_stage(record.stage, "revisit", record.id)  # type: ignore[assignment]
    if record.stage == "rating" and event.reopen_rating:
        record.ratings, record.spread_shown_at = {}, None
        record.agreed, record.rationale = None, None
    state.cursor = positions(state).index(("question", record.id))
    return f"revisited {record.id}" + (" (rating reopened)" if event.reopen_rating else "")


def _move(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    order = positions(state)
    to = event.to.strip()
    if to == "next":
        state.cursor = min(state.cursor + 1, len(order) - 1)
    elif to == "back":
        state.cursor = max(state.cursor - 1, 0)
    elif to.startswith("summary:"):
        if ("summary", to[8:]) not in order:
            raise QuestionNotFound(f"no section {to[8:]!r} in this session")
        state.cursor = order.index(("summary", to[8:]))
    else:
        state.cursor = order.index(("question", question(state, to).id))
    kind, target = order[state.cursor]
    return f"moved to {kind} {target}".rstrip()


def _summary(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = state.section_record(event.section.strip())
    if record is None:
        raise QuestionNotFound(
            f"no section {event.section!r} in this session: its sections are "
            f"{', '.join(state.sections)}"
        )
    record.summary, record.summary_at = text(event.text, "the section summary"), now
    if positions(state)[state.cursor] == ("summary", record.id):
        state.cursor += 1
    return f"summary of {record.id}: {short(record.summary)}"


def _evidence(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question)
    record.evidence = list(event.items)
    return f"evidence shown on {record.id}: {len(event.items)} passages"


def _details(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    unknown = set(event.changes) - set(DETAILS)
    if unknown:
        raise InvalidInput(
            f"unknown detail(s) {', '.join(sorted(unknown))}: use {', '.join(DETAILS)}"
        )
    for key, value in event.changes.items():
        if key == "next_board":
            if value is not None and value <= state.meeting_date:
                raise InvalidInput("the next board date must be after this meeting")
            state.next_board = value
        elif key == "participants":
            state.participants = [p for p in (" ".join(v.split()) for v in value) if p]
        elif key == "facilitator":
            state.facilitator = (value or "").strip() or None
        else:
            setattr(state.paper, key, (value or "").strip() or None)
    return "updated " + ", ".join(sorted(event.changes))


def _close(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    state.status, state.closed_at = "closed", now
    drafts = sum(a.status == "draft" for a in state.actions)
    agreed = sum(a.status in ("agreed", "done") for a in state.actions)
    return f"closed: {agreed} actions agreed, {drafts} still drafts"


Handler = Callable[[SessionState, Any, str, datetime], str]
HANDLERS: dict[str, Handler] = {
    "notes": _notes,
    "rate": _rate,
    "show_spread": _show_spread,
    "agree": _agree,
    "target": _target,
    "decision": _decision,
    "skip": _skip,
    "revisit": _revisit,
    "move": _move,
    "summary": _summary,
    "evidence": _evidence,
    "propose": propose,
    "add_action": add_action,
    "edit_action": edit_action,
    "details": _details,
    "close": _close,
}
