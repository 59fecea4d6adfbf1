"""The lexical index follows the catalog one document at a time; readers never write it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import Embedder, KnowledgeBase
from knowledge.lexical import current_dir
from tests.docgen import make_markdown

ROOT = Path(__file__).resolve().parents[2]


def _docs(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    a = make_markdown(folder / "a.md", "", "# Huddles\n\nWards hold a safety huddle at 9am.")
    b = make_markdown(folder / "b.md", "", "# Kaizen\n\nThe kaizen office trains coaches.")
    return a, b


def test_adding_and_removing_a_document_updates_the_index_in_place(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    a, b = _docs(tmp_path / "docs")
    kb.ingest([a])
    built = current_dir(kb.stores.lexical_root)
    generation = kb.lexical.generation

    kb.ingest([b])
    assert current_dir(kb.stores.lexical_root) == built  # the same index, not a rebuilt one
    assert kb.lexical.generation > generation
    assert kb.lexical.ids() == kb.catalog.all_chunk_ids()
    assert "kaizen" in kb.search("kaizen office", 1, mode="bm25")[0].text

    kb.forget(str(b))
    assert current_dir(kb.stores.lexical_root) == built
    assert kb.lexical.ids() == kb.catalog.all_chunk_ids()
    assert kb.search("kaizen office", 1, mode="bm25") == []


def test_a_reader_of_an_index_behind_the_catalog_uses_its_last_version_and_says_so(
    tmp_path: Path, embedder: Embedder
) -> None:
    a, b = _docs(tmp_path / "docs")
    data = tmp_path / "kb"
    KnowledgeBase(data, embedder).ingest([a])

    def crash(step: str) -> None:
        if step == "before-lexical":
            raise RuntimeError("killed before the lexical commit")

    with pytest.raises(RuntimeError):
        KnowledgeBase(data, embedder, checkpoint=crash).ingest([b])

    reader = KnowledgeBase(data, embedder)
    before = _snapshot(data / "lexical")
    status = reader.status()
    assert status["lexical_behind"] and status["lexical_generation"] < status["generation"]
    # The committed document is whole and found by its vectors; the lexical side is the old one.
    assert reader.search("kaizen office coaches", 1)[0].source == str(b.resolve())
    assert reader.search("kaizen office", 3, mode="bm25") == []
    assert "huddle" in reader.search("safety huddle", 1, mode="bm25")[0].text
    assert _snapshot(data / "lexical") == before  # the reader wrote nothing

    env = {**os.environ, "IMPACT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    info = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "info"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "behind the catalog" in info and "impact reindex" in info

    reader.reindex()
    assert not reader.status()["lexical_behind"]
    assert "kaizen" in reader.search("kaizen office", 1, mode="bm25")[0].text


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }
