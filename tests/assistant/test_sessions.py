"""The session store and service: saved after every step, audited, scoped to a tenant."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from assistant.errors import (
    FrameworkError,
    InvalidRating,
    SessionConflict,
    SessionNotFound,
    WrongStage,
)
from assistant.sessions import SessionStore
from tests.assistant.sessions_support import scripted_session, service, sqlite_store


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return sqlite_store(tmp_path / "data")


def test_a_session_is_saved_and_read_back_whole(store: SessionStore) -> None:
    svc = service(store)
    session_id = scripted_session(svc)
    again = service(sqlite_store_like(store)).get(session_id)
    assert again.board == "Anytown NHS FT Board" and again.meeting_date == date(2025, 3, 6)
    record = again.question("c1.r")
    assert record is not None and record.agreed == 2 and record.target_by == date(2026, 3, 31)
    assert [(a.ref, a.owner, a.due) for a in again.actions] == [
        ("A1", "Sarah Jones", date(2025, 4, 30)),
        ("A2", "Amir", date(2025, 4, 3)),
        ("A3", None, date(2026, 3, 31)),  # the rating gap
    ]


def sqlite_store_like(store: SessionStore) -> SessionStore:
    """A second store object on the same database, as another process would open it."""
    return SessionStore(store.engine)


def test_session_ids_are_unguessable(store: SessionStore) -> None:
    svc = service(store)
    ids = {scripted_session(svc) for _ in range(3)}
    assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_a_unique_prefix_finds_a_session_but_a_short_one_does_not(store: SessionStore) -> None:
    svc = service(store)
    session_id = scripted_session(svc)
    assert svc.get(session_id[:8]).id == session_id
    with pytest.raises(SessionNotFound):
        svc.get(session_id[:4])
    with pytest.raises(SessionNotFound, match="is not a session id"):
        svc.get("'; DROP TABLE board_sessions; --")


def test_one_tenant_never_sees_another_tenants_sessions(store: SessionStore) -> None:
    ours, theirs = service(store, "anytown"), service(store, "elsewhere")
    session_id = scripted_session(ours)
    assert [s.id for s in ours.list_sessions()] == [session_id]
    assert theirs.list_sessions() == []
    for attempt in (session_id, session_id[:8]):
        with pytest.raises(SessionNotFound, match="for tenant 'elsewhere'"):
            theirs.get(attempt)
        with pytest.raises(SessionNotFound):
            theirs.audit(attempt)
        with pytest.raises(SessionNotFound):
            theirs.respond(attempt, "c1.1", notes="Trying to write into another trust's session")
    assert len(ours.get(session_id).question("c1.1").notes) == 1  # type: ignore[union-attr]


def test_every_change_is_audited_with_who_what_and_when(store: SessionStore) -> None:
    svc = service(store)
    session_id = scripted_session(svc)
    svc.edit_action(session_id, "A1", actor="Helen Ward", status="agreed")
    entries = svc.audit(session_id)
    kinds = [e.kind for e in entries]
    assert kinds[:3] == ["create", "notes", "propose"]
    assert kinds.count("rate") == 4 and kinds[-1] == "edit_action"
    assert {e.actor for e in entries[:-1]} == {"Dan Hughes"}  # the facilitator, by default
    assert entries[-1].actor == "Helen Ward"
    assert entries[-1].summary == "A1: status 'draft' -> 'agreed'"
    assert all(e.at.tzinfo is not None for e in entries)
    assert entries[-1].at >= entries[0].at


def test_bad_input_changes_nothing(store: SessionStore) -> None:
    svc = service(store)
    session_id = scripted_session(svc)
    before = svc.get(session_id).model_dump_json()
    audit_before = len(svc.audit(session_id))
    with pytest.raises(InvalidRating):
        # the notes and the first rating are fine; the agreed rating is not: none of it is saved
        svc.respond(
            session_id,
            "c4.r",
            notes="Training reaches 10% of staff a year.",
            ratings={"Helen Ward": 3},
            agreed=7,
            rationale="x",
        )
    with pytest.raises(WrongStage):
        svc.respond(session_id, "c4.r", agreed=3, rationale="no private ratings yet")
    assert svc.get(session_id).model_dump_json() == before
    assert len(svc.audit(session_id)) == audit_before


def test_a_save_from_a_stale_copy_is_refused(store: SessionStore) -> None:
    svc = service(store)
    session_id = scripted_session(svc)
    stale = svc.get(session_id)
    svc.respond(session_id, "c1.2", notes="Three big projects; none clearly tied to the purpose.")
    from assistant import facilitation as fx

    newer, change = fx.apply(
        stale, fx.AddNotes(question="c1.3", text="x"), actor="a", now=stale.updated_at
    )
    with pytest.raises(SessionConflict, match="nothing was saved"):
        store.save(newer, stale.version, [change], "a")


def test_an_unknown_framework_is_a_framework_error(store: SessionStore) -> None:
    with pytest.raises(FrameworkError, match="Known frameworks"):
        service(store).create(
            framework="nhs-impakt", board="B", organisation="O", meeting_date=date(2025, 1, 1)
        )


def test_a_session_keeps_its_framework_as_it_was(store: SessionStore, tmp_path: Path) -> None:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    source = Path("prompts/frameworks/conditions-for-success.yaml").read_text(encoding="utf-8")
    (folder / "conditions-for-success.yaml").write_text(source, encoding="utf-8")
    svc = service(store)
    svc.frameworks_dir = folder
    state = svc.create(
        framework="conditions-for-success",
        board="B",
        organisation="O",
        meeting_date=date(2025, 1, 1),
    )
    (folder / "conditions-for-success.yaml").write_text(
        source.replace("Optimism, hope and belief", "Renamed"), encoding="utf-8"
    )
    fw = svc.get(state.id).framework_model()
    assert fw.sections[0].title == "Optimism, hope and belief"


def test_open_actions_carry_over_and_progress_is_compared(store: SessionStore) -> None:
    svc = service(store)
    first = scripted_session(svc)
    svc.edit_action(first, "A1", status="agreed")
    svc.edit_action(first, "A2", status="agreed")
    svc.edit_action(first, "A3", status="agreed", owner="Helen Ward")
    svc.edit_action(first, "A2", status="done")
    svc.close(first)
    second = svc.create(
        framework="nhs-impact",
        board="Anytown NHS FT Board",
        organisation="Anytown NHS FT",
        meeting_date=date(2025, 9, 4),
        facilitator="Dan Hughes",
        participants=["Helen Ward", "Tom Patel"],
        sections=["c1"],
        carry_from=first,
    ).id
    later = svc.get(second)
    assert [(a.ref, a.status, a.source.carried_from) for a in later.actions] == [
        ("A1", "agreed", f"{first}/A1"),
        ("A2", "agreed", f"{first}/A3"),
    ]
    svc.edit_action(second, "A1", status="done")
    svc.respond(
        second,
        "c1.r",
        ratings={"Helen Ward": 3, "Tom Patel": 3},
        agreed=3,
        rationale="Listening events changed the vision",
    )
    result = svc.compare(second, first)  # either order: the earlier meeting comes first
    assert result["earlier"]["id"] == first and result["later"]["id"] == second
    [c1] = [r for r in result["ratings"] if r["question"] == "c1.r"]
    assert c1["earlier"] == {"agreed": 2, "target": 3} and c1["later"]["agreed"] == 3
    assert c1["change"] == 1 and c1["target_met"] is True
    fates = {a["ref"]: (a["carried_over"], a["status_now"]) for a in result["actions"]}
    assert fates == {"A1": (True, "done"), "A2": (False, "done"), "A3": (True, "agreed")}


def test_sessions_of_different_boards_are_not_compared(store: SessionStore) -> None:
    svc = service(store)
    first, second = scripted_session(svc), scripted_session(svc, board="Elsewhere Board")
    from assistant.errors import InvalidInput

    with pytest.raises(InvalidInput, match="different boards"):
        svc.compare(first, second)


def test_the_sessions_tables_have_their_own_migration_history(store: SessionStore) -> None:
    with store.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version_sessions")).scalar()
    assert version == "0001_board_sessions"
    sqlite_store_like(store)
    assert (
        SessionStore.open(str(store.engine.url)).engine is store.engine
    )  # migrating again is a no-op


def test_the_postgresql_path_works_against_a_real_server(postgres_url: str) -> None:
    store = SessionStore.open(postgres_url)
    ours, theirs = service(store, "anytown"), service(store, "elsewhere")
    session_id = scripted_session(ours)
    ours.edit_action(session_id, "A1", status="agreed")
    state = ours.get(session_id)
    assert state.question("c1.r").agreed == 2  # type: ignore[union-attr]
    assert [a.status for a in state.actions] == ["agreed", "draft", "draft"]
    assert theirs.list_sessions() == []
    with pytest.raises(SessionNotFound):
        theirs.get(session_id)
    assert [e.kind for e in ours.audit(session_id)][-1] == "edit_action"
    assert ours.list_sessions()[0].meeting_date == date(2025, 3, 6)
