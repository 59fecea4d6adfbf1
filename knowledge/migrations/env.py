"""Alembic environment: runs on the connection `knowledge.db.migrate` hands over."""

from __future__ import annotations

from alembic import context

from knowledge.schema import metadata

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=config.attributes["version_table"],
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
