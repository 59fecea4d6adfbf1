"""Sessions as plain dicts for JSON (the CLI's --json and the API share these shapes)."""

from __future__ import annotations

from typing import Any

from assistant.facilitation import phase
from assistant.facilitation_steps import positions
from assistant.session_model import Action, QuestionRecord, SessionState, spread

__all__ = ["action_view", "question_view", "ratings_view", "session_view"]


def action_view(action: Action) -> dict[str, Any]:
    """`{"ref", "action", "owner", "due", "component", "status", "priority", "source", ...}`."""
    source: dict[str, Any] = {"kind": action.source.kind, "question": action.source.question}
    if action.source.quote is not None:
        source["quote"] = action.source.quote
    if action.source.gap is not None:
        source["gap"] = action.source.gap
    if action.source.carried_from is not None:
        source["carried_from"] = action.source.carried_from
    return {
        "ref": action.ref,
        "action": action.text,
        "owner": action.owner,
        "due": action.due.isoformat() if action.due else None,
        "due_text": action.due_text,
        "component": action.component,
        "status": action.status,
        "priority": action.priority,
        "source": source,
        "origin": action.origin,
        "confidence": action.confidence,
        "updated_at": action.updated_at.isoformat(),
    }


def ratings_view(state: SessionState, record: QuestionRecord) -> dict[str, Any]:
    """Who has rated and, once the spread is shown, how many chose each level.

    Individual ratings are never shown (they are kept for the record): before the spread is
    shown only the count, so nobody anchors on anybody else; after it, counts per level and the
    range. Never an average.
    """
    shown = record.spread_shown_at is not None
    view: dict[str, Any] = {
        "count": len(record.ratings),
        "members": sorted(record.ratings),
        "spread_shown": shown,
        "spread": None,
        "min": None,
        "max": None,
    }
    if shown:
        s = spread(record.ratings, state.scale)
        view.update(spread={str(k): v for k, v in s["counts"].items()}, min=s["min"], max=s["max"])
    return view


def question_view(state: SessionState, record: QuestionRecord) -> dict[str, Any]:
    fw = state.framework_model()
    found = fw.find(record.id)
    section_title = found[0].title if found else record.section
    text = found[1].text if found else ""
    return {
        "id": record.id,
        "section": record.section,
        "section_title": section_title,
        "text": text,
        "rated": record.rated,
        "stage": record.stage,
        "notes": [{"text": n.text, "at": n.at.isoformat(), "by": n.by} for n in record.notes],
        "ratings": ratings_view(state, record) if record.rated else None,
        "agreed_rating": record.agreed,
        "rationale": record.rationale,
        "target": record.target,
        "target_by": record.target_by.isoformat() if record.target_by else None,
        "decisions": [
            {"text": d.text, "at": d.at.isoformat(), "by": d.by} for d in record.decisions
        ],
        "skipped": record.stage == "skipped",
        "skipped_reason": record.skipped_reason,
        "evidence": [e.model_dump() for e in record.evidence],
    }


def session_view(state: SessionState) -> dict[str, Any]:
    """The whole session as `impact session show --json` prints it."""
    kind, target = positions(state)[state.cursor]
    return {
        "id": state.id,
        "status": state.status,
        "phase": phase(state),
        "position": {"kind": kind, "id": target or None},
        "framework": state.framework,
        "framework_version": state.framework_snapshot.get("version"),
        "board": state.board,
        "organisation": state.organisation,
        "date": state.meeting_date.isoformat(),
        "next_board": state.next_board.isoformat() if state.next_board else None,
        "facilitator": state.facilitator,
        "participants": state.participants,
        "sections": [
            {
                "id": r.id,
                "summary": r.summary,
            }
            for r in state.section_records
        ],
        "questions": [question_view(state, q) for q in state.questions],
        "actions": [action_view(a) for a in state.actions],
        "paper": state.paper.model_dump(),
        "carried_from": state.carried_from,
        "created_at": state.created_at.isoformat(),
        "updated_at": state.updated_at.isoformat(),
        "closed_at": state.closed_at.isoformat() if state.closed_at else None,
        "version": state.version,
    }
