"""Board sessions over HTTP: a SessionService in the key's tenant, and the views the console reads.

The session store and drafter are built once per process (Services); each request gets a
SessionService bound to its Principal's tenant, so an id of another tenant is never found.
Evidence is searched through the Gateway's knowledge base, in the same tenant.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from api.auth import Principal
from api.gateway import Gateway
from assistant.action_drafting import Drafter
from assistant.session_service import SessionService, StepResult, list_frameworks
from assistant.session_views import action_view, session_view
from assistant.sessions import SessionStore
from assistant.settings import Settings

EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


class Facilitation:
    """The process's session store and drafter; `service(principal)` is one tenant's sessions."""

    def __init__(self, settings: Settings, store: SessionStore, drafter: Drafter) -> None:
        self.settings = settings
        self.store = store
        self.drafter = drafter

    @classmethod
    def build(cls, settings: Settings) -> Facilitation:
        from assistant.session_service import make_drafter, open_session_store

        return cls(settings, open_session_store(settings), make_drafter(settings))

    def service(self, principal: Principal) -> SessionService:
        return SessionService(
            self.store,
            principal.tenant,
            drafter=self.drafter,
            frameworks_dir=self.settings.frameworks_dir,
            default_actor=f"key {principal.key_id}",
        )

    def frameworks(self) -> list[dict[str, Any]]:
        return [
            {
                "name": f.name,
                "title": f.title,
                "sections": f.sections,
                "questions": f.questions,
            }
            for f in list_frameworks(self.settings.frameworks_dir)
            if f.error is None
        ]

    def evidence(
        self, principal: Principal, gateway: Gateway, session_id: str, question: str
    ) -> list[dict[str, Any]]:
        _, items = self.service(principal).evidence(session_id, question, gateway.kb)
        return [item.model_dump() for item in items]

    def export(self, principal: Principal, session_id: str, fmt: str) -> tuple[bytes, str]:
        """The board paper (docx, md) or action log (csv) as bytes, with a download name."""
        service = self.service(principal)
        state = service.get(session_id)
        name = f"board-session-{state.meeting_date.isoformat()}-{state.id[:8]}.{fmt}"
        with tempfile.TemporaryDirectory(prefix="impact-export-") as tmp:
            written = service.export(state.id, fmt, Path(tmp) / name)
            return written[0].read_bytes(), name


def full_view(result: StepResult | Any) -> dict[str, Any]:
    """The session as `impact session show --json` prints it, plus each question's guidance."""
    state = result.state if isinstance(result, StepResult) else result
    view = session_view(state)
    fw = state.framework_model()
    for question in view["questions"]:
        found = fw.find(question["id"])
        if found:
            q = found[1]
            question.update(
                intent=q.intent, probes=list(q.probes), good_looks_like=list(q.good_looks_like)
            )
    view["scale"] = [
        {"value": lv.value, "label": lv.label, "descriptor": lv.descriptor}
        for lv in state.scale.levels
    ]
    if isinstance(result, StepResult):
        view["notices"] = list(result.notices)
    return view


def actions_view(result: StepResult | Any) -> list[dict[str, Any]]:
    state = result.state if isinstance(result, StepResult) else result
    return [action_view(a) for a in state.actions]
