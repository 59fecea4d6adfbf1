"""The `impact` command line as a user drives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import cli
from tests.docgen import make_markdown

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    cli._State.settings = None


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli.app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    make_markdown(
        folder / "plan.md",
        "title: Improvement plan\ncomponents: [4]",
        "# Plan\n\n## Training\n\nWe will train 450 staff in QI in 2025.",
    )
    make_markdown(
        folder / "culture.md",
        "title: Culture survey",
        "# Culture\n\nStaff survey engagement rose to 7.1 this year.",
    )
    return folder


def test_ingest_then_sources_json_lists_each_file_once(docs: Path) -> None:
    code, stdout, _ = invoke("ingest", str(docs), "--tag", "org=anytown")
    assert code == 0 and "2 added" in stdout

    code, stdout, _ = invoke("sources", "--json")
    listing = json.loads(stdout)
    assert sorted(Path(s["source"]).name for s in listing) == ["culture.md", "plan.md"]
    assert all(s["chunks"] >= 1 and len(s["content_hash"]) == 64 for s in listing)
    assert all(s["tags"]["org"] == ["anytown"] for s in listing)

    code, stdout, _ = invoke("ingest", str(docs), "--tag", "org=anytown")
    assert code == 0 and "2 unchanged" in stdout
    assert json.loads(invoke("sources", "--json")[1]) == listing


def test_search_json_has_the_documented_fields(docs: Path) -> None:
    invoke("ingest", str(docs))
    code, stdout, _ = invoke("search", "how many staff will we train", "-k", "2", "--json")
    assert code == 0
    results = json.loads(stdout)
    assert 1 <= len(results) <= 2
    top = results[0]
    assert {"text", "source", "title", "page", "heading", "score", "tags"} <= set(top)
    assert "450 staff" in top["text"] and top["title"] == "Improvement plan"
    assert top["heading"] == "Plan > Training"


def test_search_batch_prints_one_json_line_per_query(docs: Path, tmp_path: Path) -> None:
    invoke("ingest", str(docs))
    queries = tmp_path / "q.txt"
    queries.write_text("staff training numbers\n\nstaff survey engagement\n", encoding="utf-8")
    code, stdout, _ = invoke("search", "--batch", str(queries), "--json", "-k", "1")
    assert code == 0
    lines = [json.loads(line) for line in stdout.strip().splitlines()]
    assert [line["query"] for line in lines] == [
        "staff training numbers",
        "staff survey engagement",
    ]
    assert "450" in lines[0]["results"][0]["text"]
    assert "7.1" in lines[1]["results"][0]["text"]


def test_search_human_output_shows_rank_title_heading_and_snippet(docs: Path) -> None:
    invoke("ingest", str(docs))
    code, stdout, _ = invoke("search", "staff survey engagement", "-k", "1")
    assert code == 0
    assert "1." in stdout and "Culture survey" in stdout and "7.1" in stdout


def test_search_snippet_reads_a_table_as_rows_not_pipes(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    make_markdown(
        folder / "minutes.md",
        "title: Board minutes",
        "# Minutes\n\n## Action log\n\n| Ref | Action | Owner | Due |\n|---|---|---|---|\n"
        "| 26/01 | Cost the coaching cohort | Priya Natarajan | 26 February 2026 |\n"
        "| 26/02 | Brief a facilitator | Louise Penrose | 27 February 2026 |\n",
    )
    invoke("ingest", str(folder))
    code, stdout, _ = invoke("search", "who owns the coaching cohort action", "-k", "1")
    assert code == 0
    shown = " ".join(stdout.split())
    assert "Action: Cost the coaching cohort; Owner: Priya Natarajan" in shown
    assert "| Ref |" not in shown and "---" not in shown


def test_an_empty_search_asks_for_words_in_one_line() -> None:
    code, _, stderr = invoke("search", "   ")
    assert code == 2 and "the search is empty" in stderr


@pytest.mark.parametrize("question", ["  ", "?!", " ... "])
def test_an_empty_question_is_a_usage_error_like_an_empty_search(question: str) -> None:
    code, stdout, stderr = invoke("ask", question)
    assert code == 2 and "the question is empty" in stderr and not stdout.strip()


def test_search_tag_filter_and_bad_tag(docs: Path) -> None:
    invoke("ingest", str(docs))
    code, stdout, _ = invoke("search", "staff", "--json", "--tag", "component=4")
    assert code == 0
    assert {Path(r["source"]).name for r in json.loads(stdout)} == {"plan.md"}
    code, _, stderr = invoke("search", "staff", "--tag", "component")
    assert code == 2 and "key=value" in stderr


def test_forget_unknown_source_says_how_to_list_sources(docs: Path) -> None:
    code, _, stderr = invoke("forget", "nothing-here.pdf")
    assert code == 1 and "impact sources" in stderr


def test_ingest_bundled_pack_indexes_every_document() -> None:
    code, stdout, _ = invoke("ingest", "--bundled")
    assert code == 0
    listing = json.loads(invoke("sources", "--json")[1])
    assert len(listing) >= 15
    assert all(s["source"].startswith("bundled:") for s in listing)
    code, stdout, _ = invoke("search", "Is the self-assessment submitted to NHS England?", "--json")
    assert json.loads(stdout)[0]["source"] == "bundled:self-assessment.md"


def test_invalid_setting_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPACT_CHUNK_TOKENS", "5")
    with pytest.raises(Exception, match="IMPACT_CHUNK_TOKENS"):
        cli.settings()


def test_ask_json_answers_with_checked_citations(docs: Path) -> None:
    invoke("ingest", str(docs))
    code, stdout, _ = invoke("ask", "How many staff will we train in QI?", "--json")
    assert code == 0
    answer = json.loads(stdout)
    assert set(answer) >= {"answer", "abstained", "mode", "citations"}
    assert answer["mode"] == "offline" and answer["abstained"] is False
    assert "450" in answer["answer"]
    numbers = {c["n"] for c in answer["citations"]}
    assert numbers and all(f"[{n}]" in answer["answer"] for n in numbers)
    assert {"n", "title", "source", "page", "heading", "text"} <= set(answer["citations"][0])
    assert Path(answer["citations"][0]["source"]).name == "plan.md"


def test_ask_batch_prints_one_json_line_per_question(docs: Path, tmp_path: Path) -> None:
    invoke("ingest", str(docs))
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "How many staff will we train in QI?\n\nWhat dose of paracetamol should a child take?\n",
        encoding="utf-8",
    )
    code, stdout, _ = invoke("ask", "--batch", str(questions), "--json")
    assert code == 0
    first, second = (json.loads(line) for line in stdout.strip().splitlines())
    assert "450" in first["answer"] and not first["abstained"]
    assert second["abstained"] and second["citations"] == []
    assert "not something I answer" in second["answer"]  # clinical advice


@pytest.mark.parametrize("command", ["ask", "search"])
def test_a_batch_file_that_cannot_be_read_is_a_usage_error_before_the_model_loads(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh tester's `impact ask --batch /tmp/nope.txt` printed the right error, then in 3 runs
    # of 7 aborted ("terminate called without an active exception", exit 134): the model was
    # loading on its own thread while the process left. The file is read first now.
    def no_model(**_: object) -> None:
        raise AssertionError("the model started loading before the batch file was read")

    monkeypatch.setattr(cli, "_kb", no_model)
    code, _, stderr = invoke(command, "--batch", str(tmp_path / "nope.txt"))
    assert code == 2 and "cannot read" in stderr, stderr


def test_chat_keeps_history_and_shows_sources() -> None:
    invoke("ingest", "--bundled")
    result = runner.invoke(
        cli.app,
        ["chat"],
        input="What does good look like for component 3?\nAnd for component 4?\n/sources\n"
        "/reset\n/quit\n",
    )
    assert result.exit_code == 0
    # piped questions are echoed after the prompt, so a saved transcript reads as a dialogue
    assert "you> What does good look like for component 3?" in result.stdout
    first, second = result.stdout.split("assistant> ")[1:3]
    assert "bundled:component-3-leadership-behaviours.md" in first
    # The follow-up was answered about component 4, and /sources printed its passages in full.
    assert "bundled:component-4-improvement-capability-and-capacity.md" in second
    assert second.count("bundled:component-4") >= 2
    assert "New conversation." in second
    # piped, each passage opens on a short heading line, not a rule as wide as the output
    assert "== [1] " in second
    assert max(len(line) for line in result.stdout.splitlines()) < 2000
