"""The catalog: knowledge-base state, vector collections, tenant-scoped sources and passages.

Revision ID: 0001_catalog
Revises:
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001_catalog"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kb_id", sa.String(32), nullable=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    # The knowledge base's id is made once, here: it names this catalog's vector collections.
    op.bulk_insert(
        sa.table(
            "kb_state",
            sa.column("id", sa.Integer),
            sa.column("kb_id", sa.String),
            sa.column("generation", sa.BigInteger),
            sa.column("created_at", sa.String),
        ),
        [
            {
                "id": 1,
                "kb_id": uuid.uuid4().hex,
                "generation": 0,
                "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            }
        ],
    )
    op.create_table(
        "kb_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "kb_collections",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("dimension", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "kb_sources",
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("doc_id", sa.String(40), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("metadata", sa.JSON, nullable=False),
        sa.Column("chunks", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("tenant", "source", name="pk_kb_sources"),
    )
    op.create_index("ix_kb_sources_generation", "kb_sources", ["generation"])
    op.create_table(
        "kb_chunks",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("doc_id", sa.String(40), nullable=False),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("page", sa.Integer, nullable=True),
        sa.Column("heading", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("index_text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("flagged", sa.Boolean, nullable=False),
        sa.Column("flagged_spans", sa.JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "source"],
            ["kb_sources.tenant", "kb_sources.source"],
            ondelete="CASCADE",
            name="fk_kb_chunks_source",
        ),
        sa.UniqueConstraint("doc_id", "position", name="uq_kb_chunks_doc_position"),
    )
    op.create_index("ix_kb_chunks_source", "kb_chunks", ["tenant", "source"])
    op.create_table(
        "kb_tombstones",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(40), nullable=False),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_kb_tombstones_generation", "kb_tombstones", ["generation"])
    op.create_table(
        "kb_pending_vectors",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("collection", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", "collection", name="pk_kb_pending_vectors"),
    )


def downgrade() -> None:
    for table in (
        "kb_pending_vectors",
        "kb_tombstones",
        "kb_chunks",
        "kb_sources",
        "kb_collections",
        "kb_meta",
        "kb_state",
    ):
        op.drop_table(table)
