"""A list question answered by a list of something else is declined, not shown the wrong list."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering import Answerer
from assistant.questions import asked_noun
from knowledge import KnowledgeBase
from tests.assistant.papers_support import answerer_with_papers

REVIEW = """# Riverside library annual review 2025

## Services in 2025

During 2025 the library offered these services to residents:

- a home delivery service for housebound readers;
- weekly storytime sessions for children;
- free computer and printing access;
- a quiet study room open until eight in the evening.

## Staffing

The library is run by six staff and twenty volunteers.
"""


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("What are the five components of NHS IMPACT?", "components"),
        ("What practical lessons about staff time came out of the study?", "lessons"),
        ("Which kinds of provider was it designed for?", "provider"),
        ("What are the ways NHS providers told the baseline ...?", "ways"),
        ("What are the CQC well-led quality statements?", "statements"),
        ("What methods and sample size did the evaluation use?", "methods"),
        ("What themes came out of the rapid evaluation?", "themes"),  # not "out"
        ("Which ward managers attended the launch?", "managers"),
        ("... and what are its domains?", "domains"),  # a possessive, as "the" is
        ("What were their main themes?", "themes"),
        ("What exactly does the page list?", None),  # no noun asked for
        ("What is it?", None),
        ("Who chairs the board?", None),
        # whose they are is not what is asked for (tester31)
        ("What are the Riverside Garden Club's six rules?", "rules"),
        ("What are the board's responsibilities?", "responsibilities"),
    ],
)
def test_the_noun_a_question_asks_for(question: str, noun: str | None) -> None:
    assert asked_noun(question) == noun


@pytest.fixture
def review(tmp_path: Path, kb: KnowledgeBase) -> Answerer:
    """An answerer over the library's annual review (its list of four services)."""
    return answerer_with_papers(kb, tmp_path / "docs", review=REVIEW)


def test_a_list_of_something_else_is_declined_and_the_list_asked_for_answered(
    review: Answerer,
) -> None:
    answerer = review
    services = answerer.answer("What services did the library offer in 2025?")
    assert not services.abstained, services.text
    assert "home delivery" in services.text and "quiet study room" in services.text
    kinds = answerer.answer("Which kinds of service did the library offer?")
    assert not kinds.abstained and "storytime" in kinds.text
    for question, noun in (
        ("What fees did the library charge for its services in 2025?", "fees"),
        ("What complaints did residents make about the library services?", "complaints"),
    ):
        result = answerer.answer(question)
        assert result.abstained, result.text
        assert f"a list of {noun}" in result.text
        assert "home delivery" not in result.text


def test_a_list_of_as_many_items_as_asked_for_answers_whatever_it_calls_them(
    review: Answerer,
) -> None:
    # "What are the five building blocks of NHS IMPACT?" is answered by the five components
    answerer = review
    four = answerer.answer("What were the four perks the library gave residents in 2025?")
    assert not four.abstained, four.text
    assert "home delivery" in four.text and "quiet study room" in four.text
    # a count the list does not hold gets no such pass
    six = answerer.answer("What were the six perks the library gave residents in 2025?")
    assert six.abstained and "home delivery" not in six.text, six.text


CHARTER = """# The Riverside reading charter

## About the charter

The library board published the Riverside reading charter on 3 May 2024. It applies to every
branch and to the mobile library.

## Its four pillars

The charter groups its commitments into four pillars:

- reading for pleasure at every age;
- digital inclusion for residents without a computer at home;
- learning through talks, clubs and courses;
- a welcoming and quiet space in every branch.
"""


def test_the_list_a_second_part_asks_for_with_its_is_shown(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    # A fresh tester's "When was the Leadership Competency Framework for board members
    # published, and what are its domains?" got the date alone: "its" was not read as "the".
    answerer = answerer_with_papers(kb, tmp_path / "docs", charter=CHARTER)
    result = answerer.answer(
        "When was the Riverside reading charter published, and what are its pillars?"
    )
    assert not result.abstained, result.text
    assert "3 May 2024" in result.text
    assert "digital inclusion" in result.text.lower()
    assert "welcoming and quiet space" in result.text.lower()


PILOT = """# The branch reading pilot

## Who took part

The library board ran a reading pilot in 2025. Five branches took part. Each set up its own
reading group for adults and reported back to the board in December.
"""


def test_a_list_asked_for_by_number_is_declined_when_only_the_number_is_given(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    # Three fresh testers asked "Which five trusts took part in the NHS partnership with the
    # Virginia Mason Institute?" and got "Five NHS trusts took part.": the number, not the trusts.
    question = "Which five branches took part in the reading pilot?"
    answerer = answerer_with_papers(kb, tmp_path / "docs", pilot=PILOT)
    result = answerer.answer(question)
    assert result.abstained and "a list of five branches" in result.text, result.text
    named = PILOT.replace(
        "Five branches took part.",
        "Five branches took part: Ashby, Brookfield, Cranmore, Dalton and Elmstead.",
    )
    answerer = answerer_with_papers(kb, tmp_path / "docs", pilot=named)
    result = answerer.answer(question)
    assert not result.abstained and "Cranmore" in result.text, result.text
