"""Tenants: each organisation sees its own documents plus the shared pack, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering import Answerer
from knowledge import SHARED, InvalidTenant, KnowledgeBase, SourceNotFound
from tests.docgen import make_markdown

QUESTION = "How many staff will the trust train in quality improvement?"


@pytest.fixture
def two_trusts(kb: KnowledgeBase, tmp_path: Path) -> dict[str, Path]:
    """Two trusts ingest a file at the same path whose answers differ; the pack is shared."""
    plan = tmp_path / "papers" / "plan.md"
    plan.parent.mkdir()
    make_markdown(
        plan, "title: Improvement plan", "# Plan\n\nThe trust will train 450 staff in QI."
    )
    kb.ingest([plan], tenant="north")
    make_markdown(
        plan, "title: Improvement plan", "# Plan\n\nThe trust will train 900 staff in QI."
    )
    kb.ingest([plan], tenant="south")
    kb.ingest_bundled()
    return {"plan": plan}


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_tenant_finds_its_own_answer_and_never_the_others(
    kb: KnowledgeBase, two_trusts: dict[str, Path], mode: str
) -> None:
    north = kb.search(QUESTION, 10, tenant="north", mode=mode)  # type: ignore[arg-type]
    south = kb.search(QUESTION, 10, tenant="south", mode=mode)  # type: ignore[arg-type]
    assert any("450 staff" in e.text for e in north)
    assert any("900 staff" in e.text for e in south)
    assert not any("900 staff" in e.text for e in north)
    assert not any("450 staff" in e.text for e in south)
    # Both also see the shared pack; a tenant with no documents sees only the pack.
    assert any(e.source.startswith("bundled:") for e in north)
    others = kb.search(QUESTION, 10, tenant="west", mode=mode)  # type: ignore[arg-type]
    assert others and all(e.source.startswith("bundled:") for e in others)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_a_search_of_a_tenants_own_papers_leaves_out_the_pack_and_the_others(
    kb: KnowledgeBase, two_trusts: dict[str, Path], mode: str
) -> None:
    # The answerer searches the organisation's own papers on their own for "Who is the chief
    # executive?": only that tenant's documents, never the shared pack or another trust's.
    north = kb.search(QUESTION, 10, tenant="north", mode=mode, own=True)  # type: ignore[arg-type]
    assert north and all(e.source.endswith("plan.md") for e in north)
    assert any("450 staff" in e.text for e in north)
    assert not any("900 staff" in e.text for e in north)
    assert kb.search(QUESTION, 10, tenant="west", mode=mode, own=True) == []  # type: ignore[arg-type]
    assert kb.search(QUESTION, 10, tenant="shared", mode=mode, own=True) == []  # type: ignore[arg-type]


def test_each_tenant_has_its_own_vector_collection(
    kb: KnowledgeBase, two_trusts: dict[str, Path]
) -> None:
    record = kb.stores.active()
    assert record is not None
    names = kb.stores.member_names(record.name)
    assert len(names) == 3  # north, south and shared
    north = kb.stores.collection(record, "north")
    assert north.all_ids() == set(kb.catalog.chunk_ids("north", str(two_trusts["plan"].resolve())))


def test_listing_and_counts_are_per_tenant(kb: KnowledgeBase, two_trusts: dict[str, Path]) -> None:
    north = kb.sources("north")
    plan = str(two_trusts["plan"].resolve())
    assert [s.source for s in north if s.tenant == "north"] == [plan]
    assert {s.tenant for s in north} == {"north", SHARED}
    assert kb.stats("north")["sources"] == len(north)
    assert kb.stats()["sources"] == len(north) + 1  # everything: south's copy too


def test_forget_touches_only_the_tenant_that_asks(
    kb: KnowledgeBase, two_trusts: dict[str, Path]
) -> None:
    kb.forget(str(two_trusts["plan"]), tenant="north")
    assert not any("450 staff" in e.text for e in kb.search(QUESTION, 10, tenant="north"))
    assert "900 staff" in kb.search(QUESTION, 3, tenant="south")[0].text
    with pytest.raises(SourceNotFound, match="north"):
        kb.forget(str(two_trusts["plan"]), tenant="north")


def test_nobody_writes_into_shared_except_the_bundled_pack(
    kb: KnowledgeBase, two_trusts: dict[str, Path]
) -> None:
    with pytest.raises(InvalidTenant, match="bundled"):
        kb.ingest([two_trusts["plan"]], tenant=SHARED)
    with pytest.raises(InvalidTenant):
        kb.forget("bundled:nhs-impact-overview.md", tenant=SHARED)
    # From a tenant, a shared document is not that tenant's to forget.
    with pytest.raises(SourceNotFound):
        kb.forget("bundled:nhs-impact-overview.md", tenant="north")
    with pytest.raises(InvalidTenant, match="letters"):
        kb.search(QUESTION, 3, tenant="../etc")


def test_answers_come_from_the_tenants_own_documents(
    kb: KnowledgeBase, two_trusts: dict[str, Path]
) -> None:
    north = Answerer(kb, tenant="north").answer(QUESTION)
    south = Answerer(kb, tenant="south").answer(QUESTION)
    assert "450" in north.text and "900" not in north.text
    assert "900" in south.text and "450" not in south.text


def test_one_tenants_papers_do_not_shift_the_term_weights_of_anothers_questions(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """How rare a word is (the answerer's term weights) is counted over the passages the asking
    tenant can see: another trust's many papers on a word leave them unchanged."""
    from knowledge.tenants import visible_tenants

    papers = tmp_path / "south"
    papers.mkdir()
    for n in range(6):
        make_markdown(
            papers / f"kaizen-{n}.md", f"title: Kaizen {n}", f"# Kaizen {n}\n\nKaizen event {n}."
        )
    kb.ingest([papers], tenant="south")
    plan = make_markdown(tmp_path / "plan.md", "title: Plan", "# Plan\n\nOne kaizen event.")
    kb.ingest([plan], tenant="north")

    north, north_total = kb.lexical.doc_freq("kaizen events", visible_tenants("north"))
    south, south_total = kb.lexical.doc_freq("kaizen events", visible_tenants("south"))
    everyone, total = kb.lexical.doc_freq("kaizen events")
    assert north["kaizen"] == 1 and north_total == 1
    assert south["kaizen"] == 6 and south_total == 6
    assert everyone["kaizen"] == 7 and total == 7
