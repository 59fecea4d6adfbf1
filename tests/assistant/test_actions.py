"""Action notes drafted from realistic board notes by rules: owners never guessed, dates resolved."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.actions import extract_actions
from assistant.duedates import find_due, parse_date

MEETING = date(2025, 3, 6)  # a Thursday in Q4 of the NHS financial year 2024/25
BOARD = ["Helen Ward", "Tom Patel", "Sarah Jones", "Amir Khan", "Dan Hughes"]


def drafts(text: str, meeting: date = MEETING, next_board: date | None = None) -> list[tuple]:
    return [(d.owner, d.due, d.quote) for d in extract_actions(text, meeting, next_board, BOARD)]


def test_several_actions_in_one_note_each_with_its_owner_and_date() -> None:
    note = (
        "A lively discussion of how the vision was written. Sarah Jones will run three staff "
        "listening sessions by the end of April, and the CFO will set out the cost of patient "
        "partner payments within six weeks. Dan to add the vision refresh to the forward plan."
    )
    found = drafts(note)
    assert [(owner, due) for owner, due, _ in found] == [
        ("Sarah Jones", date(2025, 4, 30)),
        ("the CFO", date(2025, 4, 17)),
        ("Dan", None),
    ]
    assert found[1][2].startswith("the CFO will set out the cost of patient partner payments")
    for _, _, quote in found:
        assert quote in " ".join(note.split())  # the exact words the action came from


def test_a_note_with_no_commitment_gives_no_action() -> None:
    note = (
        "Members felt the purpose statement is well known in corporate teams but less so on the "
        "wards. Helen observed that the board rarely hears from patient partners directly, "
        "and the chief executive wants to see more frontline voices at development sessions."
    )
    assert drafts(note) == []


def test_a_passive_forecast_is_at_most_a_low_confidence_draft_with_no_owner() -> None:
    # Known limit: "X will be done by <date>" with nobody named reads like a commitment.
    [draft] = extract_actions(
        "The staff survey results will be published in March.", MEETING, None, BOARD
    )
    assert draft.owner is None and draft.confidence == "low"


def test_negative_sentences_give_no_action() -> None:
    note = (
        "We will not be commissioning an external review this year. The board agreed not to "
        "add a new KPI. No action needed on the coaching offer."
    )
    assert drafts(note) == []


def test_a_negation_does_not_hide_the_commitment_next_to_it() -> None:
    [(owner, due, quote)] = drafts(
        "We won't change the method, but Amir will write to divisional leads by Friday."
    )
    assert owner == "Amir" and due == date(2025, 3, 7) and quote.startswith("Amir will write")


def test_hedges_are_not_actions() -> None:
    note = (
        "We might consider a peer visit to Salford. The CFO could look at protected time. "
        "It may be worth asking the ICB whether it would fund coaching."
    )
    assert drafts(note) == []


def test_owners_are_never_guessed() -> None:
    [(owner, due, _)] = drafts(
        "It was agreed that the improvement dashboard would be refreshed before the next board."
    )
    assert owner is None and due is None  # no owner was said; the next board's date is not known
    [(owner, _, _)] = drafts(
        "Agreed: a paper on protected improvement time to come to the May board."
    )
    assert owner is None


def test_we_and_the_board_are_a_collective_owner_only_when_said() -> None:
    [(owner, due, _)] = drafts(
        "We agreed to hold a development session on culture by the end of the quarter."
    )
    assert owner == "the board" and due == date(2025, 3, 31)


def test_before_the_next_board_resolves_only_when_its_date_is_known() -> None:
    note = "Tom Patel to circulate the costed options before the next board."
    assert drafts(note)[0][1] is None
    assert drafts(note, next_board=date(2025, 4, 3))[0][1] == date(2025, 4, 3)


def test_owner_and_due_lines_complete_an_action_line() -> None:
    note = "ACTION: Refresh the board development plan to include coaching.\nOwner: the Chair\nDue: 30/06/2025"
    [(owner, due, quote)] = drafts(note)
    assert (
        owner == "the Chair" and due == date(2025, 6, 30) and quote.startswith("Refresh the board")
    )


def test_action_log_rows_and_initials() -> None:
    note = (
        "Actions\n"
        "- HW – agree NED champion for improvement – 31 March\n"
        "- Map improvement-trained staff by division (Director of Improvement, by Q1)\n"
        "TP to share the coaching business case next month."
    )
    found = drafts(note)
    assert [(o, d) for o, d, _ in found] == [
        ("HW", date(2025, 3, 31)),
        ("Director of Improvement", date(2025, 6, 30)),
        ("TP", date(2025, 4, 30)),
    ]


def test_roles_are_owners_things_are_not() -> None:
    found = drafts(
        "The director of nursing will pilot executive huddle visits. The new system will "
        "go live in June. The quality committee to review the measures twice a year."
    )
    assert [o for o, _, _ in found] == ["the director of nursing", "the quality committee"]


def test_a_pronoun_takes_the_person_named_before_it() -> None:
    [(owner, _, _)] = drafts(
        "Tom Patel presented the finance view. He confirmed he would produce a costed plan by June."
    )
    assert owner == "Tom Patel"


def test_past_commitments_are_not_new_actions() -> None:
    assert (
        drafts("At the last meeting we agreed to review the training offer; this is now done.")
        == []
    )


@pytest.mark.parametrize(
    ("words", "meeting", "expected"),
    [
        ("by the end of March", date(2025, 3, 6), date(2025, 3, 31)),
        ("by the end of March", date(2025, 4, 2), date(2026, 3, 31)),  # the next 31 March
        ("within six weeks", date(2025, 3, 6), date(2025, 4, 17)),
        ("within 3 months", date(2025, 11, 30), date(2026, 2, 28)),
        ("next month", date(2025, 12, 10), date(2026, 1, 31)),
        ("by Q3", date(2025, 4, 10), date(2025, 12, 31)),  # NHS financial year: Q3 is Oct-Dec
        ("by Q1", date(2025, 5, 10), date(2025, 6, 30)),
        ("by Q1", date(2025, 8, 10), date(2026, 6, 30)),
        ("by the end of the quarter", date(2025, 2, 10), date(2025, 3, 31)),
        ("by the end of the financial year", date(2025, 6, 5), date(2026, 3, 31)),
        ("by year end", date(2025, 2, 5), date(2025, 3, 31)),
        ("by the end of the year", date(2025, 2, 5), date(2025, 12, 31)),
        ("on 2025-07-01", date(2025, 3, 6), date(2025, 7, 1)),
        ("by 14 May", date(2025, 3, 6), date(2025, 5, 14)),
        ("by 3 January", date(2025, 11, 6), date(2026, 1, 3)),
        ("by Friday", date(2025, 3, 7), date(2025, 3, 14)),  # a Friday meeting: the next Friday
        ("in the autumn", date(2025, 3, 6), None),
    ],
)
def test_due_dates_resolve_from_the_meeting(
    words: str, meeting: date, expected: date | None
) -> None:
    found = find_due(f"Tom will report {words}.", meeting)
    assert (found.date if found else None) == expected


def test_parse_date_reads_absolute_dates_only() -> None:
    assert parse_date("31/03/2026") == date(2026, 3, 31)
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    assert parse_date("next month") is None


def test_an_action_line_inside_a_paragraph_is_read_with_its_owner_and_due() -> None:
    note = (
        "Our faculty is well regarded by two neighbouring trusts. Action: set up a quarterly peer "
        "exchange with them. Owner: Director of Improvement. Due: end of Q4."
    )
    [(owner, due, quote)] = drafts(note)
    assert owner == "Director of Improvement" and due == date(2025, 3, 31)
    assert quote == "set up a quarterly peer exchange with them."
