"""The board paper as a board secretary checks it: drafts apart, no individual ratings, the chart."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from assistant.errors import InvalidInput
from assistant.exports import export_session
from assistant.session_service import SessionService
from tests.assistant.sessions_support import scripted_session, service, sqlite_store


@pytest.fixture
def svc(tmp_path: Path) -> SessionService:
    return service(sqlite_store(tmp_path / "data"))


def test_an_open_sessions_paper_is_a_draft_with_proposed_actions_apart(
    svc: SessionService, tmp_path: Path
) -> None:
    session_id = scripted_session(svc)
    svc.edit_action(session_id, "A1", status="agreed")
    [path] = export_session(svc.get(session_id), "docx", tmp_path / "paper.docx")
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "DRAFT: the session is still open" in body
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Proposed actions not yet agreed (not part of the action log)" in headings
    log, proposed = document.tables[2], document.tables[3]
    assert [r.cells[0].text for r in log.rows[1:]] == ["A1"]
    assert [r.cells[0].text for r in proposed.rows[1:]] == ["A2", "A3"]
    assert [c.text for c in proposed.rows[0].cells] == [
        "Ref",
        "Action",
        "Owner",
        "Due",
        "Component",
        "Source",
    ]
    assert proposed.rows[2].cells[2].text == "(no owner)"
    every_cell = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for member in ("Helen Ward", "Tom Patel", "Amir Khan"):
        assert member not in every_cell + body  # ratings are never attributed


def test_the_chart_is_a_png_sized_to_the_rated_areas(svc: SessionService, tmp_path: Path) -> None:
    from matplotlib import image

    session_id = scripted_session(svc)
    [path] = export_session(svc.get(session_id), "png", tmp_path / "chart.png")
    pixels = image.imread(io.BytesIO(path.read_bytes()), format="png")
    height, width = pixels.shape[:2]
    assert width == 1200 and 300 <= height <= 600  # 8 in wide at 150 dpi; two areas tall
    assert pixels[..., 2].mean() < 0.99  # not a blank image: the NHS blue bars are drawn


def test_the_csv_holds_only_the_action_log(svc: SessionService, tmp_path: Path) -> None:
    session_id = scripted_session(svc)
    svc.edit_action(session_id, "A2", status="agreed", owner="Amir Khan")
    [path] = export_session(svc.get(session_id), "csv", tmp_path / "log.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "ref,action,owner,due,status,priority,component,question,source"
    assert [line.split(",")[0] for line in lines[1:]] == ["A2"]


def test_exports_refuse_a_folder_or_an_unknown_format(svc: SessionService, tmp_path: Path) -> None:
    state = svc.get(scripted_session(svc))
    with pytest.raises(InvalidInput, match="is a folder"):
        export_session(state, "docx", tmp_path)
    with pytest.raises(InvalidInput, match="not one of docx, md, csv, png"):
        export_session(state, "pdf", tmp_path / "paper.pdf")
    assert list(tmp_path.glob("*.pdf")) == []
