"""Start-up stays light: each command imports only what it needs (real `impact` subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import Embedder
from tests.docgen import make_markdown

HEAVY = ["torch", "sentence_transformers", "transformers", "langchain_openai", "openai"]
STORES = ["chromadb", "bm25s", "onnxruntime", "tokenizers"]

# Runs the real entry point, then reports which of the watched modules the command imported.
_PROBE = """
import json, sys
import assistant.cli
from assistant.cli import main
assistant.cli._leave_now = lambda: None  # exit the normal way, so the report below is printed
watched = json.loads(sys.argv[1])
sys.argv = ["impact", *sys.argv[2:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
print("\\nIMPORTED " + json.dumps([m for m in watched if m in sys.modules]))
sys.exit(code)
"""


def run_impact(*args: str, stdin: str = "") -> tuple[int, str, list[str]]:
    """(exit code, stdout, watched modules imported) of one `impact` command in a new process."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(HEAVY + STORES), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
    )
    head, _, tail = proc.stdout.rpartition("\nIMPORTED ")
    assert tail, proc.stderr
    return proc.returncode, head, json.loads(tail)


@pytest.fixture
def indexed(tmp_path: Path, embedder: Embedder) -> Path:
    """A data directory with two papers indexed (the ONNX export already made by `embedder`)."""
    docs = tmp_path / "papers"
    docs.mkdir()
    make_markdown(
        docs / "plan.md",
        "title: Improvement plan\ncomponents: [4]",
        "# Plan\n\n## Training\n\nOur trust will train 450 staff in quality improvement in 2025.",
    )
    make_markdown(
        docs / "huddles.md",
        "title: Huddle guide",
        "# Huddles\n\nTeams hold a ten-minute safety huddle at 8am with a visible board.",
    )
    code, out, imported = run_impact("ingest", str(docs))
    assert code == 0 and "2 added" in out
    assert not set(imported) & {"torch", "sentence_transformers"}  # ingest runs on ONNX too
    return docs


def test_impact_ask_answers_without_importing_torch(indexed: Path) -> None:
    code, out, imported = run_impact("ask", "How many staff will the trust train?")
    assert code == 0 and "450" in out
    assert not set(imported) & set(HEAVY), imported
    assert "onnxruntime" in imported  # the question really was embedded


def test_impact_search_and_chat_do_not_import_torch(indexed: Path) -> None:
    code, out, imported = run_impact("search", "safety huddle", "--json")
    assert code == 0 and "huddle" in json.loads(out)[0]["text"]
    assert not set(imported) & set(HEAVY), imported

    code, out, imported = run_impact("chat", stdin="When is the safety huddle?\n/quit\n")
    assert code == 0 and "8am" in out
    assert not set(imported) & set(HEAVY), imported


@pytest.mark.parametrize("command", [["--help"], ["sources"], ["info"], ["ask", "--help"]])
def test_light_commands_load_no_model_store_or_llm_client(
    command: list[str], indexed: Path
) -> None:
    code, out, imported = run_impact(*command)
    assert code == 0 and out.strip()
    assert imported == [], f"`impact {' '.join(command)}` imported {imported}"


def test_the_llm_client_is_imported_only_when_an_llm_is_configured(
    indexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMPACT_LLM_PROVIDER", "openai")
    monkeypatch.setenv("IMPACT_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens: offline
    monkeypatch.setenv("IMPACT_LLM_MODEL", "any")
    monkeypatch.setenv("IMPACT_LLM_TIMEOUT_S", "2")
    code, out, imported = run_impact("ask", "How many staff will the trust train?")
    assert code == 0 and "450" in out  # the provider fails; the offline answer stands in
    assert "langchain_openai" in imported and "torch" not in imported


def test_ask_and_search_leave_at_once_with_all_their_output_written(
    indexed: Path, tmp_path: Path
) -> None:
    """The real entry point skips the interpreter's teardown after these read-only commands:
    every answer still reaches a file or a pipe, and the exit status is success."""
    impact = Path(sys.executable).with_name("impact")
    questions = tmp_path / "questions.txt"
    questions.write_text("How many staff will the trust train?\nWhen is the safety huddle?\n")
    ask = subprocess.run(
        [str(impact), "ask", "--json", "--batch", str(questions)],
        capture_output=True, text=True, env=dict(os.environ), timeout=300,
    )  # fmt: skip
    assert ask.returncode == 0, ask.stderr
    answers = [json.loads(line) for line in ask.stdout.splitlines() if line.strip()]
    assert len(answers) == 2
    assert "450" in answers[0]["answer"] and "8am" in answers[1]["answer"]

    search = subprocess.run(
        f"'{impact}' search 'safety huddle' | head -c 40",
        shell=True, capture_output=True, text=True, env=dict(os.environ), timeout=300,
    )  # fmt: skip
    assert search.returncode == 0 and search.stdout.strip()

    failed = subprocess.run(
        [str(impact), "ask", "--batch", str(tmp_path / "missing.txt")],
        capture_output=True, text=True, env=dict(os.environ), timeout=300,
    )  # fmt: skip
    assert failed.returncode != 0 and "missing.txt" in failed.stderr + failed.stdout
