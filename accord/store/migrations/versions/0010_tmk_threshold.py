"""Banks get their own TMK threshold (``tmk_threshold``), as they have one for PDQ.

A limit on the ``tmk`` signal type's distance, ``ceil(1000 (1 - min(level-1,
level-2)))``; NULL keeps the type's default (300: both scores >= 0.7).

Revision ID: 0010_tmk_threshold
Revises: 0009_audit_actor_member
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_tmk_threshold"
down_revision = "0009_audit_actor_member"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("banks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tmk_threshold", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("banks", schema=None) as batch_op:
        batch_op.drop_column("tmk_threshold")
