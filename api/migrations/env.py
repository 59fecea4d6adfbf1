"""Alembic environment for the API's tables: runs on the connection `knowledge.db.migrate` gives."""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table=config.attributes["version_table"],
)
with context.begin_transaction():
    context.run_migrations()
