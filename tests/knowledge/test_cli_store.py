"""The store as a user meets it on the command line: tenants, tags, progress, pipes, bad paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from assistant import cli
from knowledge import KnowledgeBase
from tests.docgen import make_docx, make_markdown

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def impact(data: Path, *args: str, tenant: str | None = None) -> Run:
    """The `impact` command, its output captured as a pipe would (not a terminal)."""
    cli._State.settings = None
    env = {"IMPACT_DATA_DIR": str(data), "COLUMNS": "80"}
    if tenant:
        env["IMPACT_TENANT"] = tenant
    result = runner.invoke(cli.app, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def impact_process(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `impact` command in a fresh process (where its error handling lives)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMPACT_")}
    env.update(IMPACT_DATA_DIR=str(data), HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_tenants_on_the_command_line(tmp_path: Path) -> None:
    plan = make_markdown(tmp_path / "plan.md", "", "# Plan\n\nThe trust will train 450 staff.")
    data = tmp_path / "data"
    assert impact(data, "ingest", str(plan), "--tenant", "north").returncode == 0
    north = json.loads(impact(data, "sources", "--json", "--tenant", "north").stdout)
    assert [(s["source"], s["tenant"]) for s in north] == [(str(plan.resolve()), "north")]
    assert json.loads(impact(data, "sources", "--json").stdout) == []
    # IMPACT_TENANT chooses the tenant too; a bad name is one clear line.
    found = impact(data, "search", "how many staff", "--json", tenant="north")
    assert "450 staff" in json.loads(found.stdout)[0]["text"]
    bad = impact(data, "sources", "--tenant", "no/such")
    assert bad.returncode == 2 and "letters, digits" in bad.stderr
    shared = impact(data, "ingest", str(plan), "--tenant", "shared")
    message = " ".join(shared.stderr.replace("│", " ").split())
    assert shared.returncode == 2 and "'shared' tenant holds only the bundled" in message
    assert "Indexing" not in shared.stderr


def test_forget_of_an_unknown_source_is_one_line(tmp_path: Path) -> None:
    result = impact(tmp_path / "data", "forget", "minutes-2019.pdf")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "no source 'minutes-2019.pdf' in tenant 'default'; `impact sources` lists them "
        "(use the name exactly as listed)"
    ]
    # Where the process's own error handling applies too: still one line, no traceback.
    result = impact_process(tmp_path / "data", "forget", "minutes-2019.pdf")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1


def test_piped_output_keeps_long_source_names_whole(tmp_path: Path) -> None:
    folder = tmp_path / "a-rather-long-folder-name-for-board-papers" / "2025-quality-committee"
    folder.mkdir(parents=True)
    doc = make_markdown(
        folder / "improvement-capability-and-capacity-annual-review-final-v3.md",
        "title: Improvement capability and capacity annual review, final version three",
        "# Review\n\nWe trained 312 colleagues at bronze level during the year.",
    )
    data = tmp_path / "data"
    impact(data, "ingest", str(folder))
    source = str(doc.resolve())
    assert len(source) > 80
    listing = impact(data, "sources").stdout
    assert any(source in line for line in listing.splitlines())
    found = impact(data, "search", "bronze level colleagues").stdout
    assert any(source in line for line in found.splitlines())
    assert impact(data, "forget", source).returncode == 0


def test_reingest_without_tags_keeps_them_and_clear_tags_drops_them(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_markdown(folder / "plan.md", "components: [4]", "# Plan\n\nWe will train 450 staff.")
    data = tmp_path / "data"
    impact(data, "ingest", str(folder), "--tag", "org=anytown")

    again = impact(data, "ingest", str(folder))
    assert "1 unchanged" in again.stdout
    (listed,) = json.loads(impact(data, "sources", "--json").stdout)
    assert listed["tags"] == {"component": ["4"], "org": ["anytown"]}

    cleared = impact(data, "ingest", str(folder), "--clear-tags")
    assert "1 updated" in cleared.stdout
    (listed,) = json.loads(impact(data, "sources", "--json").stdout)
    assert listed["tags"] == {"component": ["4"]}  # the file's own front matter stays


def test_progress_counts_passages_for_one_large_file(tmp_path: Path) -> None:
    big = tmp_path / "minutes.txt"
    paragraph = "The committee reviewed staffing on ward {n} and agreed the rota. " * 6
    big.write_text("\n\n".join(paragraph.format(n=n) for n in range(400)), encoding="utf-8")
    result = impact(tmp_path / "data", "ingest", str(big))
    assert result.returncode == 0, result.stderr
    passages = [line for line in result.stderr.splitlines() if "passages" in line]
    assert passages, result.stderr
    done, total = passages[-1].split("passages")[0].split()[-1].split("/")
    assert done == total and int(total) >= 100


def test_a_symbolic_link_loop_and_a_picture_named_pdf_say_what_they_are(tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    png = tmp_path / "chart.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    result = impact(tmp_path / "data", "ingest", str(loop), str(png))
    assert result.returncode == 1
    assert f"✗ {loop}: symbolic link loop" in result.stderr
    assert f"✗ {png.resolve()}: not a PDF file (it is a PNG image named .pdf)" in result.stderr


def test_a_file_that_vanishes_mid_run_fails_alone(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "synced"
    folder.mkdir()
    first = make_markdown(folder / "a.md", "", "# A\n\nThe board meets monthly.")
    kb.ingest([folder])
    make_markdown(folder / "b.md", "", "# B\n\nThe committee meets weekly.")
    gone = make_markdown(folder / "~$c.md", "", "# C\n\nA Word lock file.")

    def vanish(event) -> None:  # type: ignore[no-untyped-def]
        if event.source == str(first.resolve()):  # a.md is checked first, then b.md, then ~$c.md
            gone.unlink(missing_ok=True)

    report = kb.ingest([folder], progress=vanish)
    assert report.failed == [(str(gone.resolve()), report.failed[0][1])]
    assert "disappeared" in report.failed[0][1]
    assert report.added == [str((folder / "b.md").resolve())]


def test_a_docx_with_damaged_styles_fails_alone(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    whole = make_docx(folder / "whole.docx", [("h1", "Plan"), ("p", "We will train staff.")])
    damaged = folder / "damaged.docx"
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<w:styles" if item.filename == "word/styles.xml" else data)
    report = kb.ingest([folder])
    assert [s for s, _ in report.failed] == [str(damaged.resolve())]
    assert report.added == [str(whole.resolve())]
