"""Keys and conversations on a real PostgreSQL server, with the API's own migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from api.conversations import ConversationStore
from api.database import VERSION_TABLE, open_engine
from api.errors import ConversationNotFound, NotAuthenticated
from api.keys import KeyStore
from assistant.errors import ConfigurationError
from assistant.settings import load_settings


def test_keys_and_conversations_work_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data", database_url=postgres_url)
    engine = open_engine(settings)
    open_engine(settings)  # a second start migrates nothing and fails nothing
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == "api_0002"
    keys = KeyStore(engine, cache_s=0)
    record, key = keys.create("trust-a", "admin", origin="https://a.example")
    assert keys.authenticate(key).tenant == "trust-a"
    assert keys.origins() == {"https://a.example"}
    conversations = ConversationStore(engine)
    conv = conversations.create("trust-a", record.id, "What is NHS IMPACT?")
    conversations.add_exchange("trust-a", conv.id, "What is NHS IMPACT?", "It is [1].", {"n": 1})
    assert conversations.get("trust-a", conv.id).messages[1].payload == {"n": 1}
    with pytest.raises(ConversationNotFound):
        conversations.get("trust-b", conv.id)
    keys.revoke(record.id)
    with pytest.raises(NotAuthenticated):
        keys.authenticate(key)


def test_a_bad_rate_limit_setting_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="IMPACT_API_RATE_LIMIT: .*COUNT/PERIOD"):
        load_settings(api_rate_limit="lots")
