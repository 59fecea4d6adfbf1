"""Who holds a role in a named body is answered only where the role and the body meet."""

from __future__ import annotations

from pathlib import Path

from knowledge import KnowledgeBase
from tests.assistant.papers_support import answerer_with_papers

HANDBOOK = """# Riverside governance handbook

## Committees of the board

The Quality Committee is chaired by Dr Mira Patel, a non-executive director, and meets monthly.
Investment decisions of more than £100,000 are referred to the Finance and Performance Committee.

## Audit

The internal audit plan is agreed each spring by the board.
"""


def test_who_chairs_a_committee_the_papers_only_mention_is_declined(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    # Three fresh testers asked "Who chairs our Finance and Performance Committee?" of papers
    # that only mention it; the answer named another committee's chair.
    answerer = answerer_with_papers(kb, tmp_path / "docs", handbook=HANDBOOK)
    quality = answerer.answer("Who chairs the Quality Committee?")
    assert not quality.abstained and "Mira Patel" in quality.text
    for question in (
        "Who chairs the Finance and Performance Committee?",
        "Who chairs our Finance and Performance Committee?",
    ):
        result = answerer.answer(question)
        assert result.abstained, result.text
        assert "do not say who chairs" in result.text and "Finance and Performance" in result.text
        assert "Mira Patel" not in result.text
