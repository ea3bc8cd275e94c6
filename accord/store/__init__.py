"""The database: SQLAlchemy 2 models, Alembic migrations, sessions and records.

SQLite (a file) by default, PostgreSQL by URL. ORM rows stay inside the core;
edges see the frozen records of ``accord.store.records``.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
