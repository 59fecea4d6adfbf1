"""The facilitation state machine: events (pydantic) applied to a SessionState by pure functions.

Each question moves through explicit stages (QUESTION_TRANSITIONS); the session is open until it is
closed. `apply` never changes its input: it returns a new state and a `Change` for the audit
trail, or raises a SessionError and nothing changes. The caller (assistant.session_service) saves
the state after every step and calls the LLM, when one is configured, around these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant import facilitation_steps as steps
from assistant.errors import InvalidInput, QuestionNotFound, SessionClosed
from assistant.facilitation_steps import QUESTION_TRANSITIONS, next_stage
from assistant.session_model import (
    ActionStatus,
    EvidenceItem,
    PaperDetails,
    Priority,
    QuestionRecord,
    SectionRecord,
    SessionState,
)
from prompts.frameworks import Framework

__all__ = [
    "QUESTION_TRANSITIONS",
    "AddAction",
    "AddNotes",
    "Agree",
    "Change",
    "Close",
    "Decide",
    "EditAction",
    "Event",
    "Move",
    "ProposeActions",
    "Rate",
    "RecordEvidence",
    "Revisit",
    "SetTarget",
    "ShowSpread",
    "Skip",
    "Summarise",
    "UpdateDetails",
    "apply",
    "ActionDraft",
    "mermaid",
    "new_session",
    "next_stage",
    "phase",
]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AddNotes(_Event):
    kind: Literal["notes"] = "notes"
    question: str
    text: str


class Rate(_Event):
    kind: Literal["rate"] = "rate"
    question: str
    member: str
    level: int


class ShowSpread(_Event):
    kind: Literal["show_spread"] = "show_spread"
    question: str


class Agree(_Event):
    kind: Literal["agree"] = "agree"
    question: str
    level: int
    rationale: str


class SetTarget(_Event):
    kind: Literal["target"] = "target"
    question: str
    level: int
    by: date


class Decide(_Event):
    kind: Literal["decision"] = "decision"
    question: str
    text: str


class Skip(_Event):
    kind: Literal["skip"] = "skip"
    question: str
    reason: str = ""


class Revisit(_Event):
    """Go back to a question: a skipped one reopens; `reopen_rating` clears ratings to rate again."""

    kind: Literal["revisit"] = "revisit"
    question: str
    reopen_rating: bool = False


class Move(_Event):
    """Navigate: "next", "back", or a question id or "summary:SECTION" to go straight there."""

    kind: Literal["move"] = "move"
    to: str


class Summarise(_Event):
    kind: Literal["summary"] = "summary"
    section: str
    text: str


class RecordEvidence(_Event):
    kind: Literal["evidence"] = "evidence"
    question: str
    items: list[EvidenceItem]


class ActionDraft(BaseModel):
    """A proposed action before it gets a reference: from the notes (rules or LLM)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    owner: str | None = None
    due: date | None = None
    due_text: str | None = None
    question: str
    quote: str
    note: int | None = None
    priority: Priority = "medium"
    origin: Literal["rules", "llm"] = "rules"
    confidence: Literal["high", "low"] = "high"


class ProposeActions(_Event):
    kind: Literal["propose"] = "propose"
    actions: list[ActionDraft]


class AddAction(_Event):
    """An action the facilitator writes directly (its source is the facilitator)."""

    kind: Literal["add_action"] = "add_action"
    text: str
    question: str | None = None
    owner: str | None = None
    due: date | None = None
    priority: Priority = "medium"
    status: ActionStatus = "draft"


class EditAction(_Event):
    """Change an action: `changes` maps status/owner/due/text/priority to a value (None clears)."""

    kind: Literal["edit_action"] = "edit_action"
    ref: str
    changes: dict[str, Any]


class UpdateDetails(_Event):
    """Cover-sheet fields, the next board date, the facilitator or the participants."""

    kind: Literal["details"] = "details"
    changes: dict[str, Any]


class Close(_Event):
    kind: Literal["close"] = "close"


Event = Annotated[
    AddNotes
    | Rate
    | ShowSpread
    | Agree
    | SetTarget
    | Decide
    | Skip
    | Revisit
    | Move
    | Summarise
    | RecordEvidence
    | ProposeActions
    | AddAction
    | EditAction
    | UpdateDetails
    | Close,
    Field(discriminator="kind"),
]


class Change(BaseModel):
    """One audited step: the event's kind, a sentence for people and the event's data."""

    model_config = ConfigDict(frozen=True)

    kind: str
    summary: str
    detail: dict[str, Any]


