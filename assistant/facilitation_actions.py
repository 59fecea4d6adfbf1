"""The steps that make and change action notes: drafts from notes, the facilitator's, gaps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from assistant.errors import ActionNotFound, InvalidInput
from assistant.facilitation_checks import question, short, text
from assistant.session_model import (
    ACTION_STATUSES,
    PRIORITIES,
    Action,
    ActionSource,
    QuestionRecord,
    SessionState,
)

EDITABLE = ("status", "owner", "due", "text", "priority")


def propose(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    made = []
    for draft in event.actions:
        record = question(state, draft.question)
        said = " ".join(" ".join(n.text.split()) for n in record.notes)
        if " ".join(draft.quote.split()) not in said:
            raise InvalidInput(f"an action's quote is not in the notes of {record.id}")
    for draft in event.actions:
        if any(
            a.source.question == draft.question and a.source.quote == draft.quote
            for a in state.actions
        ):
            continue  # the same words already gave an action
        record = question(state, draft.question)
        action = Action(
            ref=f"A{state.next_ref}",
            text=text(draft.text, "the action"),
            owner=draft.owner,
            due=draft.due,
            due_text=draft.due_text,
            component=record.section,
            priority=draft.priority,
            source=ActionSource(
                kind="notes", question=record.id, quote=draft.quote, note=draft.note
            ),
            origin=draft.origin,
            confidence=draft.confidence,
            created_at=now,
            updated_at=now,
        )
        state.actions.append(action)
        state.next_ref += 1
        made.append(action.ref)
    return f"drafted {', '.join(made)}" if made else "no new actions"


def add_action(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    record = question(state, event.question) if event.question else None
    body = text(event.text, "the action")
    owner = (event.owner or "").strip() or None
    if event.status == "agreed" and owner is None:
        raise InvalidInput("an agreed action needs an owner: give --owner")
    action = Action(
        ref=f"A{state.next_ref}",
        text=body,
        owner=owner,
        due=event.due,
        component=record.section if record else None,
        priority=event.priority,
        status=event.status,
        source=ActionSource(kind="facilitator", question=record.id if record else None),
        origin="facilitator",
        created_at=now,
        updated_at=now,
    )
    state.actions.append(action)
    state.next_ref += 1
    return f"added {action.ref}: {short(body)}"


def edit_action(state: SessionState, event: Any, actor: str, now: datetime) -> str:
    action = state.action(event.ref)
    if action is None:
        refs = ", ".join(a.ref for a in state.actions) or "none yet"
        raise ActionNotFound(f"no action {event.ref!r} in session {state.id[:8]} (actions: {refs})")
    unknown = set(event.changes) - set(EDITABLE)
    if unknown or not event.changes:
        raise InvalidInput(f"an action edit changes some of {', '.join(EDITABLE)}")
    new = action.model_dump()
    for key, value in event.changes.items():
        if key == "status" and value not in ACTION_STATUSES:
            raise InvalidInput(f"status {value!r} is not one of {', '.join(ACTION_STATUSES)}")
        if key == "priority" and value not in PRIORITIES:
            raise InvalidInput(f"priority {value!r} is not one of {', '.join(PRIORITIES)}")
        if key == "text":
            value = text(value, "the action")
        if key == "owner":
            value = (value or "").strip() or None
        if key == "due" and value is not None and not isinstance(value, date):
            raise InvalidInput("a due date is YYYY-MM-DD")
        new[key] = value
    if new["status"] == "agreed" and not new["owner"]:
        raise InvalidInput(
            f"{action.ref} has no owner: name one (--owner) before agreeing it, so the action "
            "log never holds an action nobody owns"
        )
    said = [
        f"{k} {action.model_dump().get(k)!r} -> {new[k]!r}"
        for k in EDITABLE
        if new[k] != action.model_dump().get(k)
    ]
    for key in EDITABLE:
        setattr(action, key, new[key])
    if "due" in event.changes:
        action.due_text = None
    if said:
        action.updated_at = now
    return f"{action.ref}: " + ("; ".join(said) if said else "no change")


def refresh_gap_action(state: SessionState, record: QuestionRecord, now: datetime) -> None:
    """Propose (or update) a draft action when the agreed rating is below the target."""
    existing = next(
        (a for a in state.actions if a.source.kind == "gap" and a.source.question == record.id),
        None,
    )
    if record.agreed is None or record.target is None or record.target_by is None:
        return
    gap = record.target - record.agreed
    if gap <= 0:
        if existing is not None and existing.status == "draft":
            existing.status, existing.updated_at = "dropped", now
        return
    fw = state.framework_model()
    section = fw.section(record.section)
    title = section.title if section else record.section
    by = record.target_by
    wording = (
        f"Plan how to move '{title}' from {state.scale.label(record.agreed)} to "
        f"{state.scale.label(record.target)}: what would it take to move up one level?"
    )
    source = ActionSource(
        kind="gap",
        question=record.id,
        gap=f"agreed {record.agreed}, target {record.target} by {by.isoformat()}",
    )
    if existing is None:
        state.actions.append(
            Action(
                ref=f"A{state.next_ref}",
                text=wording,
                due=by,
                component=record.section,
                priority="high" if gap >= 2 else "medium",
                source=source,
                origin="gap",
                created_at=now,
                updated_at=now,
            )
        )
        state.next_ref += 1
    elif existing.status in ("draft", "dropped"):
        existing.text, existing.due, existing.source = wording, by, source
        existing.priority = "high" if gap >= 2 else "medium"
        existing.status, existing.updated_at = "draft", now
