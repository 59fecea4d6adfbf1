"""Abstention signals a user would notice: names found under their acronyms, gaps weighed by rarity."""

from __future__ import annotations

from assistant.abstention import _mentioned, idf_weights, rare_share
from knowledge import Evidence


def _passage(text: str, title: str = "A paper") -> Evidence:
    return Evidence(
        id="p1", text=text, score=1.0, title=title, source="paper.md", page=None, heading="",
        tags={}, similarity=0.6,
    )  # fmt: skip


def test_an_acronym_is_mentioned_by_the_words_that_spell_it() -> None:
    assert _mentioned("NHSE", "Returns are not collected by NHS England.")
    assert _mentioned("NIB", "The National Improvement Board met in September.")
    assert _mentioned("QSIR", "Quality, Service Improvement and Redesign is cited most.")
    assert _mentioned("CQC", "Inspections by the Care Quality Commission.")
    # A name's short form often leaves out an abbreviation inside it.
    assert _mentioned("ELFT", "East London NHS Foundation Trust trained its whole board.")


def test_two_names_joined_by_and_are_mentioned_when_both_are() -> None:
    text = "A guide from the King's Fund, and a report by the Health Foundation."
    assert _mentioned("Fund and Health Foundation", text)
    assert not _mentioned("Fund and Nuffield Trust", text)


def test_an_acronym_is_not_mentioned_by_unrelated_words() -> None:
    assert not _mentioned("NHSE", "The NHS said little about it.")
    assert not _mentioned("ELFT", "East London NHS trusts took part.")
    assert not _mentioned("Scotland", "NHS England and the Health Foundation.")


def test_a_missing_rare_term_weighs_more_than_a_missing_common_one() -> None:
    idf = idf_weights({"scotland": 0, "board": 150, "matur": 40}, 200)
    tokens = str.split

    rare_missing = rare_share(idf, tokens, [_passage("board matur")])
    common_missing = rare_share(idf, tokens, [_passage("scotland matur")])

    assert rare_missing > 0.5 > common_missing
    assert rare_share(idf, tokens, [_passage("scotland board matur")]) == 0.0
