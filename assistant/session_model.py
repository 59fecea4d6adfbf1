"""A board session's data: one pydantic model, saved whole after every step (no behaviour here)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from prompts.frameworks import Framework, RatingScale

Stage = Literal["pending", "discussing", "rating", "spread_shown", "agreed", "skipped"]
ActionStatus = Literal["draft", "agreed", "done", "dropped"]
Priority = Literal["high", "medium", "low"]
SourceKind = Literal["notes", "gap", "facilitator", "carried"]
Origin = Literal["rules", "llm", "gap", "facilitator", "carried"]

ACTION_STATUSES: tuple[str, ...] = ("draft", "agreed", "done", "dropped")
PRIORITIES: tuple[str, ...] = ("high", "medium", "low")
CQC_STATEMENT = "Well-led: Learning, improvement and innovation"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Entry(_Model):
    """A note or a decision: what was said, when, recorded by whom."""

    text: str
    at: datetime
    by: str


class EvidenceItem(_Model):
    """A passage shown in the room, kept so the paper can list its sources."""

    title: str
    source: str
    page: int | None = None
    heading: str = ""
    url: str | None = None
    text: str = ""
    own: bool = False  # from the organisation's own papers rather than the bundled pack


class QuestionRecord(_Model):
    """What the board said and decided on one question."""

    id: str
    section: str
    rated: bool = False
    stage: Stage = "pending"
    notes: list[Entry] = Field(default_factory=list)
    ratings: dict[str, int] = Field(default_factory=dict)  # member -> level, private
    spread_shown_at: datetime | None = None
    agreed: int | None = None
    rationale: str | None = None
    target: int | None = None
    target_by: date | None = None
    decisions: list[Entry] = Field(default_factory=list)
    skipped_reason: str | None = None
    evidence: list[EvidenceItem] = Field(default_factory=list)


class SectionRecord(_Model):
    id: str
    summary: str | None = None
    summary_at: datetime | None = None


class ActionSource(_Model):
    """Where an action came from: the exact words of a note, or a rating gap."""

    kind: SourceKind
    question: str | None = None
    quote: str | None = None
    note: int | None = None  # index of the note the quote is in
    gap: str | None = None  # "agreed 2, target 4 by 2026-03-31"
    carried_from: str | None = None  # "SESSION-ID/A3"


class Action(_Model):
    """One action note. Only `agreed` and `done` actions count in the paper's action log."""

    ref: str
    text: str
    owner: str | None = None
    due: date | None = None
    due_text: str | None = None  # the words the due date was read from
    component: str | None = None  # the section id (for NHS IMPACT, the component)
    priority: Priority = "medium"
    status: ActionStatus = "draft"
    source: ActionSource
    origin: Origin = "rules"
    confidence: Literal["high", "low"] = "high"
    created_at: datetime
    updated_at: datetime


class PaperDetails(_Model):
    """Cover-sheet fields a board secretary fills in; None = generated or shown as to complete."""

    meeting: str | None = None
    agenda_item: str | None = None
    report_title: str | None = None
    author: str | None = None
    lead_director: str | None = None
    purpose: str | None = None
    executive_summary: str | None = None
    recommendation: str | None = None
    strategic_objectives: str | None = None
    risks: str | None = None


PAPER_FIELDS: tuple[str, ...] = tuple(PaperDetails.model_fields)


class SessionState(_Model):
    """Everything about one session; `version` counts the saved steps."""

    id: str
    tenant: str
    framework: str
    framework_snapshot: dict[str, Any]
    board: str
    organisation: str
    meeting_date: date
    next_board: date | None = None
    facilitator: str | None = None
    participants: list[str] = Field(default_factory=list)
    sections: list[str]
    status: Literal["open", "closed"] = "open"
    cursor: int = 0  # index into positions(): a question, a section summary, or the review
    questions: list[QuestionRecord]
    section_records: list[SectionRecord]
    actions: list[Action] = Field(default_factory=list)
    next_ref: int = 1
    paper: PaperDetails = Field(default_factory=PaperDetails)
    carried_from: str | None = None  # the earlier session this one took open actions from
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    version: int = 0

    def framework_model(self) -> Framework:
        """The framework as it was when the session was created (later edits do not change it)."""
        return Framework.model_validate(self.framework_snapshot)

    @property
    def scale(self) -> RatingScale:
        return RatingScale.model_validate(self.framework_snapshot["scale"])

    def question(self, question_id: str) -> QuestionRecord | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def section_record(self, section_id: str) -> SectionRecord | None:
        return next((s for s in self.section_records if s.id == section_id), None)

    def action(self, ref: str) -> Action | None:
        wanted = ref.strip().upper()
        return next((a for a in self.actions if a.ref.upper() == wanted), None)


def spread(ratings: dict[str, int], scale: RatingScale) -> dict[str, Any]:
    """How many members chose each level, and the lowest and highest: never an average."""
    counts = {level.value: 0 for level in scale.levels}
    for value in ratings.values():
        counts[value] = counts.get(value, 0) + 1
    values = list(ratings.values())
    return {
        "n": len(values),
        "counts": counts,
        "min": min(values) if values else None,
        "max": max(values) if values else None,
    }


def spread_text(ratings: dict[str, int], scale: RatingScale) -> str:
    """'1:0 2:3 3:2 4:1 5:0 (range 2-4, 6 ratings)' - the spread as one short line."""
    s = spread(ratings, scale)
    if not s["n"]:
        return "no ratings"
    counts = " ".join(f"{level}:{n}" for level, n in s["counts"].items())
    span = f"{s['min']}" if s["min"] == s["max"] else f"{s['min']}-{s['max']}"
    return f"{counts} (range {span}, {s['n']} rating{'s' if s['n'] != 1 else ''})"
