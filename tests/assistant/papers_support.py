"""An answerer over a knowledge base after indexing a few Markdown papers written by a test, and
a passage of evidence made by hand."""

from __future__ import annotations

from pathlib import Path

from assistant.answering import Answerer
from knowledge import Evidence, KnowledgeBase


def answerer_with_papers(kb: KnowledgeBase, folder: Path, **papers: str) -> Answerer:
    """Index these Markdown papers (name: text) from `folder`, then answer over the whole base."""
    folder.mkdir(exist_ok=True)
    for name, text in papers.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    assert not kb.ingest([folder]).failed
    return Answerer(kb)


def passage(text: str, *, title: str = "Guide", heading: str = "About") -> Evidence:
    """A retrieved passage made by hand, for the checks that read evidence."""
    return Evidence(
        id="p", text=text, score=1.0, title=title, source="g.md", page=None, heading=heading,
        tags={}, similarity=0.6,
    )  # fmt: skip
