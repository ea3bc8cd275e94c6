"""Review workflow: match grouping by query, negative-list flag, false-positive verdicts.

Adds ``matches.query_id`` (the matches of one query share it) and
``matches.negative`` (the signal's bank was a "known legitimate" list), the
review-queue index, ``verdicts.false_positive``, and the index the webhook
delivery worker polls.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("query_id", sa.String(length=32), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("negative", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_matches_query_id"), ["query_id"], unique=False)
        batch_op.create_index(
            "ix_matches_queue", ["requester_partner_id", "review_state", "id"], unique=False
        )
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("false_positive", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_due", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_due")
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.drop_column("false_positive")
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_index("ix_matches_queue")
        batch_op.drop_index(batch_op.f("ix_matches_query_id"))
        batch_op.drop_column("negative")
        batch_op.drop_column("query_id")
