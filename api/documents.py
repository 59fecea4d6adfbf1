"""Document ids per tenant: each source a tenant sees gets 128 random bits, stored once.

An id is looked up with the caller's tenant, so another tenant's id is reported exactly as one
that does not exist. Sources ingested outside the API (the CLI) get an id the first time they
are listed; the bundled pack's ids live under the `shared` tenant.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from api.errors import DocumentNotFound


@dataclass(frozen=True)
class DocumentRef:
    id: str
    tenant: str
    source: str
    filename: str | None


def new_document_id() -> str:
    return "d_" + secrets.token_urlsafe(16)


def not_found(document_id: str) -> DocumentNotFound:
    return DocumentNotFound(
        f"your organisation has no document {document_id[:60]!r}; GET /v1/documents lists them"
    )


class DocumentIds:
    """The table `api_documents`: (tenant, source) <-> id."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self, tenant: str, source: str, filename: str | None, key_id: str | None, doc_id: str
    ) -> DocumentRef:
        """Record `doc_id` for the source (replacing an older id of the same source)."""
        with self.engine.begin() as conn:
            conn.execute(
                text("DELETE FROM api_documents WHERE tenant = :t AND source = :s"),
                {"t": tenant, "s": source},
            )
            conn.execute(
                text(
                    "INSERT INTO api_documents (id, tenant, source, filename, key_id, created_at) "
                    "VALUES (:id, :t, :s, :f, :k, :now)"
                ),
                {
                    "id": doc_id,
                    "t": tenant,
                    "s": source,
                    "f": filename,
                    "k": key_id,
                    "now": datetime.now(UTC),
                },
            )
        return DocumentRef(doc_id, tenant, source, filename)

    def ids_for(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], DocumentRef]:
        """The refs of these (tenant, source) pairs, creating ids for those without one."""
        tenants = sorted({t for t, _ in pairs})
        known: dict[tuple[str, str], DocumentRef] = {}
        with self.engine.connect() as conn:
            for tenant in tenants:
                rows = conn.execute(
                    text("SELECT id, source, filename FROM api_documents WHERE tenant = :t"),
                    {"t": tenant},
                ).all()
                for row in rows:
                    known[(tenant, row[1])] = DocumentRef(row[0], tenant, row[1], row[2])
        for tenant, source in pairs:
            if (tenant, source) in known:
                continue
            try:
                with self.engine.begin() as conn:
                    doc_id = new_document_id()
                    conn.execute(
                        text(
                            "INSERT INTO api_documents (id, tenant, source, created_at) "
                            "VALUES (:id, :t, :s, :now)"
                        ),
                        {"id": doc_id, "t": tenant, "s": source, "now": datetime.now(UTC)},
                    )
                known[(tenant, source)] = DocumentRef(doc_id, tenant, source, None)
            except IntegrityError:  # another worker named it first
                known[(tenant, source)] = self.get_by_source(tenant, source)
        return {pair: known[pair] for pair in pairs}

    def get_by_source(self, tenant: str, source: str) -> DocumentRef:
        with self.engine.connect() as conn:
            row = conn.execute(
                text("SELECT id, filename FROM api_documents WHERE tenant = :t AND source = :s"),
                {"t": tenant, "s": source},
            ).one()
        return DocumentRef(row[0], tenant, source, row[1])

    def get(self, tenant: str, document_id: str) -> DocumentRef:
        """The tenant's document with this id, or DocumentNotFound (also for another tenant's)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT id, source, filename FROM api_documents WHERE id = :id AND tenant = :t"
                ),
                {"id": document_id, "t": tenant},
            ).first()
        if row is None:
            raise not_found(document_id)
        return DocumentRef(row[0], tenant, row[1], row[2])

    def remove(self, tenant: str, document_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                text("DELETE FROM api_documents WHERE id = :id AND tenant = :t"),
                {"id": document_id, "t": tenant},
            )
