"""The database: SQLAlchemy 2 models by area, store functions, Alembic migrations, sessions.

SQLite (a file) by default, PostgreSQL by URL. ORM rows stay inside the core;
edges see the frozen records of ``accord.store.records``.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