def new_session(
    framework: Framework,
    *,
    session_id: str,
    tenant: str,
    board: str,
    organisation: str,
    meeting_date: date,
    now: datetime,
    facilitator: str | None = None,
    participants: Sequence[str] = (),
    sections: Sequence[str] | None = None,
    next_board: date | None = None,
    paper: dict[str, Any] | None = None,
) -> SessionState:
    """A new open session over `framework` (all its sections unless `sections` names some)."""
    board, organisation = " ".join(board.split()), " ".join(organisation.split())
    if not board or not organisation:
        raise InvalidInput(
            "a session needs the board's name (--board) and the organisation (--org)"
        )
    chosen = list(dict.fromkeys(s.strip() for s in sections if s.strip())) if sections else []
    known = [s.id for s in framework.sections]
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise QuestionNotFound(
            f"no section {', '.join(unknown)} in {framework.name}: its sections are "
            f"{', '.join(known)}"
        )
    chosen = [s for s in known if s in chosen] if chosen else known
    if next_board is not None and next_board <= meeting_date:
        raise InvalidInput("the next board date must be after this meeting")
    people = list(dict.fromkeys(p for p in (" ".join(x.split()) for x in participants) if p))
    return SessionState(
        id=session_id,
        tenant=tenant,
        framework=framework.name,
        framework_snapshot=framework.model_dump(mode="json"),
        board=board,
        organisation=organisation,
        meeting_date=meeting_date,
        next_board=next_board,
        facilitator=(facilitator or "").strip() or None,
        participants=people,
        sections=chosen,
        questions=[
            QuestionRecord(id=q.id, section=s.id, rated=q.rated)
            for s, q in framework.questions(chosen)
        ],
        section_records=[SectionRecord(id=s) for s in chosen],
        paper=_paper(paper),
        created_at=now,
        updated_at=now,
        version=1,
    )


def _paper(fields: dict[str, Any] | None) -> PaperDetails:
    unknown = set(fields or {}) - set(PaperDetails.model_fields)
    if unknown:
        raise InvalidInput(
            f"unknown cover-sheet field(s) {', '.join(sorted(unknown))}: use "
            f"{', '.join(PaperDetails.model_fields)}"
        )
    return PaperDetails(**(fields or {}))


def phase(state: SessionState) -> str:
    """Where the session is: closed, review, section_summary, or the current question's stage."""
    if state.status == "closed":
        return "closed"
    kind, target = steps.positions(state)[state.cursor]
    if kind == "review":
        return "review"
    if kind == "summary":
        return "section_summary"
    record = state.question(target)
    assert record is not None
    return record.stage


def apply(
    state: SessionState, event: Event, *, actor: str, now: datetime
) -> tuple[SessionState, Change]:
    """The state after `event`, and the change to audit. Raises a SessionError, changing nothing."""
    if state.status == "closed" and event.kind != "edit_action":
        raise SessionClosed(
            f"session {state.id[:8]} was closed on {state.closed_at:%d %b %Y}: only its actions "
            "can still be updated (impact session action ID REF --status ...)"
            if state.closed_at
            else f"session {state.id[:8]} is closed"
        )
    new = state.model_copy(deep=True)
    handler = steps.HANDLERS[event.kind]
    summary = handler(new, event, actor, now)
    new.updated_at = now
    new.version = state.version + 1
    return new, Change(kind=event.kind, summary=summary, detail=event.model_dump(mode="json"))


def mermaid() -> str:
    """The state machine as a Mermaid state diagram (for the README)."""
    labels = {
        "notes": "notes",
        "rate": "private rating",
        "show_spread": "show spread",
        "agree": "agreed rating + rationale",
        "target": "target level + date",
        "skip": "skip",
        "revisit": "revisit",
    }
    lines = [
        "stateDiagram-v2",
        "    [*] --> open: new session (board, date, framework, sections)",
        "    state open {",
        "        [*] --> pending",
    ]
    for before, kind, after in QUESTION_TRANSITIONS:
        if before == after and kind == "notes":
            continue  # notes, decisions and evidence can be added at any stage
        lines.append(f"        {before} --> {after}: {labels[kind]}")
    lines += [
        "        note right of pending: each question; notes, decisions and evidence at any stage",
        "    }",
        "    open --> open: next / back / revisit / section summary / actions drafted, edited",
        "    open --> closed: close",
        "    closed --> closed: action status updated (agreed / done / dropped)",
        "    closed --> [*]",
    ]
    return "\n".join(lines) + "\n"
