"""A question brings back the right passage with its page and heading, from every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase, reciprocal_rank_fusion
from tests.docgen import make_docx, make_html, make_markdown, make_pdf


@pytest.fixture
def library(kb: KnowledgeBase, tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "library"
    folder.mkdir()
    filler = "The annual report summarises activity across the trust's hospitals. " * 4
    paths = {
        "pdf": make_pdf(
            folder / "annual-report.pdf",
            [
                [("h1", "Annual Report 2024"), ("p", filler)],
                [
                    ("h2", "Finance"),
                    ("p", "The trust ended the year with a surplus of 1.2 million pounds."),
                ],
                [
                    ("h2", "Improvement capability"),
                    (
                        "p",
                        "During the year 312 colleagues completed the Bronze improvement course.",
                    ),
                ],
            ],
            title="Anytown annual report",
        ),
        "docx": make_docx(
            folder / "strategy.docx",
            [
                ("title", "Quality strategy"),
                ("h1", "Our ambitions"),
                ("p", "We aim to halve avoidable pressure ulcers by March 2027."),
                ("h1", "Measurement"),
                ("h2", "Board oversight"),
                (
                    "p",
                    "The board reviews statistical process control charts at every public meeting.",
                ),
            ],
        ),
        "html": make_html(
            folder / "news.html",
            "Flow coaching launches on the wards",
            "<h1>Flow coaching launches</h1><p>Paired coaches now run a weekly Big Room for the "
            "hip fracture pathway.</p><h2>Next steps</h2><p>The stroke pathway joins in spring.</p>",
        ),
        "md": make_markdown(
            folder / "charter.md",
            "title: Improvement charter\ncomponents: [1, 3]",
            "# Improvement charter\n\n## Values\n\nWe listen to patients first.\n\n"
            "## Huddles\n\nEvery ward holds a daily improvement huddle at 9am.",
        ),
    }
    report = kb.ingest([folder])
    assert not report.failed and len(report.added) == 4
    return paths


@pytest.mark.parametrize(
    ("question", "kind", "page", "heading", "fact"),
    [
        (
            "How many staff finished the bronze QI training?",
            "pdf",
            3,
            "Improvement capability",
            "312",
        ),
        ("What was the financial surplus last year?", "pdf", 2, "Finance", "1.2 million"),
        (
            "How does the board look at SPC charts?",
            "docx",
            None,
            "Board oversight",
            "statistical process",
        ),
        (
            "Which pathway has a weekly big room?",
            "html",
            None,
            "Flow coaching launches",
            "hip fracture",
        ),
        ("When do wards hold their daily huddle?", "md", None, "Huddles", "9am"),
    ],
)
def test_question_returns_passage_with_page_and_heading(
    kb: KnowledgeBase,
    library: dict[str, Path],
    question: str,
    kind: str,
    page: int | None,
    heading: str,
    fact: str,
) -> None:
    top = kb.search(question, 3)[0]
    assert top.source == str(library[kind].resolve())
    assert top.page == page
    assert heading in top.heading
    assert fact in top.text


def test_evidence_carries_title_tags_and_similarity(
    kb: KnowledgeBase, library: dict[str, Path]
) -> None:
    top = kb.search("daily improvement huddle", 1)[0]
    assert top.title == "Improvement charter"
    assert top.tags == {"component": ["1", "3"]}
    assert top.similarity is not None and 0.3 < top.similarity <= 1.0


def test_filters_by_tag_and_source(kb: KnowledgeBase, library: dict[str, Path]) -> None:
    only_md = kb.search("board", 5, tags={"component": ["3"]})
    assert only_md and {e.source for e in only_md} == {str(library["md"].resolve())}
    pdf = str(library["pdf"].resolve())
    assert {e.source for e in kb.search("improvement", 5, sources=[pdf])} == {pdf}
    assert kb.search("improvement", 5, tags={"component": ["5"]}) == []


def test_dense_and_bm25_modes_each_find_exact_terms(
    kb: KnowledgeBase, library: dict[str, Path]
) -> None:
    assert "312" in kb.search("Bronze improvement course", 1, mode="bm25")[0].text
    assert (
        "hip fracture" in kb.search("orthopaedic pathway coaching meeting", 1, mode="dense")[0].text
    )


def test_near_duplicate_passages_are_suppressed(kb: KnowledgeBase, tmp_path: Path) -> None:
    text = "# Policy\n\nThe ward safety huddle happens every morning at eight with the nurse in charge."
    make_markdown(tmp_path / "a.md", "", text)
    make_markdown(tmp_path / "b.md", "", text.replace("eight", "8"))
    make_markdown(tmp_path / "c.md", "", "# Other\n\nDischarge planning starts on admission.")
    kb.ingest([tmp_path / "a.md", tmp_path / "b.md", tmp_path / "c.md"])

    results = kb.search("when is the ward safety huddle", 3)

    assert sum("safety huddle" in e.text for e in results) == 1


def test_empty_query_and_empty_index_return_nothing(kb: KnowledgeBase) -> None:
    assert kb.search("   ", 5) == []
    assert kb.search("anything at all", 5) == []


def test_rrf_rewards_agreement_between_lists() -> None:
    fused = reciprocal_rank_fusion([("a", 0.9), ("b", 0.8)], [("b", 7.0), ("c", 6.0)])
    assert [item for item, _ in fused][0] == "b"


def test_restore_missed_puts_back_only_what_exact_search_would_have_found() -> None:
    from knowledge.retrieval import restore_missed

    dense = [("a", 0.8), ("b", 0.5), ("c", 0.4)]
    # "x" is more similar than the last dense hit (approximate search missed it); "y" is not.
    restored = restore_missed(dense, {"x": 0.7, "y": 0.2, "a": 0.8})
    assert restored == [("a", 0.8), ("x", 0.7), ("b", 0.5), ("c", 0.4)]
    assert restore_missed(dense, {"y": 0.39}) == dense


def test_a_passage_approximate_search_misses_is_still_found(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HNSW can miss a passage's only copy in a graph crowded with identical vectors (seen with
    30 copies of one document, about 1 fresh process in 12): its exact similarity puts it back."""
    from knowledge.vectors import VectorCollection

    folder = tmp_path / "docs"
    folder.mkdir()
    make_markdown(folder / "huddles.md", "title: Huddles", "Teams hold a safety huddle at 8am.")
    make_markdown(folder / "purpose.md", "title: Purpose", "Our shared purpose was agreed in 2024.")
    kb.ingest([folder / "huddles.md", folder / "purpose.md"])
    real_query = VectorCollection.query

    def missing_huddles(self, vector, n, where=None):  # type: ignore[no-untyped-def]
        return [hit for hit in real_query(self, vector, n, where) if "huddle" not in
                kb.catalog.chunks_by_id([hit[0]])[hit[0]].text]  # fmt: skip

    monkeypatch.setattr(VectorCollection, "query", missing_huddles)
    found = kb.search("safety huddle", 3)
    assert found[0].title == "Huddles"
    assert found[0].similarity is not None and found[0].similarity > found[1].similarity


