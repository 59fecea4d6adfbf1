"""Actions drafted by an LLM: validated structured output, quotes checked, owners never invented."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from assistant.action_drafting import Drafter
from assistant.llm import make_chat_model
from assistant.session_service import SessionService, make_drafter
from assistant.settings import load_settings
from tests.assistant.fake_openai import Behaviour, FakeOpenAI
from tests.assistant.sessions_support import MEMBERS, sqlite_store

NOTES = (
    "Good discussion about the vision. Sarah Jones will run two listening events with patient "
    "partners by the end of April. We might consider a peer visit later in the year."
)


def drafter(server: FakeOpenAI) -> Drafter:
    return Drafter(make_chat_model("openai", server.url, "fake-model", timeout_s=5, max_retries=0))


def reply(*actions: dict) -> str:
    return json.dumps({"actions": list(actions)})


def test_a_valid_reply_becomes_checked_drafts(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = (
        "```json\n"
        + reply(
            {
                "action": "run two listening events with patient partners",
                "owner": "Sarah Jones",
                "due_words": "by the end of April",
                "quote": "Sarah Jones will run two listening events with patient partners by the end of April.",
            }
        )
        + "\n```"
    )
    result = drafter(fake_openai).draft(NOTES, meeting=date(2025, 3, 6), participants=MEMBERS)
    assert result.origin == "llm" and result.notice is None and result.discarded == []
    [action] = result.actions
    assert action.text == "Run two listening events with patient partners"
    assert action.owner == "Sarah Jones" and action.due == date(
        2025, 4, 30
    )  # resolved by our rules
    sent = fake_openai.requests[-1]["messages"]
    assert "<untrusted_notes>" in sent[-1]["content"] and NOTES in sent[-1]["content"]
    assert "Never invent a task" in sent[0]["content"]


def test_an_action_whose_quote_is_not_in_the_notes_is_discarded(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = reply(
        {"action": "Book the peer visit", "owner": "Tom Patel", "due_words": None,
         "quote": "Tom Patel will book a peer visit to Salford."},
        {"action": "Run listening events", "owner": "Sarah Jones", "due_words": None,
         "quote": "sarah jones will run two listening events   with patient partners"},
    )  # fmt: skip
    result = drafter(fake_openai).draft(NOTES, meeting=date(2025, 3, 6))
    assert [a.owner for a in result.actions] == ["Sarah Jones"]
    assert (
        result.actions[0].quote == "Sarah Jones will run two listening events with patient partners"
    )
    assert result.discarded == ["'Book the peer visit': its quote is not in the notes"]


def test_an_owner_the_notes_never_mention_is_dropped(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = reply(
        {"action": "Consider a peer visit", "owner": "The Director of Strategy", "due_words": "later in the year",
         "quote": "We might consider a peer visit later in the year."}
    )  # fmt: skip
    [action] = drafter(fake_openai).draft(NOTES, meeting=date(2025, 3, 6)).actions
    assert action.owner is None and action.due is None and action.confidence == "low"


def test_an_unusable_reply_falls_back_to_the_rules_with_a_notice(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = "Here are the actions: Sarah will do listening events."
    result = drafter(fake_openai).draft(NOTES, meeting=date(2025, 3, 6), participants=MEMBERS)
    assert result.origin == "rules" and "not usable" in (result.notice or "")
    assert [a.owner for a in result.actions] == ["Sarah Jones"]
    fake_openai.reply = json.dumps({"actions": [{"owner": "Sarah Jones"}]})  # no quote, no action
    assert drafter(fake_openai).draft(NOTES, meeting=date(2025, 3, 6)).origin == "rules"


def test_a_failing_server_falls_back_to_the_rules(fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue(Behaviour(status=500))
    result = drafter(fake_openai).draft(NOTES, meeting=date(2025, 3, 6), participants=MEMBERS)
    assert result.origin == "rules" and "drafted by rules instead" in (result.notice or "")
    assert len(result.actions) == 1


def test_a_session_with_an_llm_configured_records_llm_drafts(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    settings = load_settings(
        llm_provider="openai",
        llm_base_url=fake_openai.url,
        llm_model="fake-model",
        data_dir=tmp_path,
    )
    svc = SessionService(sqlite_store(tmp_path / "data"), "default", drafter=make_drafter(settings))
    fake_openai.reply = reply(
        {"action": "Run listening events", "owner": "Sarah Jones", "due_words": "by the end of April",
         "quote": "Sarah Jones will run two listening events with patient partners by the end of April."},
        {"action": "Invent a task", "owner": "Helen Ward", "due_words": None, "quote": "Helen Ward will resign."},
    )  # fmt: skip
    state = svc.create(
        framework="nhs-impact",
        board="B",
        organisation="O",
        meeting_date=date(2025, 3, 6),
        participants=MEMBERS,
    )
    result = svc.respond(state.id, "c1.1", notes=NOTES)
    [action] = result.state.actions
    assert action.origin == "llm" and action.status == "draft" and action.due == date(2025, 4, 30)
    assert action.source.quote and action.source.quote in NOTES
    assert result.notices == [
        "discarded a drafted action: 'Invent a task': its quote is not in the notes"
    ]
