"""Evidence in the room: the pack scoped to the component, plus the organisation's own papers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.evidence import question_evidence
from assistant.exports import export_session
from knowledge import BUNDLED_PREFIX, Embedder, KnowledgeBase
from prompts.frameworks import load_framework
from tests.assistant.sessions_support import MEMBERS, service, sqlite_store
from tests.docgen import make_markdown


@pytest.fixture(scope="module")
def library(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[KnowledgeBase]:
    papers = tmp_path_factory.mktemp("papers")
    make_markdown(
        papers / "improvement-training-plan.md",
        "title: Anytown improvement training plan 2025",
        "# Improvement training plan\n\n## Who we will train\n\nIn 2025 we will give every new "
        "starter an introduction to our improvement method (QSIR) at induction, and train 40 "
        "improvement coaches. The board itself will complete the QSIR fundamentals course.",
    )
    make_markdown(
        papers / "car-parking.md",
        "title: Car parking charges review",
        "# Car parking\n\nVisitor parking charges rise by 20p an hour from April; blue badge "
        "holders park free in the multi-storey.",
    )
    kb = KnowledgeBase(tmp_path_factory.mktemp("kb") / "data", embedder)
    assert not kb.ingest([papers]).failed  # no component tags on our own papers
    assert not kb.ingest_bundled().failed
    yield kb
    kb.close()


def test_pack_passages_are_scoped_to_the_component_and_our_papers_join_them(
    library: KnowledgeBase,
) -> None:
    fw = load_framework("nhs-impact")
    _, question = fw.find("c4.1")  # type: ignore[misc]
    found = question_evidence(library, question.evidence_query, ["4"])
    pack = [e for e in found if e.source.startswith(BUNDLED_PREFIX)]
    own = [e for e in found if not e.source.startswith(BUNDLED_PREFIX)]
    assert len(pack) == 3 and all("4" in e.tags.get("component", []) for e in pack)
    assert [e.title for e in own] == ["Anytown improvement training plan 2025"]
    assert all("parking" not in e.title.lower() for e in found)


def test_evidence_is_kept_with_the_session_and_listed_in_the_paper(
    library: KnowledgeBase, tmp_path: Path
) -> None:
    svc = service(sqlite_store(tmp_path / "data"))
    state = svc.create(
        framework="nhs-impact", board="B", organisation="O", meeting_date=date(2025, 3, 6),
        participants=MEMBERS, sections=["c4"],
    )  # fmt: skip
    state, items = svc.evidence(state.id, "c4.1", library)
    assert items and state.question("c4.1").evidence == items  # type: ignore[union-attr]
    assert any(i.own and i.title == "Anytown improvement training plan 2025" for i in items)
    again, same = svc.evidence(state.id, "c4.1", library)  # shown again without a new search
    assert same == items and again.version == state.version
    [paper] = export_session(svc.get(state.id), "md", tmp_path / "paper.md")[:1]
    sources = paper.read_text(encoding="utf-8").split("## Sources", 1)[1]
    assert "Anytown improvement training plan 2025" in sources and "our paper:" in sources
    assert "Component 4" in sources
