"""With IMPACT_CHROMA_URL set, vectors live in a real Chroma server (started here on loopback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Embedder, KnowledgeBase
from tests.docgen import make_markdown


def test_ingest_and_search_through_a_chroma_server(
    tmp_path: Path, embedder, chroma_url: str
) -> None:
    doc = make_markdown(
        tmp_path / "plan.md", "title: Plan", "# Plan\n\nWe will train 450 staff in QI."
    )
    kb = KnowledgeBase(tmp_path / "kb", embedder, chroma_url=chroma_url)

    assert kb.ingest([doc]).added == [str(doc.resolve())]
    assert not (tmp_path / "kb" / "chroma").exists()
    assert kb.vectors.count() == kb.stats()["chunks"]
    assert "450 staff" in kb.search("how many staff will be trained", 1)[0].text
    kb.close()


@pytest.mark.slow
def test_two_knowledge_bases_on_one_server_never_touch_each_others_vectors(
    tmp_path: Path, embedder, chroma_url: str
) -> None:
    a_doc = make_markdown(tmp_path / "a.md", "", "# A\n\nThe Anytown board meets on Mondays.")
    b_doc = make_markdown(tmp_path / "b.md", "", "# B\n\nThe Boroughton board meets on Fridays.")
    a = KnowledgeBase(tmp_path / "a", embedder, chroma_url=chroma_url)
    a.ingest([a_doc])
    b = KnowledgeBase(tmp_path / "b", embedder, chroma_url=chroma_url)
    # B has a crash to tidy: its repair must stay inside its own collection.
    b.stores.checkpoint = _fail_at("after-vectors")
    with pytest.raises(RuntimeError):
        b.ingest([b_doc])
    b.stores.checkpoint = lambda name: None
    b.ingest([b_doc])
    b.forget(str(b_doc))
    b.ingest([b_doc])

    assert a.vectors.name != b.vectors.name
    assert a.vectors.count() == a.stats()["chunks"]
    assert b.vectors.count() == b.stats()["chunks"]
    assert "Mondays" in a.search("when does the board meet", 1, mode="dense")[0].text
    assert "Fridays" in b.search("when does the board meet", 1, mode="dense")[0].text


@pytest.mark.slow
def test_changing_the_model_builds_a_new_collection_on_the_server(
    tmp_path: Path, embedder, model_128: Embedder, chroma_url: str
) -> None:
    doc = make_markdown(tmp_path / "plan.md", "", "# Plan\n\nWe will train 450 staff in QI.")
    data = tmp_path / "kb"
    old = KnowledgeBase(data, embedder, chroma_url=chroma_url)
    old.ingest([doc])
    old.ingest_bundled()
    old_name = old.vectors.name

    new = KnowledgeBase(data, model_128, chroma_url=chroma_url)
    new.reindex()

    assert new.vectors.name != old_name and new.status()["index_dimension"] == 128
    assert new.stores.member_names(old_name) == []
    assert new.vectors.count() == new.stats()["chunks"]
    # Writes and queries with the new model work (no dimension error), with the right answer.
    assert "450 staff" in new.search("how many staff will we train", 1)[0].text
    assert new.ingest([doc]).updated == [str(doc.resolve())]


def _fail_at(point: str):  # type: ignore[no-untyped-def]
    def checkpoint(name: str) -> None:
        if name == point:
            raise RuntimeError(f"injected fault at {name}")

    return checkpoint
