"""Ingestion is incremental, idempotent and loses nothing when interrupted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge import DEFAULT_TENANT, KnowledgeBase, SourceNotFound
from tests.docgen import make_markdown

PLAN = """
# Improvement plan

## Training

Our trust will train 450 staff in quality improvement methods during 2025.

## Governance

The quality committee reviews improvement measures every quarter.
"""


def _write_docs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        make_markdown(folder / "plan.md", "title: Improvement plan\ncomponents: [4]", PLAN),
        make_markdown(
            folder / "huddles.md",
            "title: Huddle guide",
            "# Huddles\n\nTeams hold a ten-minute safety huddle at 8am with a visible board.",
        ),
        make_markdown(
            folder / "purpose.md",
            "",
            "# Purpose\n\nOur shared purpose was co-designed with patients and carers in 2024.",
        ),
    ]


def _listing(kb: KnowledgeBase) -> list[dict]:
    return [s.to_dict() for s in kb.sources()]


def test_reingest_of_unchanged_files_adds_nothing_and_keeps_listing(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    _write_docs(folder)
    first = kb.ingest([folder])
    assert len(first.added) == 3 and not first.failed
    listing = _listing(kb)
    chunks = kb.stats()["chunks"]
    generation = kb.catalog.generation()

    second = kb.ingest([folder])

    assert second.counts() == {"added": 0, "updated": 0, "unchanged": 3, "removed": 0, "failed": 0}
    assert _listing(kb) == listing
    assert kb.stats()["chunks"] == chunks
    assert kb.vectors.count() == chunks
    assert kb.catalog.generation() == generation


def test_changed_file_replaces_its_chunks_without_stale_ones(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    plan, *_ = _write_docs(folder)
    kb.ingest([folder])
    old_ids = set(kb.catalog.chunk_ids(DEFAULT_TENANT, str(plan.resolve())))

    plan.write_text(PLAN.replace("450 staff", "900 colleagues"), encoding="utf-8")
    report = kb.ingest([folder])

    assert report.updated == [str(plan.resolve())] and len(report.unchanged) == 2
    new_ids = set(kb.catalog.chunk_ids(DEFAULT_TENANT, str(plan.resolve())))
    assert new_ids and not (new_ids & old_ids)
    assert kb.vectors.all_ids() == kb.catalog.all_chunk_ids()
    texts = " ".join(e.text for e in kb.search("how many staff will the trust train", 10))
    assert "900 colleagues" in texts
    assert "450 staff" not in texts
    assert kb.lexical.ids() == kb.catalog.all_chunk_ids()


def test_deleted_file_is_removed_when_its_folder_is_reingested(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    _, huddles, _ = _write_docs(folder)
    kb.ingest([folder])
    huddles.unlink()

    report = kb.ingest([folder])

    assert report.removed == [str(huddles.resolve())]
    assert all("safety huddle" not in e.text for e in kb.search("safety huddle board", 10))
    assert len(kb.sources()) == 2


def test_forget_removes_one_source_everywhere(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    plan, *_ = _write_docs(folder)
    kb.ingest([folder])

    removed = kb.forget(str(plan))

    assert removed > 0
    assert str(plan.resolve()) not in {s.source for s in kb.sources()}
    assert kb.vectors.all_ids() == kb.catalog.all_chunk_ids()
    assert all(e.source != str(plan.resolve()) for e in kb.search("train staff", 10))
    with pytest.raises(SourceNotFound, match="impact sources"):
        kb.forget(str(plan))


def test_tags_from_the_command_line_filter_search(kb: KnowledgeBase, tmp_path: Path) -> None:
    board = make_markdown(tmp_path / "board.md", "", "# Board\n\nThe board meets monthly.")
    other = make_markdown(tmp_path / "other.md", "", "# Committee\n\nThe committee meets monthly.")
    kb.ingest([board], tags={"org": ["anytown"]})
    kb.ingest([other], tags={"org": ["elsewhere"]})

    results = kb.search("who meets monthly", 5, tags={"org": ["anytown"]})

    assert results and {e.source for e in results} == {str(board.resolve())}
    assert results[0].tags["org"] == ["anytown"]
    # A tag change is an update, not "unchanged".
    assert kb.ingest([board], tags={"org": ["renamed"]}).updated == [str(board.resolve())]


def fail_at(point: str):  # type: ignore[no-untyped-def]
    """A checkpoint that stops a write at one named step, as a crash would."""

    def checkpoint(name: str) -> None:
        if name == point:
            raise RuntimeError(f"injected fault at {name}")

    return checkpoint


@pytest.mark.parametrize("point", ["after-vectors", "after-catalog"])
def test_interrupted_ingest_leaves_previous_index_searchable(
    tmp_path: Path, embedder, point: str
) -> None:
    folder = tmp_path / "docs"
    plan, *_ = _write_docs(folder)
    data = tmp_path / "kb"
    kb = KnowledgeBase(data, embedder)
    kb.ingest([folder])
    before = _listing(kb)

    plan.write_text(PLAN.replace("450 staff", "900 colleagues"), encoding="utf-8")
    new_doc = make_markdown(
        folder / "new.md", "", "# Flow\n\nBig Room meetings review patient flow weekly."
    )
    kb.stores.checkpoint = fail_at(point)
    with pytest.raises(RuntimeError, match="injected fault"):
        kb.ingest([folder])
    kb.close()

    # A fresh process-like open sees a consistent index.
    reopened = KnowledgeBase(data, embedder)
    catalog_ids = reopened.catalog.all_chunk_ids()
    assert reopened.lexical.ids() == catalog_ids
    results = reopened.search("how many staff will the trust train", 10)
    assert results, "the previous index must stay searchable"
    assert {e.id for e in results} <= catalog_ids
    texts = " ".join(e.text for e in results)
    # Files go in name order: new.md is the first changed file, so the fault hits it.
    assert "450 staff" in texts and "900 colleagues" not in texts
    flow = reopened.search("Big Room patient flow", 3)
    if point == "after-vectors":
        # Vectors written, catalog not committed: the listing is as before, the new doc invisible.
        assert _listing(reopened) == before
        assert str(new_doc.resolve()) not in {s.source for s in reopened.sources()}
        assert all(e.source != str(new_doc.resolve()) for e in flow)
    else:
        # The commit happened: the new document is in, whole, and nothing else changed.
        assert str(new_doc.resolve()) in {s.source for s in reopened.sources()}
        assert flow[0].source == str(new_doc.resolve())

    # The next run tidies what the crash left behind and finishes the job.
    report = reopened.ingest([folder])
    assert not report.failed
    assert reopened.vectors.all_ids() == reopened.catalog.all_chunk_ids()
    assert reopened.lexical.ids() == reopened.catalog.all_chunk_ids()
    assert str(new_doc.resolve()) in {s.source for s in reopened.sources()}
    reopened.close()


def test_killed_ingest_process_leaves_index_consistent(tmp_path: Path) -> None:
    """A real SIGKILL in the middle of a long ingest: the index stays whole and searchable."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "docs"
    _write_docs(folder)
    env = {**os.environ, "IMPACT_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1"}
    cli = [sys.executable, "-m", "assistant.cli"]
    subprocess.run([*cli, "ingest", str(folder)], env=env, check=True, capture_output=True)

    many = tmp_path / "many"
    many.mkdir()
    paragraph = " ".join(f"Passage {i} describes improvement work in ward {i}." for i in range(60))
    for n in range(40):
        (many / f"doc{n:02d}.md").write_text(f"# Doc {n}\n\n{paragraph}\n\n{paragraph}\n", "utf-8")
    proc = subprocess.Popen(
        [*cli, "ingest", str(many)], env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE
    )
    catalog = tmp_path / "data" / "impact.sqlite3"
    deadline = time.time() + 900  # a busy machine loads the model slowly
    import sqlite3

    # Kill once some but not all of the new documents have been committed.
    while time.time() < deadline:
        with sqlite3.connect(catalog) as db:
            done = db.execute(
                "SELECT COUNT(*) FROM kb_sources WHERE source LIKE '%/many/%'"
            ).fetchone()[0]
        if done >= 2:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 2 <= done < 40, f"killed after {done} documents; expected some but not all"

    listing = json.loads(
        subprocess.run(
            [*cli, "sources", "--json"], env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    counts = {s["source"]: s["chunks"] for s in listing}
    assert len(counts) >= 5
    found = json.loads(
        subprocess.run(
            [*cli, "search", "safety huddle", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert found and "huddle" in found[0]["text"].lower()
    # Every committed document is whole: its chunk rows all exist and match the listing.
    with sqlite3.connect(catalog) as db:
        rows = dict(db.execute("SELECT source, COUNT(*) FROM kb_chunks GROUP BY source").fetchall())
    assert rows == counts
