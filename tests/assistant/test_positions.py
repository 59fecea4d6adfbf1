"""An item asked for by its place ("the fifth rule") in a list the knowledge base stops short of."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.positions import PositionGap, asked_position
from knowledge import KnowledgeBase
from tests.assistant.papers_support import answerer_with_papers

RULES = """# Garden club handbook

## Five rules for new volunteers

The club's handbook sets out five rules for new volunteers. The rules it gives include:

- sign in at the shed before starting work;
- wear gloves when handling compost;
- return every tool to its hook at the end of the day;
- tell the duty keeper before leaving early.

## Opening hours

The garden opens at nine every Saturday from March to October.
"""


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What is the fifth rule for new volunteers?", ("rule", 5)),
        ("What are rules 3 to 5?", ("rule", 5)),
        ("What are principles three, four and five?", ("principle", 5)),
        ("What's the eighth well-led quality statement for trusts?", ("statement", 8)),
        ("When did the board first meet?", None),  # "first" is also "earliest"
        ("What came second in the survey?", None),
        ("What is component 5 about?", None),  # a name, not a place in a list
    ],
)
def test_the_place_a_question_asks_for(question: str, asked: tuple[str, int] | None) -> None:
    assert asked_position(question) == asked


def test_a_place_past_the_end_of_the_list_is_declined_and_one_inside_it_answered(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    answerer = answerer_with_papers(kb, tmp_path / "docs", handbook=RULES)
    for question in ("What is the fifth rule for new volunteers?", "What are rules 3 to 5?"):
        result = answerer.answer(question)
        assert result.abstained, result.text
        assert "only four rules" in result.text and "fifth" in result.text
    third = answerer.answer("What is the third rule for new volunteers?")
    assert not third.abstained
    assert "return every tool to its hook" in third.text.lower()


def test_a_place_past_a_count_the_papers_state_is_declined_when_no_list_is_retrieved(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    # A fresh user's "What is the sixth component?" was answered with component 3's text: the
    # list of components was not among the passages found, only "Of the five components, ...".
    notes = (
        "# Board notes\n\n## The third component\n\n"
        "Of the five components, this is the one that speaks most directly to the board. It is "
        "about how leaders behave.\n"
    )
    answerer = answerer_with_papers(kb, tmp_path / "docs", notes=notes)
    result = answerer.answer("What is the sixth component?")
    assert result.abstained, result.text
    assert "only five components" in result.text and "sixth" in result.text


def test_the_reason_reads_an_eighth_not_a_eighth() -> None:
    assert PositionGap("statement", 8, 7).reason().endswith("do not give an eighth")
    assert PositionGap("rule", 5, 4).reason().endswith("do not give a fifth")
