"""A data directory on a read-only share: searching, asking and listing work; writes say why not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docgen import make_markdown

ROOT = Path(__file__).resolve().parents[2]


def impact(data: Path, *args: str, tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMPACT_")}
    env.update(IMPACT_DATA_DIR=str(data), HF_HUB_OFFLINE="1")
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def read_only_data(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A real knowledge base, then the same folder mounted read-only (a real read-only mount)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    make_markdown(docs / "plan.md", "title: Plan", "# Plan\n\nWe will train 450 staff in QI.")
    data = tmp_path / "data"
    assert impact(data, "ingest", str(docs)).returncode == 0
    mount = tmp_path / "share"
    mount.mkdir()
    done = subprocess.run(["mount", "--bind", str(data), str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here ({done.stderr.decode().strip()})")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], check=True)
        yield mount, docs
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.slow
def test_reading_commands_work_on_a_read_only_data_directory(
    read_only_data: tuple[Path, Path],
) -> None:
    share, _ = read_only_data
    listing = impact(share, "sources", "--json")
    assert listing.returncode == 0, listing.stderr
    assert [s["title"] for s in json.loads(listing.stdout)] == ["Plan"]
    info = impact(share, "info")
    assert info.returncode == 0 and "read-only" in info.stdout
    found = impact(share, "search", "how many staff will we train", "--json")
    assert found.returncode == 0, found.stderr
    assert "450 staff" in json.loads(found.stdout)[0]["text"]
    scratch = share.parent / "scratch"
    scratch.mkdir()
    answer = impact(share, "ask", "How many staff will we train in QI?", "--json", tmp=scratch)
    assert answer.returncode == 0 and "450" in json.loads(answer.stdout)["answer"]
    assert not list(scratch.glob("impact-*"))  # the private copy of the read-only index is gone


@pytest.mark.slow
def test_writing_commands_say_in_one_line_that_the_folder_is_read_only(
    read_only_data: tuple[Path, Path],
) -> None:
    share, docs = read_only_data
    for args in (["ingest", str(docs)], ["forget", str(docs / "plan.md")]):
        result = impact(share, *args)
        assert result.returncode == 1
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "read-only" in lines[0], result.stderr
