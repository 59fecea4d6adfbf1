"""The facilitation state machine: pure transitions over a pydantic state, in the room's order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from assistant import facilitation as fx
from assistant.errors import (
    ActionNotFound,
    InvalidInput,
    InvalidRating,
    QuestionNotFound,
    SessionClosed,
    WrongStage,
)
from assistant.session_model import SessionState
from assistant.session_views import session_view
from prompts.frameworks import load_framework

NOW = datetime(2025, 3, 6, 14, 0, tzinfo=UTC)
MEMBERS = ["Helen Ward", "Tom Patel", "Sarah Jones", "Ruth Ellis"]


def new(**overrides: object) -> SessionState:
    options: dict = {
        "session_id": "a" * 32,
        "tenant": "default",
        "board": "Anytown NHS FT Board",
        "organisation": "Anytown NHS FT",
        "meeting_date": date(2025, 3, 6),
        "now": NOW,
        "facilitator": "Dan Hughes",
        "participants": MEMBERS,
        "sections": ["c1", "c4"],
        **overrides,
    }
    return fx.new_session(load_framework("nhs-impact"), **options)


def run(state: SessionState, *events: fx.Event) -> SessionState:
    for i, event in enumerate(events):
        state, _ = fx.apply(state, event, actor="Dan Hughes", now=NOW + timedelta(minutes=i))
    return state


def rated(state: SessionState, *levels: int) -> SessionState:
    return run(
        state,
        *(
            fx.Rate(question="c1.r", member=m, level=v)
            for m, v in zip(MEMBERS, levels, strict=False)
        ),
    )


def test_a_new_session_holds_the_chosen_sections_questions_in_order() -> None:
    state = new()
    assert [q.id for q in state.questions] == [
        "c1.1",
        "c1.2",
        "c1.3",
        "c1.r",
        "c4.1",
        "c4.2",
        "c4.3",
        "c4.r",
    ]
    assert fx.phase(state) == "pending" and state.status == "open"


def test_sections_are_kept_in_the_framework_order_whatever_order_they_are_given() -> None:
    assert new(sections=["c4", "c1"]).sections == ["c1", "c4"]


def test_an_unknown_section_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(QuestionNotFound, match="its sections are c1, c2, c3, c4, c5"):
        new(sections=["c9"])


def test_private_ratings_then_the_spread_then_the_agreed_rating() -> None:
    state = rated(new(), 2, 3, 2, 4)
    assert fx.phase(run(state, fx.Move(to="c1.r"))) == "rating"
    view = session_view(state)["questions"][3]["ratings"]
    assert view == {
        "count": 4,
        "members": sorted(MEMBERS),
        "spread_shown": False,
        "spread": None,
        "min": None,
        "max": None,
    }
    state = run(state, fx.ShowSpread(question="c1.r"))
    view = session_view(state)["questions"][3]["ratings"]
    assert view["spread"] == {"1": 0, "2": 2, "3": 1, "4": 1, "5": 0}
    assert (view["min"], view["max"]) == (2, 4)
    state = run(
        state, fx.Agree(question="c1.r", level=2, rationale="Pockets of good practice only")
    )
    record = state.question("c1.r")
    assert record is not None and record.agreed == 2 and record.stage == "agreed"


def test_the_spread_never_carries_an_average_or_individual_ratings() -> None:
    state = run(rated(new(), 1, 5), fx.ShowSpread(question="c1.r"))
    ratings = session_view(state)["questions"][3]["ratings"]
    assert not {"average", "mean", "median", "individual"} & set(ratings)
    assert 3 not in ratings["spread"].values() and "Helen Ward" not in str(ratings["spread"])


def test_an_agreed_rating_before_the_spread_is_shown_is_refused() -> None:
    state = rated(new(), 2, 3)
    with pytest.raises(WrongStage, match="private ratings first, then show the spread"):
        run(state, fx.Agree(question="c1.r", level=2, rationale="x"))
    with pytest.raises(WrongStage, match="record private ratings first"):
        run(new(), fx.ShowSpread(question="c1.r"))


def test_a_rating_outside_the_scale_is_refused_and_nothing_changes() -> None:
    state = rated(new(), 2)
    before = state.model_dump()
    with pytest.raises(
        InvalidRating, match="outside the nhs-impact scale: use a whole number from 1 to 5"
    ):
        run(state, fx.Rate(question="c1.r", member="Tom Patel", level=6))
    with pytest.raises(InvalidRating):
        run(state, fx.Rate(question="c1.r", member="Tom Patel", level=0))
    assert state.model_dump() == before


def test_discussion_questions_take_no_rating() -> None:
    with pytest.raises(
        InvalidRating, match="c1.1 is a discussion question and takes no rating; rate c1.r"
    ):
        run(new(), fx.Rate(question="c1.1", member="Tom Patel", level=3))


def test_members_are_matched_to_the_participants() -> None:
    state = run(new(), fx.Rate(question="c1.r", member="  tom   patel ", level=3))
    assert state.question("c1.r").ratings == {"Tom Patel": 3}  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="'Tom Patle' is not a participant"):
        run(new(), fx.Rate(question="c1.r", member="Tom Patle", level=3))


def test_ratings_close_once_the_spread_is_shown_until_the_question_is_revisited() -> None:
    state = run(rated(new(), 2, 3), fx.ShowSpread(question="c1.r"))
    with pytest.raises(WrongStage, match="ratings close once the spread is shown"):
        run(state, fx.Rate(question="c1.r", member="Ruth Ellis", level=1))
    state = run(state, fx.Revisit(question="c1.r", reopen_rating=True))
    record = state.question("c1.r")
    assert record is not None and record.stage == "rating" and record.ratings == {}


def test_an_agreed_rating_needs_a_rationale() -> None:
    state = run(rated(new(), 2), fx.ShowSpread(question="c1.r"))
    with pytest.raises(InvalidInput, match="rationale"):
        run(state, fx.Agree(question="c1.r", level=2, rationale="  "))


def _agreed(level: int = 2) -> SessionState:
    return run(
        rated(new(), 2, 3),
        fx.ShowSpread(question="c1.r"),
        fx.Agree(question="c1.r", level=level, rationale="Plans, little evidence"),
    )


def test_targets_below_the_agreed_rating_or_before_the_meeting_are_refused() -> None:
    state = _agreed(3)
    with pytest.raises(InvalidRating, match="below the agreed rating"):
        run(state, fx.SetTarget(question="c1.r", level=2, by=date(2026, 3, 31)))
    with pytest.raises(InvalidInput, match="must be after the meeting"):
        run(state, fx.SetTarget(question="c1.r", level=4, by=date(2025, 3, 1)))
    with pytest.raises(WrongStage, match="agree the current rating"):
        run(new(), fx.SetTarget(question="c1.r", level=4, by=date(2026, 3, 31)))


def test_a_rating_gap_proposes_a_draft_action_that_follows_the_rating() -> None:
    state = run(_agreed(2), fx.SetTarget(question="c1.r", level=4, by=date(2026, 3, 31)))
    [gap] = state.actions
    assert gap.status == "draft" and gap.owner is None and gap.due == date(2026, 3, 31)
    assert gap.source.kind == "gap" and gap.source.gap == "agreed 2, target 4 by 2026-03-31"
    assert gap.priority == "high" and "Level 2 to Level 4" in gap.text
    state = run(state, fx.Agree(question="c1.r", level=3, rationale="On reflection, better"))
    assert [a.priority for a in state.actions] == [
        "medium"
    ] and "Level 3 to Level 4" in state.actions[0].text
    state = run(state, fx.Agree(question="c1.r", level=4, rationale="We meet the target"))
    assert state.actions[0].status == "dropped"


def test_skip_back_next_and_goto_move_through_the_session() -> None:
    state = run(new(), fx.Skip(question="c1.1", reason="covered last month"))
    assert state.question("c1.1").stage == "skipped" and state.cursor == 1  # type: ignore[union-attr]
    state = run(state, fx.Move(to="back"))
    assert state.cursor == 0
    state = run(state, fx.Move(to="c1.r"), fx.Move(to="next"))
    assert fx.phase(state) == "section_summary"
    state = run(state, fx.Summarise(section="c1", text="Vision not yet co-produced."))
    assert fx.steps.positions(state)[state.cursor] == ("question", "c4.1")
    state = run(state, fx.Revisit(question="c1.1"))
    assert state.question("c1.1").stage == "discussing" and state.cursor == 0  # type: ignore[union-attr]


def test_an_unknown_question_names_the_valid_ones() -> None:
    with pytest.raises(QuestionNotFound, match="its questions are c1.1, c1.2, c1.3, c1.r, c4.1"):
        run(new(), fx.AddNotes(question="c2.1", text="x"))


def test_apply_never_changes_its_input() -> None:
    state = new()
    before = state.model_dump()
    after, change = fx.apply(
        state, fx.AddNotes(question="c1.1", text="Good debate"), actor="Dan", now=NOW
    )
    assert state.model_dump() == before and after.version == state.version + 1
    assert change.kind == "notes" and change.detail["text"] == "Good debate"


def test_drafts_must_quote_the_notes() -> None:
    state = run(new(), fx.AddNotes(question="c1.1", text="Tom will cost the programme."))
    draft = fx.ActionDraft(
        text="Cost it", owner="Tom", question="c1.1", quote="Tom will cost the programme."
    )
    state = run(state, fx.ProposeActions(actions=[draft]))
    assert [a.ref for a in state.actions] == ["A1"]
    assert run(state, fx.ProposeActions(actions=[draft])).actions == state.actions  # no duplicate
    invented = draft.model_copy(update={"quote": "Tom will resign."})
    with pytest.raises(InvalidInput, match="not in the notes"):
        run(state, fx.ProposeActions(actions=[invented]))


def test_an_action_is_agreed_only_with_an_owner() -> None:
    state = run(_agreed(2), fx.SetTarget(question="c1.r", level=3, by=date(2026, 3, 31)))
    with pytest.raises(InvalidInput, match="has no owner"):
        run(state, fx.EditAction(ref="A1", changes={"status": "agreed"}))
    state = run(state, fx.EditAction(ref="a1", changes={"status": "agreed", "owner": "Helen Ward"}))
    assert state.actions[0].status == "agreed"
    with pytest.raises(ActionNotFound, match="actions: A1"):
        run(state, fx.EditAction(ref="A7", changes={"status": "done"}))
    with pytest.raises(InvalidInput, match="not one of draft, agreed, done, dropped"):
        run(state, fx.EditAction(ref="A1", changes={"status": "finished"}))


def test_a_closed_session_refuses_everything_but_action_updates() -> None:
    state = run(_agreed(2), fx.SetTarget(question="c1.r", level=3, by=date(2026, 3, 31)))
    state = run(
        state,
        fx.EditAction(ref="A1", changes={"owner": "Helen Ward", "status": "agreed"}),
        fx.Close(),
    )
    assert state.status == "closed" and fx.phase(state) == "closed"
    with pytest.raises(SessionClosed, match="only its actions can still be updated"):
        run(state, fx.AddNotes(question="c1.1", text="late thought"))
    state = run(state, fx.EditAction(ref="A1", changes={"status": "done"}))
    assert state.actions[0].status == "done"


def test_the_state_machine_prints_itself_as_mermaid() -> None:
    diagram = fx.mermaid()
    assert diagram.startswith("stateDiagram-v2")
    for before, _, after in fx.QUESTION_TRANSITIONS:
        assert f"{before} --> {after}" in diagram or before == after
    assert "rating --> spread_shown: show spread" in diagram
    assert "spread_shown --> agreed: agreed rating + rationale" in diagram
    assert "open --> closed: close" in diagram


def test_the_readme_shows_the_current_state_machine() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "```mermaid\n" + fx.mermaid() + "```" in readme
