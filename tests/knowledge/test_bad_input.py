"""Bad files fail one at a time with a reason that says how to fix them; good files still go in."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from knowledge import Embedder, IngestReport, KnowledgeBase
from tests.docgen import make_markdown, make_pdf

MB = 1_048_576
SMALL_LIMIT = MB // 2  # what IMPACT_MAX_FILE_MB=0.5 gives

# -- building the files ---------------------------------------------------------------------


def write_good_files(folder: Path) -> dict[str, Path]:
    """Two good Markdown files, keyed by a query that finds each."""
    folder.mkdir(parents=True, exist_ok=True)
    theatre = make_markdown(
        folder / "theatre-utilisation.md",
        "title: Theatre utilisation review",
        "# Theatres\n\nTheatre utilisation rose to ninety percent after the scheduling hub "
        "started booking lists six weeks ahead.\n",
    )
    lounge = make_markdown(
        folder / "discharge-lounge.md",
        "",
        "# Discharge lounge\n\nThe discharge lounge moved patients out of ward beds before "
        "midday, freeing capacity for emergency admissions.\n",
    )
    return {"theatre scheduling utilisation": theatre, "discharge lounge before midday": lounge}


def real_pdf(path: Path) -> Path:
    pages = [[("h1", "Minutes"), ("p", "The committee approved the winter plan for wards.")]]
    return make_pdf(path, pages)


def random_pdf(folder: Path) -> Path:
    path = folder / "scan-download.pdf"
    path.write_bytes(random.Random(7).randbytes(4000))
    return path


def truncated_pdf(folder: Path) -> Path:
    data = real_pdf(folder / "whole.pdf").read_bytes()
    (folder / "whole.pdf").unlink()
    path = folder / "half-downloaded.pdf"
    path.write_bytes(data[: len(data) // 3])
    return path


def encrypted_pdf(folder: Path) -> Path:
    plain = real_pdf(folder / "plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = folder / "locked-minutes.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def empty_markdown(folder: Path) -> Path:
    path = folder / "empty.md"
    path.write_bytes(b"")
    return path


def blank_text(folder: Path) -> Path:
    path = folder / "blank.txt"
    path.write_text("  \n\t\n   \n", encoding="utf-8")
    return path


def spreadsheet(folder: Path) -> Path:
    path = folder / "waiting-list.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    return path


def picture(folder: Path) -> Path:
    path = folder / "run-chart.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n not really a picture")
    return path


def oversized_text(folder: Path) -> Path:
    path = folder / "export.txt"
    path.write_text("bed occupancy figures\n" * 30_000, encoding="utf-8")  # ~0.63 MB
    return path


def chrome_only_html(folder: Path) -> Path:
    path = folder / "landing.html"
    path.write_text(
        "<html><head><title>Intranet</title></head><body>"
        "<div id='cookie-banner'>We use cookies. Accept all cookies?</div>"
        "<nav><a href='/p'>Parking permits</a> <a href='/c'>Careers</a></nav>"
        "<footer>Copyright Anytown NHS Trust. Privacy policy.</footer></body></html>",
        encoding="utf-8",
    )
    return path


def latin1_text(folder: Path) -> Path:
    path = folder / "cafe-notes.txt"
    path.write_bytes("Café opening hours were agreed by the estates team.".encode("latin-1"))
    return path


def latin1_markdown(folder: Path) -> Path:
    path = folder / "cafe.md"
    path.write_bytes("# Café\n\nOpening hours were agreed by estates.\n".encode("latin-1"))
    return path


def bad_yaml_markdown(folder: Path) -> Path:
    path = folder / "bad-front-matter.md"
    path.write_text(
        "---\ntitle: [Winter plan\npublisher: : NHS\n---\n\n# Winter\n\nEscalation beds open.\n",
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True)
class Bad:
    make: Callable[[Path], Path]
    words: tuple[str, ...]  # what the reason must say (lower case)


BAD_INPUTS: dict[str, Bad] = {
    "random-bytes-pdf": Bad(random_pdf, ("not a pdf file", "re-export")),
    "truncated-pdf": Bad(truncated_pdf, ("not a readable pdf", "re-export")),
    "encrypted-pdf": Bad(encrypted_pdf, ("password", "unprotected copy")),
    "empty-markdown": Bad(empty_markdown, ("empty", "nothing to index")),
    "blank-text": Bad(blank_text, ("white space", "nothing to index")),
    "chrome-only-html": Bad(chrome_only_html, ("no main text", "save the article")),
    "latin1-text": Bad(latin1_text, ("utf-8", "re-save")),
    "latin1-markdown": Bad(latin1_markdown, ("utf-8", "re-save")),
    "malformed-yaml": Bad(bad_yaml_markdown, ("yaml", "line 3", "fix it or remove it")),
}
UNSUPPORTED: dict[str, Bad] = {
    "xlsx": Bad(spreadsheet, ("unsupported", ".xlsx", "convert")),
    "png": Bad(picture, ("unsupported", ".png", "convert")),
}
OVERSIZED = Bad(oversized_text, ("mb", "limit", "impact_max_file_mb"))


def assert_failed_with(report: IngestReport, path: Path, words: tuple[str, ...]) -> None:
    reasons = {source: reason for source, reason in report.failed}
    assert list(reasons) == [str(path.resolve())], report.failed
    for word in words:
        assert word in reasons[str(path.resolve())].lower()


def assert_good_files_searchable(kb: KnowledgeBase, good: dict[str, Path]) -> None:
    assert sorted(s.source for s in kb.sources()) == sorted(str(p.resolve()) for p in good.values())
    for query, path in good.items():
        assert kb.search(query, k=1)[0].source == str(path.resolve())


# -- through the knowledge base -------------------------------------------------------------


@pytest.fixture
def small_kb(tmp_path: Path, embedder: Embedder) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase(tmp_path / "small-kb", embedder, max_file_bytes=SMALL_LIMIT)
    yield base
    base.close()


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_file_in_a_folder_fails_alone_and_good_files_are_indexed(
    kb: KnowledgeBase, tmp_path: Path, case: str
) -> None:
    good = write_good_files(tmp_path / "docs")
    bad = BAD_INPUTS[case].make(tmp_path / "docs")
    report = kb.ingest([tmp_path / "docs"])
    assert_failed_with(report, bad, BAD_INPUTS[case].words)
    assert sorted(report.added) == sorted(str(p.resolve()) for p in good.values())
    assert_good_files_searchable(kb, good)


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_file_leaves_an_existing_index_intact(
    kb: KnowledgeBase, tmp_path: Path, case: str
) -> None:
    good = write_good_files(tmp_path / "docs")
    kb.ingest([tmp_path / "docs"])
    before = kb.sources()
    bad = BAD_INPUTS[case].make(tmp_path / "docs")
    report = kb.ingest([tmp_path / "docs"])
    assert_failed_with(report, bad, BAD_INPUTS[case].words)
    assert report.removed == [] and report.added == []
    assert kb.sources() == before
    assert_good_files_searchable(kb, good)


def test_good_file_that_turns_bad_keeps_its_indexed_version(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    good = write_good_files(tmp_path / "docs")
    kb.ingest([tmp_path / "docs"])
    before = kb.sources()
    lounge = good["discharge lounge before midday"]
    lounge.write_bytes("# Lounge\n\nCafé".encode("latin-1"))
    report = kb.ingest([tmp_path / "docs"])
    assert_failed_with(report, lounge, ("utf-8",))
    assert kb.sources() == before
    assert_good_files_searchable(kb, good)


@pytest.mark.parametrize("case", list(UNSUPPORTED), ids=list(UNSUPPORTED))
def test_unsupported_file_found_in_a_folder_is_skipped_not_failed(
    kb: KnowledgeBase, tmp_path: Path, case: str
) -> None:
    good = write_good_files(tmp_path / "docs")
    odd = UNSUPPORTED[case].make(tmp_path / "docs")
    report = kb.ingest([tmp_path / "docs"])
    assert report.failed == []
    assert report.skipped == [str(odd.resolve())]
    assert "1 skipped" in report.summary()
    assert_good_files_searchable(kb, good)


@pytest.mark.parametrize("case", list(UNSUPPORTED), ids=list(UNSUPPORTED))
def test_unsupported_file_named_explicitly_fails_with_the_supported_types(
    kb: KnowledgeBase, tmp_path: Path, case: str
) -> None:
    good = write_good_files(tmp_path / "docs")
    odd = UNSUPPORTED[case].make(tmp_path)
    report = kb.ingest([tmp_path / "docs", odd])
    assert_failed_with(report, odd, UNSUPPORTED[case].words)
    reason = report.failed[0][1]
    assert ".pdf" in reason and ".docx" in reason and ".md" in reason
    assert report.skipped == []
    assert_good_files_searchable(kb, good)


def test_unsupported_file_named_explicitly_leaves_an_existing_index_intact(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    good = write_good_files(tmp_path / "docs")
    kb.ingest([tmp_path / "docs"])
    before = kb.sources()
    report = kb.ingest([spreadsheet(tmp_path)])
    assert_failed_with(report, tmp_path / "waiting-list.xlsx", UNSUPPORTED["xlsx"].words)
    assert kb.sources() == before
    assert_good_files_searchable(kb, good)


def test_file_over_the_size_limit_fails_and_good_files_are_indexed(
    small_kb: KnowledgeBase, tmp_path: Path
) -> None:
    good = write_good_files(tmp_path / "docs")
    big = OVERSIZED.make(tmp_path / "docs")
    report = small_kb.ingest([tmp_path / "docs"])
    assert_failed_with(report, big, OVERSIZED.words)
    assert_good_files_searchable(small_kb, good)


def test_file_over_the_size_limit_leaves_an_existing_index_intact(
    small_kb: KnowledgeBase, tmp_path: Path
) -> None:
    good = write_good_files(tmp_path / "docs")
    small_kb.ingest([tmp_path / "docs"])
    before = small_kb.sources()
    big = OVERSIZED.make(tmp_path / "docs")
    report = small_kb.ingest([tmp_path / "docs"])
    assert_failed_with(report, big, OVERSIZED.words)
    assert small_kb.sources() == before
    assert_good_files_searchable(small_kb, good)


def test_size_limit_reason_states_the_configured_limit(
    small_kb: KnowledgeBase, tmp_path: Path
) -> None:
    big = OVERSIZED.make(tmp_path)
    report = small_kb.ingest([big])
    assert "over the 0.5 MB limit" in report.failed[0][1]


def test_missing_path_fails_and_the_rest_is_indexed(kb: KnowledgeBase, tmp_path: Path) -> None:
    good = write_good_files(tmp_path / "docs")
    report = kb.ingest([tmp_path / "docs", tmp_path / "minutes-2024.pdf"])
    assert report.failed == [
        (str(tmp_path / "minutes-2024.pdf"), "no such file or directory; check the path")
    ]
    assert_good_files_searchable(kb, good)


# -- through the command line ---------------------------------------------------------------

CLI_FAILURES: dict[str, Bad] = {**BAD_INPUTS, "png": UNSUPPORTED["png"], "oversized": OVERSIZED}


def impact(args: list[str], data_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real `impact` command in a fresh process, as a user would from a terminal log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMPACT_")}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "LINES"):
        env.pop(name, None)
    env.update(
        IMPACT_DATA_DIR=str(data_dir),
        IMPACT_MAX_FILE_MB=str(SMALL_LIMIT / MB),
        HF_HUB_OFFLINE="1",
        COLUMNS="80",  # what rich assumes when stderr is a pipe or a CI log
    )
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@dataclass(frozen=True)
class CliRun:
    ingest: subprocess.CompletedProcess[str]
    sources: subprocess.CompletedProcess[str]
    bad: dict[str, Path]
    good: list[Path]
    skipped: Path


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> CliRun:
    """One `impact ingest` over a folder of every bad input, two good files and a spreadsheet."""
    root = tmp_path_factory.mktemp("cli")
    docs = root / "docs"
    good = list(write_good_files(docs).values())
    bad = {name: case.make(docs) for name, case in CLI_FAILURES.items() if name != "png"}
    bad["png"] = picture(root)
    skipped = spreadsheet(docs)
    data = root / "data"
    ingest = impact(["ingest", str(docs), str(bad["png"])], data, root)
    sources = impact(["sources", "--json"], data, root)
    return CliRun(ingest, sources, bad, good, skipped)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("✗")]


def test_cli_ingest_exits_non_zero_when_any_file_failed(cli_run: CliRun) -> None:
    assert cli_run.ingest.returncode == 1, cli_run.ingest.stderr
    summary = " ".join(cli_run.ingest.stdout.split())
    assert f"2 added, 0 updated, 0 unchanged, 0 removed, {len(CLI_FAILURES)} failed" in summary
    assert "1 skipped" in summary


def test_cli_ingest_names_every_bad_file_with_a_reason(cli_run: CliRun) -> None:
    messages = {}
    for chunk in " ".join(cli_run.ingest.stderr.split()).split("✗ ")[1:]:
        source, _, reason = chunk.partition(": ")
        messages[source] = reason.lower()
    assert sorted(messages) == sorted(str(p) for p in cli_run.bad.values())
    for name, path in cli_run.bad.items():
        for word in CLI_FAILURES[name].words:
            assert word in messages[str(path)], (name, messages[str(path)])


def test_cli_ingest_does_not_report_a_skipped_spreadsheet_as_failed(cli_run: CliRun) -> None:
    assert cli_run.skipped.name not in cli_run.ingest.stderr


def test_cli_ingest_prints_exactly_one_line_per_bad_file(cli_run: CliRun) -> None:
    lines = error_lines(cli_run.ingest.stderr)
    assert len(lines) == len(CLI_FAILURES)
    for name, path in cli_run.bad.items():
        (line,) = [ln for ln in lines if ln.startswith(f"✗ {path}: ")]
        for word in CLI_FAILURES[name].words:
            assert word in line.lower(), (name, line)
    others = [ln for ln in cli_run.ingest.stderr.splitlines() if ln.strip() and ln not in lines]
    assert all(ln.startswith("Indexing") for ln in others), others


def test_cli_ingest_still_indexes_the_good_files(cli_run: CliRun) -> None:
    assert cli_run.sources.returncode == 0, cli_run.sources.stderr
    listed = json.loads(cli_run.sources.stdout)
    assert sorted(s["source"] for s in listed) == sorted(str(p.resolve()) for p in cli_run.good)
    assert {s["title"] for s in listed} == {"Theatre utilisation review", "Discharge lounge"}


def test_cli_ingest_of_a_missing_path_fails_with_one_line_naming_it(tmp_path: Path) -> None:
    good = write_good_files(tmp_path / "docs")
    result = impact(["ingest", "--json", "docs", "minutes-2024.pdf"], tmp_path / "data", tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert (report["added"], report["failed"]) == (len(good), 1)
    assert report["errors"] == [
        {"source": "minutes-2024.pdf", "reason": "no such file or directory; check the path"}
    ]
    assert error_lines(result.stderr) == [
        "✗ minutes-2024.pdf: no such file or directory; check the path"
    ]
    # alone, it is the whole error output: no empty line from a progress bar with nothing to show
    alone = impact(["ingest", "minutes-2024.pdf"], tmp_path / "data", tmp_path)
    assert alone.returncode == 1
    assert alone.stderr.splitlines()[0] == (
        "✗ minutes-2024.pdf: no such file or directory; check the path"
    ), alone.stderr
