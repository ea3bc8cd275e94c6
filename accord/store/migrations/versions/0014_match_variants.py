"""Banks choose which variants of an uploaded picture may hit their PDQ signals.

``banks.match_variants`` holds the canonical list ("original,rotate90,...");
NULL keeps the node's default (accord.signals.pdq_variants.DEFAULT_VARIANTS).
``signals.preprocessing`` records what was done to the content before it was
hashed on the contributor's side ("unletterboxed 640x480: top 60, ..."), NULL
when nothing was.

Revision ID: 0014_match_variants
Revises: 0013_audit_checkpoints
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_match_variants"
down_revision = "0013_audit_checkpoints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch "move and copy": on SQLite a batch rebuilds the
    # table and drops the signals' sync_seq triggers (migration 0006).
    op.add_column("banks", sa.Column("match_variants", sa.String(length=300), nullable=True))
    op.add_column("signals", sa.Column("preprocessing", sa.String(length=200), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+, PostgreSQL): the triggers stay.
    op.execute("ALTER TABLE signals DROP COLUMN preprocessing")
    op.execute("ALTER TABLE banks DROP COLUMN match_variants")
