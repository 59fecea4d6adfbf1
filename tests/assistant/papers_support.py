"""An answerer over a knowledge base after indexing a few Markdown papers written by a test."""

from __future__ import annotations

from pathlib import Path

from assistant.answering import Answerer
from knowledge import KnowledgeBase


def answerer_with_papers(kb: KnowledgeBase, folder: Path, **papers: str) -> Answerer:
    """Index these Markdown papers (name: text) from `folder`, then answer over the whole base."""
    folder.mkdir(exist_ok=True)
    for name, text in papers.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    assert not kb.ingest([folder]).failed
    return Answerer(kb)
