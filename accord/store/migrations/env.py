"""Alembic environment: runs migrations on the connection Accord hands over."""

from __future__ import annotations

from alembic import context

from accord.store.models import Base, load_all

load_all()  # Base.metadata with every table

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - Accord always passes a connection
    raise RuntimeError("run migrations through `accord init`, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
