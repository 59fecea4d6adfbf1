"""`impact session run`: the person in the room types notes and commands; every line is saved."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from assistant.session_run import run_session
from assistant.session_service import SessionService
from tests.assistant.sessions_support import MEMBERS, service, sqlite_store


def reader(lines: list[str], prompts: list[str]):  # type: ignore[no-untyped-def]
    source = iter(lines)

    def read(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(source)
        except StopIteration:
            raise EOFError from None

    return read


@pytest.fixture
def svc(tmp_path: Path) -> SessionService:
    return service(sqlite_store(tmp_path / "data"))


def new_session(svc: SessionService) -> str:
    return svc.create(
        framework="nhs-impact",
        board="Anytown NHS FT Board",
        organisation="Anytown NHS FT",
        meeting_date=date(2025, 3, 6),
        facilitator="Dan Hughes",
        participants=MEMBERS,
        sections=["c1"],
    ).id


def test_a_session_run_in_the_room(svc: SessionService) -> None:
    session_id = new_session(svc)
    console = Console(record=True, width=100, force_terminal=False)
    prompts: list[str] = []
    secrets = iter(["2", "", "9", "3", "2"])  # Tom passes; Sarah mistypes 9, then 3
    lines = [
        "The vision was drafted by the executive team; patients were not involved.",
        "Sarah Jones will run two listening events with patient partners by the end of April.",
        "/next",
        "/skip covered at the strategy away day",
        "/next",  # c1.3 -> c1.r
        "/agree 2 too early",  # refused: no private ratings yet
        "/rate",  # each member types a hidden rating
        "/spread",
        "/agree 2 Good intent, but not co-produced",
        "/target 3 2026-03-31",
        "/rate Helen Ward=7",  # refused: ratings are closed once the spread is shown (and 7 is off the scale)
        "/actions",
        "/agree-action A1",
        "/agree-action A2 owner=Helen Ward",
        "/next",  # -> section summary
        "We need to involve patients in writing the vision.",
        "/close",
    ]
    state = run_session(
        console, svc, session_id, read=reader(lines, prompts), read_secret=lambda _: next(secrets)
    )
    screen = console.export_text()
    assert "What good looks like" in screen and "Rating scale" in screen
    assert "private ratings first, then show the spread" in screen  # the refused /agree
    assert "(nothing was changed)" in screen
    assert "A whole number from 1 to 5" in screen  # Sarah's 9
    assert "range 2 to 3, 3 private ratings (no average is shown, by design)" in screen
    assert prompts[:3] == ["c1.1> ", "c1.1> ", "c1.1> "] and "summary> " in prompts
    assert state.status == "closed"
    record = state.question("c1.r")
    assert record is not None and record.ratings == {
        "Helen Ward": 2,
        "Sarah Jones": 3,
        "Amir Khan": 2,
    }
    assert record.agreed == 2 and record.target == 3
    assert state.question("c1.2").stage == "skipped"  # type: ignore[union-attr]
    assert [(a.ref, a.status, a.owner) for a in state.actions] == [
        ("A1", "agreed", "Sarah Jones"),
        ("A2", "agreed", "Helen Ward"),
    ]
    assert (
        state.section_record("c1").summary == "We need to involve patients in writing the vision."
    )  # type: ignore[union-attr]
    assert svc.get(session_id).model_dump() == state.model_dump()  # it was all saved


def test_leaving_and_coming_back_resumes_where_the_board_was(svc: SessionService) -> None:
    session_id = new_session(svc)
    console = Console(record=True, width=100)
    run_session(
        console,
        svc,
        session_id,
        read=reader(["/goto c1.3", "Staff would not recognise it.", "/quit"], []),
    )
    prompts: list[str] = []
    run_session(Console(record=True, width=100), svc, session_id, read=reader([], prompts))
    assert prompts == ["c1.3> "]
    assert svc.get(session_id).question("c1.3").notes[0].text == "Staff would not recognise it."  # type: ignore[union-attr]
    assert "Resume with: impact session run" in console.export_text()


@pytest.mark.slow
def test_a_killed_session_loses_nothing_already_entered(tmp_path: Path) -> None:
    """A real `impact session run` process killed mid-session: everything entered is there."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMPACT_")}
    env |= {"IMPACT_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1", "COLUMNS": "120"}
    impact = [sys.executable, "-m", "assistant.cli"]
    created = subprocess.run(
        [*impact, "session", "new", "--board", "Anytown Board", "--org", "Anytown NHS FT",
         "--framework", "nhs-impact", "--date", "2025-03-06", "--participants",
         "Helen Ward, Tom Patel", "--sections", "c1", "--json"],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    session_id = json.loads(created.stdout)["id"]
    proc = subprocess.Popen(
        [*impact, "session", "run", session_id, "--no-evidence"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    seen: list[str] = []

    def send_and_wait(line: str, marker: str) -> None:
        proc.stdin.write(line + "\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                out = lines.get(timeout=1)
            except queue.Empty:
                continue
            seen.append(out)
            if marker in out:
                return
        raise AssertionError(f"no {marker!r} after {line!r}: {''.join(seen)[-2000:]}")

    try:
        send_and_wait("Tom Patel will cost the listening events by the end of April.", "drafted A1")
        send_and_wait("/goto c1.r", "c1.r")
        send_and_wait("/rate Helen Ward=2", "1 so far")
        send_and_wait('/rate "Tom Patel=3"', "2 so far")
    finally:
        proc.send_signal(signal.SIGKILL)  # no clean shutdown: as if the laptop died
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    shown = subprocess.run(
        [*impact, "session", "show", session_id, "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    data = json.loads(shown.stdout)
    c1 = {q["id"]: q for q in data["questions"]}
    assert c1["c1.1"]["notes"][0]["text"].startswith("Tom Patel will cost the listening events")
    assert c1["c1.r"]["ratings"]["members"] == ["Helen Ward", "Tom Patel"]
    assert [a["owner"] for a in data["actions"]] == ["Tom Patel"]
    assert data["position"] == {"kind": "question", "id": "c1.r"}  # resumes where it stopped
