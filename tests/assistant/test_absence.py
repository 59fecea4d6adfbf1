"""The "this is not available" sentence classifier, on held-out exemplars it never learned from."""

from __future__ import annotations

from assistant.absence import ABSENT_THRESHOLD, absence_scores, held_out


def test_held_out_absence_sentences_are_recognised_and_ordinary_ones_are_not() -> None:
    absent, ordinary = held_out()
    hits = sum(s >= ABSENT_THRESHOLD for s in absence_scores(absent))
    false = sum(s >= ABSENT_THRESHOLD for s in absence_scores(ordinary))

    assert hits / len(absent) >= 0.7
    assert false / len(ordinary) <= 0.05


def test_a_negative_fact_is_not_read_as_missing_information() -> None:
    negative, missing = absence_scores(
        [
            "Staff do not need to book a place before the session.",
            "The leaflet does not say who wrote it.",
        ]
    )

    assert negative < ABSENT_THRESHOLD <= missing
