"""`impact session ...` as a board secretary drives it, from creation to the board paper."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from assistant import cli

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli.app, list(args))
    return result.exit_code, result.stdout, result.stderr


def ok(*args: str) -> str:
    code, stdout, stderr = invoke(*args)
    assert code == 0, stderr + stdout
    return stdout


def show(session_id: str) -> dict:
    return json.loads(ok("session", "show", session_id, "--json"))


@pytest.fixture
def session_id() -> str:
    created = ok(
        "session", "new", "--board", "Anytown NHS FT Board", "--org", "Anytown NHS FT",
        "--framework", "nhs-impact", "--date", "2025-03-06", "--facilitator", "Dan Hughes",
        "--participants", "Helen Ward, Tom Patel, Sarah Jones, Amir Khan",
        "--sections", "c1,c4", "--next-board", "2025-04-03", "--json",
    )  # fmt: skip
    return json.loads(created)["id"]


def table_text(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_a_whole_scripted_session_ends_in_a_board_paper(session_id: str, tmp_path: Path) -> None:
    ok("session", "respond", session_id, "--question", "c1.1", "--notes",
       "The vision was written by the executive team and never tested with patients. "
       "Sarah Jones will run two listening events with patient partners by the end of April. "
       "Amir to bring a revised purpose statement to the next board. We might consider a peer visit.")  # fmt: skip
    ok("session", "respond", session_id, "--question", "c1.r",
       "--rate", "Helen Ward=2", "--rate", "Tom Patel=3", "--rate", "Sarah Jones=2", "--rate", "Amir Khan=1")  # fmt: skip
    before_spread = show(session_id)["questions"][3]["ratings"]
    assert before_spread["count"] == 4 and before_spread["spread"] is None
    out = ok("session", "respond", session_id, "--question", "c1.r", "--agreed", "2",
             "--rationale", "Good intent, but the vision was not co-produced",
             "--target", "3", "--by", "2026-03-31")  # fmt: skip
    assert "range 1 to 3" in out and "average" not in out.replace("no average is shown", "")
    ok("session", "respond", session_id, "--question", "c4.1", "--notes",
       "Only 41% of new starters get improvement training at induction. "
       "The chief people officer to add a QSIR introduction to induction within 3 months.")  # fmt: skip
    ok(
        "session",
        "respond",
        session_id,
        "--question",
        "c4.2",
        "--skip",
        "Covered at the March quality committee",
    )
    ok(
        "session",
        "summary",
        session_id,
        "--section",
        "c1",
        "--text",
        "Vision to be co-produced with patients.",
    )

    actions = json.loads(ok("session", "actions", session_id, "--json"))
    assert [(a["ref"], a["owner"], a["due"], a["status"]) for a in actions] == [
        ("A1", "Sarah Jones", "2025-04-30", "draft"),
        ("A2", "Amir", "2025-04-03", "draft"),
        ("A3", None, "2026-03-31", "draft"),
        ("A4", "the chief people officer", "2025-06-06", "draft"),
    ]
    assert actions[0]["source"] == {
        "kind": "notes",
        "question": "c1.1",
        "quote": "Sarah Jones will run two listening events with patient partners by the end of April.",
    }
    assert actions[2]["source"]["gap"] == "agreed 2, target 3 by 2026-03-31"
    ok("session", "action", session_id, "A1", "--status", "agreed")
    ok("session", "action", session_id, "A2", "--status", "agreed", "--owner", "Amir Khan")
    ok("session", "action", session_id, "A3", "--status", "agreed", "--owner", "Helen Ward")
    ok("session", "action", session_id, "a4", "--status", "dropped")
    ok("session", "set", session_id, "--agenda-item", "Item 9", "--lead-director", "Amir Khan, Chief Executive",
       "--objectives", "SO2: continuous improvement", "--risks", "BAF 4: improvement capability")  # fmt: skip
    ok("session", "close", session_id)

    paper = tmp_path / "paper.docx"
    ok("session", "export", session_id, "--format", "docx", "--out", str(paper))
    document = docx.Document(str(paper))
    cover = dict(tuple(row) for row in table_text(document.tables[0]))  # type: ignore[misc]
    assert cover["Meeting"] == "Anytown NHS FT Board: board development session"
    assert cover["Date"] == "6 March 2025" and cover["Agenda item"] == "Item 9"
    assert (
        cover["Author"] == "Dan Hughes" and cover["Lead director"] == "Amir Khan, Chief Executive"
    )
    assert cover["Links to strategic objectives"] == "SO2: continuous improvement"
    assert cover["Links to risks"] == "BAF 4: improvement capability"
    assert (
        cover["CQC well-led quality statement"] == "Well-led: Learning, improvement and innovation"
    )
    assert "approve the action log (3 actions)" in cover["Recommendation"]
    assert "Level 2 (target Level 3 by 31 March 2026)" in cover["Executive summary"]
    for field in ("Report title", "Purpose"):
        assert cover[field]
    ratings = table_text(document.tables[1])
    assert ratings[0] == [
        "Area",
        "Agreed rating",
        "Spread of private ratings",
        "Target",
        "Rationale",
    ]
    assert ratings[1] == [
        "Building a shared purpose and vision", "Level 2", "1 member at Level 1, 2 at Level 2, 1 at Level 3 (range 1 to 3)",
        "Level 3 by 31 March 2026", "Good intent, but the vision was not co-produced",
    ]  # fmt: skip
    assert ratings[2][1] == "not agreed"
    log = table_text(document.tables[2])
    assert log[0] == ["Ref", "Action", "Owner", "Due", "Status", "Component", "Source"]
    assert [(r[0], r[2], r[3], r[4]) for r in log[1:]] == [
        ("A1", "Sarah Jones", "30 April 2025", "agreed"),
        ("A2", "Amir Khan", "3 April 2025", "agreed"),
        ("A3", "Helen Ward", "31 March 2026", "agreed"),
    ]  # the dropped A4 is not in the log
    assert log[1][5] == "Building a shared purpose and vision"
    assert log[1][6].startswith("c1.1: \u201cSarah Jones will run two listening events")
    assert log[3][6] == "rating gap on c1.r (agreed 2, target 3 by 2026-03-31)"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "DRAFT" not in body  # the session is closed
    assert "Vision to be co-produced with patients." in body
    assert "Not discussed: Covered at the March quality committee" in body
    assert "Helen Ward" not in "\n".join(" ".join(r) for r in ratings)  # no individual ratings
    assert len(document.inline_shapes) == 1  # the maturity chart
    assert "not NHS England's level names" in body
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == [
        "Ratings",
        "Discussion",
        "Building a shared purpose and vision",
        "Building improvement capability and capacity",
    ]
    assert {"Action log", "Sources"} <= set(headings)


def test_show_json_has_the_documented_fields(session_id: str) -> None:
    data = show(session_id)
    assert {"id", "status", "framework", "board", "date", "questions", "actions"} <= set(data)
    question = data["questions"][0]
    assert {"id", "section", "text", "notes", "ratings", "agreed_rating", "target"} <= set(question)
    assert (
        data["status"] == "open"
        and data["date"] == "2025-03-06"
        and data["framework"] == "nhs-impact"
    )


def test_list_and_frameworks_commands_print_json(session_id: str, tmp_path: Path) -> None:
    listing = json.loads(ok("session", "list", "--json"))
    assert [s["id"] for s in listing] == [session_id]
    names = {f["name"] for f in json.loads(ok("frameworks", "list", "--json"))}
    assert {"nhs-impact", "conditions-for-success"} <= names
    shown = json.loads(ok("frameworks", "show", "conditions-for-success", "--json"))
    assert shown["scale"]["levels"][0]["label"] == "Not yet"
    valid = json.loads(ok("frameworks", "validate", "prompts/frameworks/nhs-impact.yaml", "--json"))
    assert valid == {
        "file": "prompts/frameworks/nhs-impact.yaml",
        "valid": True,
        "name": "nhs-impact",
        "sections": 5,
        "questions": 19,
    }


def test_an_invalid_framework_file_lists_its_problems_by_line(tmp_path: Path) -> None:
    bad = tmp_path / "ours.yaml"
    bad.write_text(
        "name: ours\ntitle: Ours\nscale:\n  levels: []\nsections: []\n", encoding="utf-8"
    )
    code, _, stderr = invoke("frameworks", "validate", str(bad))
    assert code == 1
    assert f"{bad}:4: scale.levels: List should have at least 2 items" in stderr
    assert f"{bad}:5: sections: List should have at least 1 item" in stderr


def test_a_framework_dropped_into_the_folder_can_be_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    text = Path("prompts/frameworks/conditions-for-success.yaml").read_text(encoding="utf-8")
    (folder / "our-board.yaml").write_text(
        text.replace("name: conditions-for-success", "name: our-board"), encoding="utf-8"
    )
    (folder / "broken.yaml").write_text("name: broken\ntitle: [\n", encoding="utf-8")
    monkeypatch.setenv("IMPACT_FRAMEWORKS_DIR", str(folder))
    assert "our-board" in ok("frameworks", "list")
    created = ok(
        "session",
        "new",
        "--board",
        "B",
        "--org",
        "O",
        "--framework",
        "our-board",
        "--date",
        "2025-05-01",
        "--json",
    )
    assert show(json.loads(created)["id"])["framework"] == "our-board"
    code, _, stderr = invoke(
        "session",
        "new",
        "--board",
        "B",
        "--org",
        "O",
        "--framework",
        "broken",
        "--date",
        "2025-05-01",
    )
    assert code == 1 and "broken.yaml: line 3: not valid YAML" in stderr
    assert "impact frameworks validate" in stderr and len(stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("respond", "ffffffffffff", "--question", "c1.1", "--notes", "x"),
            "no session 'ffffffffffff'",
        ),
        (("respond", "{id}", "--question", "c9.9", "--notes", "x"), "no question 'c9.9'"),
        (
            ("respond", "{id}", "--question", "c1.r", "--rate", "Tom Patel=6"),
            "outside the nhs-impact scale",
        ),
        (
            ("respond", "{id}", "--question", "c1.r", "--rate", "Tom Patel=three"),
            "must be a whole number",
        ),
        (("respond", "{id}", "--question", "c1.r", "--rate", "Ton Patel=3"), "not a participant"),
        (
            ("respond", "{id}", "--question", "c1.r", "--target", "3", "--by", "31/03/2026"),
            "is not a date",
        ),
        (("respond", "{id}", "--question", "c1.r", "--agreed", "2"), "needs its rationale"),
        (("action", "{id}", "A9", "--status", "agreed"), "no action 'A9'"),
        (("action", "{id}", "A1", "--due", "next week"), "is not a date"),
        (("export", "{id}", "--format", "pdf", "--out", "x.pdf"), "not one of docx, md, csv, png"),
    ],
)
def test_bad_input_gets_one_red_line_and_changes_nothing(
    session_id: str, args: tuple[str, ...], message: str
) -> None:
    ok(
        "session",
        "respond",
        session_id,
        "--question",
        "c1.1",
        "--notes",
        "Tom will cost the listening events.",
    )
    before = show(session_id)
    code, stdout, stderr = invoke("session", *(a.replace("{id}", session_id) for a in args))
    assert code == 1, stdout
    assert (
        message in stderr and stderr.startswith("error:") and len(stderr.strip().splitlines()) == 1
    )
    assert show(session_id) == before


def test_an_unparseable_meeting_date_is_refused() -> None:
    code, _, stderr = invoke(
        "session",
        "new",
        "--board",
        "B",
        "--org",
        "O",
        "--framework",
        "nhs-impact",
        "--date",
        "6th March",
    )
    assert code == 1 and "--date '6th March' is not a date: write it as YYYY-MM-DD" in stderr
    assert json.loads(ok("session", "list", "--json")) == []


def test_a_closed_session_refuses_responses_but_takes_action_updates(session_id: str) -> None:
    ok(
        "session",
        "respond",
        session_id,
        "--question",
        "c1.1",
        "--notes",
        "Tom Patel will cost the listening events by May.",
    )
    ok("session", "close", session_id)
    code, _, stderr = invoke(
        "session", "respond", session_id, "--question", "c1.2", "--notes", "late"
    )
    assert code == 1 and "closed" in stderr and "only its actions can still be updated" in stderr
    ok("session", "action", session_id, "A1", "--status", "agreed")
    ok("session", "action", session_id, "A1", "--status", "done")
    assert show(session_id)["actions"][0]["status"] == "done"


def test_csv_and_markdown_exports(session_id: str, tmp_path: Path) -> None:
    ok(
        "session",
        "respond",
        session_id,
        "--question",
        "c1.1",
        "--notes",
        "Tom Patel will cost the listening events by 30 May.",
    )
    ok("session", "action", session_id, "A1", "--status", "agreed")
    code, stdout, stderr = invoke(
        "session", "export", session_id, "--format", "csv", "--out", str(tmp_path / "log.csv")
    )
    assert code == 0 and "marked as a draft" not in stderr
    raw = (tmp_path / "log.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a byte-order mark
    rows = list(csv.DictReader((tmp_path / "log.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [
        {
            "ref": "A1", "action": "Cost the listening events", "owner": "Tom Patel", "due": "2025-05-30",
            "status": "agreed", "priority": "medium", "component": "c1", "question": "c1.1",
            "source": "c1.1: \u201cTom Patel will cost the listening events by 30 May.\u201d",
        }
    ]  # fmt: skip
    code, stdout, stderr = invoke(
        "session", "export", session_id, "--format", "md", "--out", str(tmp_path / "paper.md")
    )
    assert code == 0 and "marked as a draft" in stderr
    markdown = (tmp_path / "paper.md").read_text(encoding="utf-8")
    assert "> **Draft**" in markdown and "![Maturity chart" in markdown
    assert (tmp_path / "paper-chart.png").read_bytes().startswith(b"\x89PNG")
    assert "| A1 | Cost the listening events | Tom Patel | 30 May 2025 | agreed |" in markdown


def test_the_audit_trail_names_the_actor(session_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(
        "session",
        "--actor",
        "Helen Ward",
        "respond",
        session_id,
        "--question",
        "c1.1",
        "--notes",
        "Noted.",
    )
    monkeypatch.setenv("IMPACT_ACTOR", "Board Secretary")
    ok("session", "summary", session_id, "--section", "c1", "--text", "Short.")
    entries = json.loads(ok("session", "audit", session_id, "--json"))
    assert [(e["actor"], e["kind"]) for e in entries] == [
        ("Dan Hughes", "create"),
        ("Helen Ward", "notes"),
        ("Board Secretary", "summary"),
    ]


def test_the_diagram_command_prints_mermaid() -> None:
    assert ok("session", "diagram").startswith("stateDiagram-v2")


def test_export_reports_what_it_wrote_as_json(session_id: str, tmp_path: Path) -> None:
    result = json.loads(
        ok(
            "session",
            "export",
            session_id,
            "--format",
            "md",
            "--out",
            str(tmp_path / "p.md"),
            "--json",
        )
    )
    assert result == {
        "written": [str(tmp_path / "p.md"), str(tmp_path / "p-chart.png")],
        "drafts_not_in_log": 0,
        "draft_paper": True,
    }
