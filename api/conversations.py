"""Conversations with history, stored per tenant on the shared engine.

Every read and write names the tenant; a conversation of another tenant is reported exactly as
one that does not exist, so ids cannot be probed. Ids are 128 random bits.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from api.errors import ConversationNotFound

TITLE_CHARS = 120
WRITE_ATTEMPTS = 4  # SQLite under many writers can refuse at once, despite its busy timeout


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    text: str
    created_at: datetime
    payload: dict[str, Any] | None = None  # the answer object, for assistant messages

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "role": self.role,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
        }
        if self.payload is not None:
            out["answer"] = self.payload
        return out


@dataclass
class Conversation:
    id: str
    tenant: str
    title: str
    created_at: datetime
    updated_at: datetime
    messages: list[Message] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "messages": [m.to_dict() for m in self.messages]}


def _not_found(conversation_id: str) -> ConversationNotFound:
    return ConversationNotFound(
        f"no conversation {conversation_id[:60]!r} for this key's organisation; "
        "start a new one by asking without conversation_id"
    )


class ConversationStore:
    """Conversations and their messages (tables `api_conversations`, `api_messages`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, tenant: str, key_id: str, title: str) -> Conversation:
        now = datetime.now(UTC)
        conv = Conversation("c_" + secrets.token_urlsafe(16), tenant, _title(title), now, now)

        def insert(conn: Connection) -> None:
            conn.execute(
                text(
                    "INSERT INTO api_conversations (id, tenant, key_id, title, created_at, "
                    "updated_at) VALUES (:id, :tenant, :key, :title, :now, :now)"
                ),
                {"id": conv.id, "tenant": tenant, "key": key_id, "title": conv.title, "now": now},
            )

        self._write(insert)
        return conv

    def _write(self, fn: Callable[[Connection], Any]) -> Any:
        """Run `fn` in a transaction, again after a short wait if SQLite says it is locked."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self.engine.begin() as conn:
                    return fn(conn)
            except OperationalError as exc:
                if "locked" not in str(exc.orig) or attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * 2**attempt)
        return None

    def get(self, tenant: str, conversation_id: str, *, last: int | None = None) -> Conversation:
        """The conversation with its messages (only the `last` ones when given)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT id, tenant, title, created_at, updated_at FROM api_conversations "
                    "WHERE id = :id AND tenant = :tenant"
                ),
                {"id": conversation_id, "tenant": tenant},
            ).first()
            if row is None:
                raise _not_found(conversation_id)
            sql = (
                "SELECT role, text, created_at, payload FROM api_messages "
                "WHERE conversation_id = :id ORDER BY id DESC"
            )
            params: dict[str, Any] = {"id": conversation_id}
            if last is not None:
                sql += " LIMIT :last"
                params["last"] = last
            rows = conn.execute(text(sql), params).all()
        conv = Conversation(row[0], row[1], row[2], _aware(row[3]), _aware(row[4]))
        conv.messages = [
            Message(r[0], r[1], _aware(r[2]), json.loads(r[3]) if r[3] else None)
            for r in reversed(rows)
        ]
        return conv

    def history(self, tenant: str, conversation_id: str, turns: int) -> list[tuple[str, str]]:
        """The last `turns` exchanges as (role, text) pairs, oldest first."""
        if turns <= 0:
            self.get(tenant, conversation_id, last=0)
            return []
        conv = self.get(tenant, conversation_id, last=2 * turns)
        return [(m.role, m.text) for m in conv.messages]

    def list(self, tenant: str, limit: int = 50) -> list[Conversation]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, tenant, title, created_at, updated_at FROM api_conversations "
                    "WHERE tenant = :tenant ORDER BY updated_at DESC, id LIMIT :limit"
                ),
                {"tenant": tenant, "limit": limit},
            ).all()
        return [Conversation(r[0], r[1], r[2], _aware(r[3]), _aware(r[4])) for r in rows]

    def add_exchange(
        self,
        tenant: str,
        conversation_id: str,
        question: str,
        answer_text: str,
        answer: dict[str, Any],
    ) -> None:
        """Append a question and its answer in one transaction."""
        now = datetime.now(UTC)

        def append(conn: Connection) -> None:
            updated = conn.execute(
                text(
                    "UPDATE api_conversations SET updated_at = :now "
                    "WHERE id = :id AND tenant = :tenant"
                ),
                {"now": now, "id": conversation_id, "tenant": tenant},
            )
            if updated.rowcount != 1:
                raise _not_found(conversation_id)
            insert = text(
                "INSERT INTO api_messages (conversation_id, role, text, payload, created_at) "
                "VALUES (:id, :role, :text, :payload, :now)"
            )
            conn.execute(
                insert,
                {
                    "id": conversation_id,
                    "role": "user",
                    "text": question,
                    "payload": None,
                    "now": now,
                },
            )
            conn.execute(
                insert,
                {
                    "id": conversation_id,
                    "role": "assistant",
                    "text": answer_text,
                    "payload": json.dumps(answer),
                    "now": now,
                },
            )

        self._write(append)

    def delete(self, tenant: str, conversation_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "DELETE FROM api_messages WHERE conversation_id IN (SELECT id FROM "
                    "api_conversations WHERE id = :id AND tenant = :tenant)"
                ),
                {"id": conversation_id, "tenant": tenant},
            )
            gone = conn.execute(
                text("DELETE FROM api_conversations WHERE id = :id AND tenant = :tenant"),
                {"id": conversation_id, "tenant": tenant},
            )
        if gone.rowcount != 1:
            raise _not_found(conversation_id)


def _title(question: str) -> str:
    flat = " ".join(question.split())
    return flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1].rstrip() + "…"


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
