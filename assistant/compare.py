"""Progress over time: two sessions of the same board, ratings per area and actions carried over."""

from __future__ import annotations

from typing import Any

from assistant.errors import InvalidInput
from assistant.session_model import SessionState

__all__ = ["compare_sessions"]


def _rated(state: SessionState) -> dict[str, dict[str, Any]]:
    fw = state.framework_model()
    out = {}
    for record in state.questions:
        if record.rated:
            section = fw.section(record.section)
            out[record.id] = {
                "section": record.section,
                "title": section.title if section else record.section,
                "agreed": record.agreed,
                "target": record.target,
                "target_by": record.target_by.isoformat() if record.target_by else None,
            }
    return out


def compare_sessions(first: SessionState, second: SessionState) -> dict[str, Any]:
    """Rating changes per rated area and the fate of the earlier session's actions.

    The sessions are put in meeting order. An action counts as carried over when the later
    session took it across (`impact session new --carry-from`); its status there is shown.
    """
    if first.id == second.id:
        raise InvalidInput("compare two different sessions")
    if first.board.casefold() != second.board.casefold():
        raise InvalidInput(
            f"the sessions are of different boards ({first.board!r} and {second.board!r}): "
            "compare sessions of the same board"
        )
    earlier, later = sorted((first, second), key=lambda s: (s.meeting_date, s.created_at))
    before, after = _rated(earlier), _rated(later)
    ratings = []
    for qid in list(before) + [q for q in after if q not in before]:
        then, now = before.get(qid), after.get(qid)
        base = now or then
        assert base is not None
        change = (
            now["agreed"] - then["agreed"]
            if then and now and then["agreed"] is not None and now["agreed"] is not None
            else None
        )
        ratings.append(
            {
                "question": qid,
                "section": base["section"],
                "title": base["title"],
                "earlier": {"agreed": then["agreed"], "target": then["target"]} if then else None,
                "later": {"agreed": now["agreed"], "target": now["target"]} if now else None,
                "change": change,
                "target_met": (
                    now["agreed"] >= then["target"]
                    if then and now and then["target"] is not None and now["agreed"] is not None
                    else None
                ),
            }
        )
    carried = {
        a.source.carried_from.split("/", 1)[1]: a
        for a in later.actions
        if a.source.kind == "carried"
        and a.source.carried_from
        and a.source.carried_from.startswith(earlier.id + "/")
    }
    actions = []
    for action in earlier.actions:
        if action.status == "draft":
            continue
        moved = carried.get(action.ref)
        actions.append(
            {
                "ref": action.ref,
                "action": action.text,
                "owner": action.owner,
                "due": action.due.isoformat() if action.due else None,
                "status_earlier": action.status,
                "carried_over": moved is not None,
                "later_ref": moved.ref if moved else None,
                "status_now": moved.status if moved else action.status,
            }
        )
    return {
        "board": later.board,
        "earlier": {
            "id": earlier.id,
            "date": earlier.meeting_date.isoformat(),
            "framework": earlier.framework,
        },
        "later": {
            "id": later.id,
            "date": later.meeting_date.isoformat(),
            "framework": later.framework,
        },
        "same_framework": earlier.framework == later.framework,
        "ratings": ratings,
        "actions": actions,
        "summary": {
            "improved": sum(1 for r in ratings if (r["change"] or 0) > 0),
            "unchanged": sum(1 for r in ratings if r["change"] == 0),
            "declined": sum(1 for r in ratings if (r["change"] or 0) < 0),
            "actions_done": sum(1 for a in actions if a["status_now"] == "done"),
            "actions_open": sum(1 for a in actions if a["status_now"] == "agreed"),
            "actions_dropped": sum(1 for a in actions if a["status_now"] == "dropped"),
        },
    }
