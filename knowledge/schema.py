"""The catalog's tables (SQLAlchemy Core): the record of truth for sources, passages and tenants.

Changes to these tables go through an Alembic revision in knowledge/migrations/versions/.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# One row: this knowledge base's id (names its vector collections) and its change counter.
state = Table(
    "kb_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kb_id", String(32), nullable=False),
    Column("generation", BigInteger, nullable=False),
    Column("created_at", String(32), nullable=False),
)

meta = Table(
    "kb_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Vector collections: one per embedding model and dimension; exactly one is `active`.
collections = Table(
    "kb_collections",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("model", Text, nullable=False),
    Column("dimension", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
)

sources = Table(
    "kb_sources",
    metadata,
    Column("tenant", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("doc_id", String(40), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("version", String(64), nullable=False),
    Column("tags", JSON, nullable=False),
    Column("metadata", JSON, nullable=False),
    Column("chunks", Integer, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Column("generation", BigInteger, nullable=False),
    PrimaryKeyConstraint("tenant", "source", name="pk_kb_sources"),
    Index("ix_kb_sources_generation", "generation"),
)

chunks = Table(
    "kb_chunks",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("doc_id", String(40), nullable=False),
    Column("tenant", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("page", Integer, nullable=True),
    Column("heading", JSON, nullable=False),
    Column("text", Text, nullable=False),
    Column("index_text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("flagged", Boolean, nullable=False),
    # [[start, end], ...]: character offsets in `text` of sentences that read as instructions.
    Column("flagged_spans", JSON, nullable=False),
    ForeignKeyConstraint(
        ["tenant", "source"],
        ["kb_sources.tenant", "kb_sources.source"],
        ondelete="CASCADE",
        name="fk_kb_chunks_source",
    ),
    UniqueConstraint("doc_id", "position", name="uq_kb_chunks_doc_position"),
    Index("ix_kb_chunks_source", "tenant", "source"),
)

# Documents removed, so that a lexical index elsewhere can drop them when it catches up.
tombstones = Table(
    "kb_tombstones",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(40), nullable=False),
    Column("tenant", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("generation", BigInteger, nullable=False),
    Index("ix_kb_tombstones_generation", "generation"),
)

# Vectors written but not yet matched by a catalog commit: a crash leaves these to tidy.
pending_vectors = Table(
    "kb_pending_vectors",
    metadata,
    Column("id", String(120), nullable=False),
    Column("collection", String(200), nullable=False),
    PrimaryKeyConstraint("id", "collection", name="pk_kb_pending_vectors"),
)
