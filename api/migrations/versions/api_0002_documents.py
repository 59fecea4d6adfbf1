"""Document ids: an unguessable id per (tenant, source), for the documents routes.

Revision ID: api_0002
Revises: api_0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "api_0002"
down_revision = "api_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_documents",
        sa.Column("id", sa.String(48), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("filename", sa.String(255), nullable=True),
        sa.Column("key_id", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant", "source", name="api_documents_tenant_source"),
    )


def downgrade() -> None:
    op.drop_table("api_documents")
