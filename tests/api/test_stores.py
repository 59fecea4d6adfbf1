"""Conversations per tenant, and upload limits, without a server."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from api.conversations import ConversationStore
from api.database import open_engine
from api.errors import ConversationNotFound, PayloadTooLarge, UnsupportedMediaType
from api.uploads import check_type, copy_upload, safe_filename
from assistant.settings import load_settings

ALLOWED = load_settings().upload_types


@pytest.fixture
def conversations(tmp_path: Path) -> ConversationStore:
    return ConversationStore(open_engine(load_settings(data_dir=tmp_path / "data")))


def test_history_is_the_last_exchanges_oldest_first(conversations: ConversationStore) -> None:
    conv = conversations.create("a", "k1", "What is NHS IMPACT?")
    for i in range(4):
        conversations.add_exchange("a", conv.id, f"q{i}", f"answer {i}", {"answer": f"answer {i}"})
    assert conversations.history("a", conv.id, turns=2) == [
        ("user", "q2"),
        ("assistant", "answer 2"),
        ("user", "q3"),
        ("assistant", "answer 3"),
    ]
    assert conversations.history("a", conv.id, turns=0) == []


def test_another_tenant_cannot_read_write_or_delete(conversations: ConversationStore) -> None:
    conv = conversations.create("a", "k1", "Question")
    with pytest.raises(ConversationNotFound):
        conversations.get("b", conv.id)
    with pytest.raises(ConversationNotFound):
        conversations.add_exchange("b", conv.id, "q", "a", {})
    with pytest.raises(ConversationNotFound):
        conversations.delete("b", conv.id)
    with pytest.raises(ConversationNotFound):
        conversations.history("b", conv.id, turns=0)
    assert conversations.list("b") == []
    assert conversations.get("a", conv.id).title == "Question"


def test_ids_are_unguessable_and_titles_short(conversations: ConversationStore) -> None:
    ids = {conversations.create("a", "k", "x " * 200).id for _ in range(50)}
    assert len(ids) == 50 and all(len(i) >= 24 for i in ids)
    assert len(conversations.list("a")[0].title) <= 120


def test_upload_types_are_checked_by_name_and_declared_type() -> None:
    assert check_type("Board paper.PDF", "application/pdf", ALLOWED) == ".pdf"
    assert check_type("notes.md", "application/octet-stream", ALLOWED) == ".md"
    with pytest.raises(UnsupportedMediaType, match=r"\.exe is not accepted"):
        check_type("setup.exe", "application/octet-stream", ALLOWED)
    with pytest.raises(UnsupportedMediaType, match="sent as image/png"):
        check_type("paper.pdf", "image/png", ALLOWED)
    assert safe_filename("C:\\Users\\me\\papers\\board.docx") == "board.docx"
    assert safe_filename("../../etc/passwd.txt") == "passwd.txt"


def test_an_upload_over_the_limit_stops_and_keeps_nothing(tmp_path: Path) -> None:
    with pytest.raises(PayloadTooLarge, match="at most"):
        copy_upload(io.BytesIO(b"x" * 300_000), tmp_path / "up", "big.txt", max_bytes=200_000)
    assert not (tmp_path / "up" / "big.txt").exists()
    stored = copy_upload(io.BytesIO(b"small"), tmp_path / "up", "small.txt", max_bytes=200_000)
    assert stored.read_bytes() == b"small"
