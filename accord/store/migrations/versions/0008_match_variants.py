"""Banks choose which variants of an uploaded picture may hit their PDQ signals.

``banks.match_variants`` holds the canonical list ("original,rotate90,...");
NULL keeps the node's default (accord.signals.pdq_variants.DEFAULT_VARIANTS).
``signals.preprocessing`` records what was done to the content before it was
hashed on the contributor's side ("unletterboxed 640x480: top 60, ..."), NULL
when nothing was.

Revision ID: 0008_match_variants
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_match_variants"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("banks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("match_variants", sa.String(length=300), nullable=True))
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preprocessing", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_column("preprocessing")
    with op.batch_alter_table("banks", schema=None) as batch_op:
        batch_op.drop_column("match_variants")
