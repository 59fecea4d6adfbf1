"""Abstention signals a user would notice: names found under their acronyms, gaps weighed by rarity."""

from __future__ import annotations

from dataclasses import replace

from assistant.abstention import (
    Signals,
    calibration,
    decline_reason,
    evidence_coverage,
    idf_weights,
    mentions,
    names_missing,
    rare_share,
)
from assistant.questions import analyse
from knowledge import Evidence


def _passage(text: str, title: str = "A paper") -> Evidence:
    return Evidence(
        id="p1", text=text, score=1.0, title=title, source="paper.md", page=None, heading="",
        tags={}, similarity=0.6,
    )  # fmt: skip


def test_an_acronym_is_mentioned_by_the_words_that_spell_it() -> None:
    assert mentions("NHSE", "Returns are not collected by NHS England.")
    assert mentions("NIB", "The National Improvement Board met in September.")
    assert mentions("QSIR", "Quality, Service Improvement and Redesign is cited most.")
    assert mentions("CQC", "Inspections by the Care Quality Commission.")
    # A name's short form often leaves out an abbreviation inside it.
    assert mentions("ELFT", "East London NHS Foundation Trust trained its whole board.")
    # in lower case too, one word a letter, as running text writes "quality improvement"
    assert mentions("QI", "Leaders kept a focus on quality improvement.")


def test_an_acronym_asked_is_covered_by_the_words_that_spell_it() -> None:
    # tester50's "does the self assessment get sent up to NHSE or is it just for internal use"
    # was refused, its "NHSE" counted missing from "NHS England would not collect ..."
    q = analyse("Is the self-assessment sent to NHSE?")
    spelt = _passage("NHS England would not collect the self-assessment once it was sent.")
    unrelated = _passage("The NHS would not collect the self-assessment once it was sent.")
    assert evidence_coverage(q, [spelt]) == 1.0
    assert evidence_coverage(q, [unrelated]) < 1.0


def test_two_names_joined_by_and_are_mentioned_when_both_are() -> None:
    text = "A guide from the King's Fund, and a report by the Health Foundation."
    assert mentions("Fund and Health Foundation", text)
    assert not mentions("Fund and Nuffield Trust", text)


def test_an_acronym_is_not_mentioned_by_unrelated_words() -> None:
    assert not mentions("NHSE", "The NHS said little about it.")
    assert not mentions("ELFT", "East London NHS trusts took part.")
    assert not mentions("Scotland", "NHS England and the Health Foundation.")
    # "in" is not a word an acronym is made of, and the letters must be the words' first
    assert not mentions("QI", "Quality in the north west.")
    assert not mentions("QI", "Equity improved.")
    # an acronym inside a longer word is not it (tester30's "the MD or the COO")
    assert not mentions("COO", "Better cooperation between teams.")
    assert mentions("COO", "The COO signs job plans off.")
    assert mentions("NED", "Two NEDs sit on the committee.")


def test_a_word_qualifying_a_name_does_not_make_it_another_name() -> None:
    # tester53's "the American Virginia Mason Institute" had been declined as unmentioned
    text = (
        "Five trusts partnered with the Virginia Mason Institute. East London NHS Foundation Trust"
    )
    assert mentions("American Virginia Mason Institute", text)
    # a name inside a longer name is not the same body, and a one-word name keeps its qualifier
    assert not mentions("North London NHS Foundation Trust", text)
    assert not mentions("Scottish Institute", text)
    assert not mentions("Seattle Virginia Mason Clinic", text)


def test_a_missing_rare_term_weighs_more_than_a_missing_common_one() -> None:
    idf = idf_weights({"scotland": 0, "board": 150, "matur": 40}, 200)
    tokens = str.split

    rare_missing = rare_share(idf, tokens, [_passage("board matur")])
    common_missing = rare_share(idf, tokens, [_passage("scotland matur")])

    assert rare_missing > 0.5 > common_missing
    assert rare_share(idf, tokens, [_passage("scotland board matur")]) == 0.0


def test_a_decline_says_a_name_is_unmentioned_only_when_no_document_mentions_it() -> None:
    # A fresh tester was told "its documents do not mention Sheffield Teaching Hospitals",
    # which the pack does mention (outside the passages retrieved for that question).
    q = analyse("What did the CQC rate Sheffield Teaching Hospitals at its last inspection?")
    signals = Signals(0.5, 0.5, 0.4, 1.0, 0.4, 1.0, 0.0, 0.0, 0.8)
    evidence = [_passage("The CQC rates trusts on five key questions.")]
    _, alone = decline_reason(q, signals, evidence)
    assert alone == "its documents do not mention Sheffield Teaching Hospitals"
    _, looked_up = decline_reason(q, signals, evidence, lambda name: "Sheffield" in name)
    assert "Sheffield" not in looked_up
    assert looked_up == "no passage answers it directly"


def test_names_offered_as_alternatives_are_found_when_one_of_them_is() -> None:
    # tester51's "do we have to submit our self assesment scores to NHSE or the ICB?" was
    # refused as "its documents do not mention ICB", beside a passage on NHS England's decision
    q = analyse("Do we submit our scores to NHSE or the ICB after the session?")
    assert names_missing(q, "NHS England would not collect the completed self-assessments.") == 0
    assert names_missing(q, "Boards discuss the scores in a session.") == 1.0
    # names asked about together are each needed
    both = analyse("Did NHSE and the CQC publish the framework together?")
    assert names_missing(both, "NHS England published the framework.") == 0.5
    # and a decline names what none of the passages mention
    signals = Signals(0.5, 0.5, 0.4, 1.0, 0.4, 1.0, 0.0, 0.0, 0.8)
    evidence = [_passage("Boards discuss the scores in a session.")]
    assert decline_reason(q, signals, evidence)[1] == "its documents do not mention NHSE"


def test_weak_evidence_missing_the_questions_rare_words_is_declined() -> None:
    """tester33's "What's the deadline for publishing our annual quality account this year?" was
    answered from a passage on the Flow Coaching Academy's awards (similarity 0.36; 0.71 of the
    question's idf weight missing)."""
    cal = calibration()
    strong = Signals(
        similarity=0.7, evidence_coverage=1.0, answer_coverage=1.0, answer_type=1.0,
        sentence_similarity=0.7, names_missing=0.0, document_missing=0.0, negated=0.0,
        rare_missing=0.0,
    )  # fmt: skip
    assert not cal.weak(strong)
    weak = replace(strong, similarity=0.36, rare_missing=0.71)
    assert cal.weak(weak)
    # weak in meaning alone, or missing rare words alone, is not enough
    assert not cal.weak(replace(weak, rare_missing=0.4))
    assert not cal.weak(replace(weak, similarity=0.55))