def test_reference_lists_are_not_indexed_as_passages(kb: KnowledgeBase, tmp_path: Path) -> None:
    body = (
        "# Guide\n\n## Huddles\n\nWards hold a huddle every morning.\n\n## Sources\n\n"
        "- https://example.org/huddles — the huddle guidance page, with a long description.\n"
        "- https://example.org/boards — board guidance on huddles and visits to wards.\n"
    )
    kb.ingest([make_markdown(tmp_path / "guide.md", "title: Guide", body)])
    results = kb.search("huddle guidance page", 5)
    assert results and all("https://" not in e.text for e in results)


def test_a_passage_is_cited_to_the_source_it_names(kb: KnowledgeBase) -> None:
    # A fresh tester's 2024 survey figure was cited to the 2023 survey's page: a bundled
    # document with several sources gave every passage its first one.
    kb.ingest_bundled()
    hits = kb.search("37% of trust leaders found NHS IMPACT helpful in 2024", 3)
    survey = next(h for h in hits if "37%" in h.text)
    assert (
        survey.url
        == "https://nhsproviders.org/state-of-the-provider-sector-2024/improvement-and-innovation"
    )
    # a passage that names no source is cited to the document's first
    overview = kb.search("What is NHS IMPACT?", 1)[0]
    assert overview.url is not None and overview.url.startswith("https://")


def test_the_table_of_a_matched_section_is_brought_into_the_evidence(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    from knowledge.context import with_tables

    rows = "\n".join(
        f"| Ward {name} | {rate} | {trained}% |"
        for name, rate, trained in [
            ("Heron", 6.1, 82), ("Kingfisher", 9.4, 64), ("Osprey", 3.2, 91), ("Wren", 5.0, 58),
            ("Curlew", 4.4, 77), ("Dunlin", 7.7, 69), ("Egret", 2.9, 88), ("Fulmar", 8.0, 71),
        ]
    )  # fmt: skip
    prose = " ".join(
        f"The falls group met in month {i} and looked again at the spread of falls rates between "
        "wards, the support offered by the falls practitioner and the training records."
        for i in range(1, 12)
    )
    make_markdown(
        tmp_path / "falls.md",
        "title: Falls prevention report",
        "# Falls prevention report\n\n## Ward rates\n\n"
        "| Ward | Falls per 1,000 bed days | Staff trained |\n|---|---|---|\n"
        f"{rows}\n\n{prose}\n\n## Other tables\n\n| Team | Visits |\n|---|---|\n"
        "| North | 12 |\n| South | 9 |\n",
    )
    assert not kb.ingest([tmp_path / "falls.md"]).failed
    found = [e for e in kb.search("falls group met spread of rates practitioner", 5)]
    prose_only = [e for e in found if "|" not in e.text and e.heading.endswith("Ward rates")][:1]
    assert prose_only, [e.text[:60] for e in found]  # the table is a passage of its own

    grown = with_tables(kb.catalog, prose_only)

    assert grown[0] == prose_only[0]
    assert [e.heading for e in grown[1:]] == [prose_only[0].heading]  # only its own section's
    assert "Ward Kingfisher | 9.4" in grown[1].text
    assert with_tables(kb.catalog, grown) == grown  # a table already there is not added again
