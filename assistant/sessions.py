"""The session store: SQLAlchemy tables for board sessions and their audit trail, per tenant.

One row per session holds its whole state as JSON (saved after every step, in one transaction
with the step's audit entries); a version number refuses a save made from a stale copy. Every
query takes the tenant, so one trust never reads another's sessions. SQLite by default (the
file in the data directory), PostgreSQL by URL; the tables are created by Alembic migrations in
`assistant/migrations` with their own version table.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    insert,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import SessionConflict, SessionNotFound, SessionStoreUnavailable
from assistant.facilitation import Change
from assistant.session_model import SessionState
from knowledge.db import get_engine, migrate, safe_url
from knowledge.errors import StoreUnavailable

__all__ = ["AuditEntry", "SessionStore", "SessionSummary", "metadata", "new_session_id"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version_sessions"
MIN_PREFIX = 6

metadata = MetaData()
sessions_table = Table(
    "board_sessions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant", String(64), nullable=False),
    Column("framework", String(64), nullable=False),
    Column("board", String(200), nullable=False),
    Column("organisation", String(200), nullable=False),
    Column("meeting_date", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("state", Text, nullable=False),
)
audit_table = Table(
    "board_session_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "session_id",
        String(32),
        ForeignKey("board_sessions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("tenant", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("summary", Text, nullable=False),
    Column("detail", Text, nullable=False),
)


def new_session_id() -> str:
    """128 random bits as 32 hex characters: unguessable, and safe in a URL or a file name."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class SessionSummary:
    """A line of `impact session list`."""

    id: str
    board: str
    organisation: str
    framework: str
    meeting_date: date
    status: str
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "board": self.board,
            "organisation": self.organisation,
            "framework": self.framework,
            "date": self.meeting_date.isoformat(),
            "status": self.status,
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class AuditEntry:
    """Who did what to a session, and when."""

    at: datetime
    actor: str
    kind: str
    summary: str
    detail: dict[str, Any]
    version: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "kind": self.kind,
            "summary": self.summary,
            "detail": self.detail,
            "version": self.version,
        }


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class SessionStore:
    """Board sessions in a SQL database (the catalog's engine when they share a URL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> SessionStore:
        """The store at `url`, its tables created or brought up to date first."""
        try:
            engine = get_engine(url)
            migrate(engine, MIGRATIONS, VERSION_TABLE)
        except StoreUnavailable as exc:
            raise SessionStoreUnavailable(f"the session store is unavailable: {exc}") from exc
        return cls(engine)

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise SessionStoreUnavailable(
                f"the session store at {safe_url(str(self.engine.url))} failed "
                f"({exc.__class__.__name__}: {str(exc).splitlines()[0][:160]})"
            ) from exc

    # -- writes -------------------------------------------------------------------------------
    def create(self, state: SessionState, changes: Sequence[Change], actor: str) -> None:
        """Insert a new session with the audit entries of its creation."""
        with self._tx() as conn:
            conn.execute(insert(sessions_table).values(**self._row(state)))
            self._audit(conn, state, changes, actor)

    def save(
        self, state: SessionState, expected_version: int, changes: Sequence[Change], actor: str
    ) -> None:
        """Store `state` if the stored copy is still `expected_version`; audit in the same step."""
        with self._tx() as conn:
            result = conn.execute(
                update(sessions_table)
                .where(
                    and_(
                        sessions_table.c.id == state.id,
                        sessions_table.c.tenant == state.tenant,
                        sessions_table.c.version == expected_version,
                    )
                )
                .values(**self._row(state))
            )
            if result.rowcount != 1:
                raise SessionConflict(
                    f"session {state.id[:8]} changed while this step was prepared (someone else "
                    "saved it): nothing was saved; show it again and repeat the step"
                )
            self._audit(conn, state, changes, actor)

    def _row(self, state: SessionState) -> dict[str, Any]:
        return {
            "id": state.id,
            "tenant": state.tenant,
            "framework": state.framework,
            "board": state.board,
            "organisation": state.organisation,
            "meeting_date": state.meeting_date,
            "status": state.status,
            "version": state.version,
            "created_at": state.created_at,
            "updated_at": state.updated_at,
            "state": state.model_dump_json(),
        }

    def _audit(
        self, conn: Connection, state: SessionState, changes: Sequence[Change], actor: str
    ) -> None:
        if not changes:
            return
        conn.execute(
            insert(audit_table),
            [
                {
                    "session_id": state.id,
                    "tenant": state.tenant,
                    "version": state.version,
                    "at": state.updated_at,
                    "actor": actor,
                    "kind": change.kind,
                    "summary": change.summary,
                    "detail": json.dumps(change.detail, default=str),
                }
                for change in changes
            ],
        )

    # -- reads --------------------------------------------------------------------------------
    def resolve(self, tenant: str, session_id: str) -> str:
        """The full id for `session_id`, or a unique prefix of at least six characters of one."""
        wanted = session_id.strip().lower()
        if not wanted or not all(c in "0123456789abcdef" for c in wanted):
            raise SessionNotFound(
                f"{session_id!r} is not a session id: `impact session list` shows them"
            )
        with self._tx() as conn:
            exact = conn.execute(
                select(sessions_table.c.id).where(
                    and_(sessions_table.c.tenant == tenant, sessions_table.c.id == wanted)
                )
            ).scalar()
            if exact:
                return str(exact)
            if len(wanted) < MIN_PREFIX:
                matches: list[str] = []
            else:
                matches = list(
                    conn.execute(
                        select(sessions_table.c.id).where(
                            and_(
                                sessions_table.c.tenant == tenant,
                                sessions_table.c.id.like(wanted + "%"),
                            )
                        )
                    ).scalars()
                )
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise SessionNotFound(
                f"{session_id!r} matches {len(matches)} sessions: give more of the id"
            )
        raise SessionNotFound(
            f"no session {session_id!r} for tenant {tenant!r}: `impact session list` shows them"
        )

    def load(self, tenant: str, session_id: str) -> SessionState:
        """The session `session_id` of `tenant` (an id of another tenant is not found)."""
        full = self.resolve(tenant, session_id)
        with self._tx() as conn:
            raw = conn.execute(
                select(sessions_table.c.state).where(
                    and_(sessions_table.c.tenant == tenant, sessions_table.c.id == full)
                )
            ).scalar()
        if raw is None:
            raise SessionNotFound(f"no session {session_id!r} for tenant {tenant!r}")
        return SessionState.model_validate_json(raw)

    def list_sessions(self, tenant: str, board: str | None = None) -> list[SessionSummary]:
        """The tenant's sessions, the most recent meeting first."""
        query = select(
            sessions_table.c.id,
            sessions_table.c.board,
            sessions_table.c.organisation,
            sessions_table.c.framework,
            sessions_table.c.meeting_date,
            sessions_table.c.status,
            sessions_table.c.updated_at,
        ).where(sessions_table.c.tenant == tenant)
        if board is not None:
            query = query.where(sessions_table.c.board == board)
        query = query.order_by(
            sessions_table.c.meeting_date.desc(), sessions_table.c.created_at.desc()
        )
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return [
            SessionSummary(
                r.id,
                r.board,
                r.organisation,
                r.framework,
                r.meeting_date,
                r.status,
                _utc(r.updated_at),
            )
            for r in rows
        ]

    def audit(self, tenant: str, session_id: str) -> list[AuditEntry]:
        """Every change to the session, oldest first."""
        full = self.resolve(tenant, session_id)
        with self._tx() as conn:
            rows = conn.execute(
                select(audit_table)
                .where(and_(audit_table.c.tenant == tenant, audit_table.c.session_id == full))
                .order_by(audit_table.c.id)
            ).all()
        return [
            AuditEntry(_utc(r.at), r.actor, r.kind, r.summary, json.loads(r.detail), r.version)
            for r in rows
        ]
