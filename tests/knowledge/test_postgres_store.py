"""The catalog on a real PostgreSQL server: tenants, several hosts, the advisory write lock."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from knowledge import Embedder, KnowledgeBase, SourceNotFound
from knowledge.locks import write_lock
from tests.docgen import make_markdown


def test_the_catalog_lives_in_postgresql(
    tmp_path: Path, embedder: Embedder, postgres_url: str
) -> None:
    plan = make_markdown(tmp_path / "plan.md", "", "# Plan\n\nThe trust will train 450 staff.")
    kb = KnowledgeBase(tmp_path / "host", embedder, database_url=postgres_url)
    assert kb.ingest([plan], tenant="north").added == [str(plan.resolve())]
    assert not (tmp_path / "host" / "impact.sqlite3").exists()

    assert "450 staff" in kb.search("how many staff will be trained", 1, tenant="north")[0].text
    assert kb.search("how many staff will be trained", 3, tenant="south") == []
    assert [s.source for s in kb.sources("north")] == [str(plan.resolve())]
    assert kb.forget(str(plan), tenant="north") > 0
    with pytest.raises(SourceNotFound):
        kb.forget(str(plan), tenant="north")


@pytest.mark.slow
def test_a_second_host_catches_its_lexical_index_up_from_the_shared_catalog(
    tmp_path: Path, embedder: Embedder, postgres_url: str, chroma_url: str
) -> None:
    first = make_markdown(tmp_path / "huddle.md", "", "# Huddles\n\nWards huddle at 9am.")
    second = make_markdown(tmp_path / "kaizen.md", "", "# Kaizen\n\nThe kaizen office trains.")
    host_a = KnowledgeBase(
        tmp_path / "a", embedder, database_url=postgres_url, chroma_url=chroma_url
    )
    host_a.ingest([first])
    host_b = KnowledgeBase(
        tmp_path / "b", embedder, database_url=postgres_url, chroma_url=chroma_url
    )

    # Host B has no lexical index yet: its dense side answers, and it says the index is behind.
    assert host_b.status()["lexical_behind"]
    assert host_b.search("when do wards huddle", 1)[0].source == str(first.resolve())
    host_b.reindex()
    assert "huddle" in host_b.search("huddle", 1, mode="bm25")[0].text

    host_a.ingest([second])
    assert host_b.status()["lexical_behind"]
    host_b.reindex()
    assert host_b.lexical.ids() == host_a.catalog.all_chunk_ids()
    assert "kaizen" in host_b.search("kaizen office", 1, mode="bm25")[0].text


def test_writers_on_different_hosts_queue_on_the_advisory_lock(
    tmp_path: Path, embedder: Embedder, postgres_url: str
) -> None:
    plan = make_markdown(tmp_path / "plan.md", "", "# Plan\n\nThe trust will train 450 staff.")
    host_a = KnowledgeBase(tmp_path / "a", embedder, database_url=postgres_url)
    host_a.ingest([plan])
    host_b = KnowledgeBase(tmp_path / "b", embedder, database_url=postgres_url)

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with write_lock(host_a.catalog, tmp_path / "a", "impact ingest on host a"):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    messages: list[str] = []

    def waited(message: str) -> None:
        messages.append(message)
        release.set()  # let the first writer finish once the second is seen waiting

    report = host_b.ingest([plan], on_wait=waited)
    holder.join()
    assert len(messages) == 1 and "impact ingest on host a" in messages[0]
    assert report.unchanged == [str(plan.resolve())]
