"""Changing the embedding model: a new collection is built, switched to, and the old one dropped."""

from __future__ import annotations

import contextlib
from pathlib import Path

from knowledge import Embedder, KnowledgeBase
from tests.docgen import make_markdown

QUESTION = "how many staff will we train"


def test_a_search_during_the_switch_uses_the_old_collection_then_the_new_one(
    tmp_path: Path, embedder: Embedder, model_128: Embedder
) -> None:
    doc = make_markdown(tmp_path / "plan.md", "", "# Plan\n\nWe will train 450 staff in QI.")
    data = tmp_path / "kb"
    before = KnowledgeBase(data, embedder)
    before.ingest([doc])
    before.ingest_bundled()
    old_name = before.vectors.name

    models = {embedder.name: embedder, model_128.name: model_128}
    reader = KnowledgeBase(data, model_128, embedder_factory=models.__getitem__)
    seen: list[tuple[str, str]] = []

    def during(step: str) -> None:
        if step == "switch-batch" and not seen:
            seen.append((reader.status()["index_model"], reader.search(QUESTION, 1)[0].text))

    writer = KnowledgeBase(data, model_128, checkpoint=during)
    writer.reindex()

    assert seen and seen[0][0] == embedder.name and "450 staff" in seen[0][1]
    assert reader.status()["index_model"] == model_128.name
    assert "450 staff" in reader.search(QUESTION, 1)[0].text
    assert writer.stores.member_names(old_name) == []
    assert writer.vectors.count() == writer.stats()["chunks"]


def test_an_interrupted_switch_keeps_the_old_index_and_finishes_next_time(
    tmp_path: Path, embedder: Embedder, model_128: Embedder
) -> None:
    doc = make_markdown(tmp_path / "plan.md", "", "# Plan\n\nWe will train 450 staff in QI.")
    data = tmp_path / "kb"
    KnowledgeBase(data, embedder).ingest([doc])

    def crash(step: str) -> None:
        if step == "switch-batch":
            raise RuntimeError("killed mid-switch")

    with contextlib.suppress(RuntimeError):
        KnowledgeBase(data, model_128, checkpoint=crash).reindex()
    old = KnowledgeBase(data, embedder)
    assert old.status()["index_model"] == embedder.name
    assert "450 staff" in old.search(QUESTION, 1)[0].text

    new = KnowledgeBase(data, model_128)
    new.ingest([doc])
    assert new.status()["index_model"] == model_128.name
    assert "450 staff" in new.search(QUESTION, 1)[0].text
