"""Helpers for the session tests: a store on a real database and a scripted session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.session_service import SessionService
from assistant.sessions import SessionStore
from knowledge.db import default_database_url

MEMBERS = ["Helen Ward", "Tom Patel", "Sarah Jones", "Amir Khan"]


def sqlite_store(folder: Path) -> SessionStore:
    return SessionStore.open(default_database_url(folder))


def service(store: SessionStore, tenant: str = "default") -> SessionService:
    return SessionService(store, tenant, default_actor="test-runner")


def scripted_session(svc: SessionService, board: str = "Anytown NHS FT Board") -> str:
    """A short session as a board secretary runs it: notes, ratings, agreement, a target."""
    state = svc.create(
        framework="nhs-impact",
        board=board,
        organisation="Anytown NHS FT",
        meeting_date=date(2025, 3, 6),
        facilitator="Dan Hughes",
        participants=MEMBERS,
        sections=["c1", "c4"],
        next_board=date(2025, 4, 3),
    )
    svc.respond(
        state.id,
        "c1.1",
        notes=(
            "The vision was written by the executive team and never tested with patients. "
            "Sarah Jones will run two listening events with patient partners by the end of April. "
            "Amir to bring a revised purpose statement to the next board."
        ),
    )
    svc.respond(
        state.id,
        "c1.r",
        ratings={"Helen Ward": 2, "Tom Patel": 3, "Sarah Jones": 2, "Amir Khan": 2},
        agreed=2,
        rationale="Good intent, but the vision was not co-produced",
        target=3,
        by=date(2026, 3, 31),
    )
    return state.id
