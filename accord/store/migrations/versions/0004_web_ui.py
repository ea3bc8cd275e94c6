"""Web UI: an index for a bank's signals in id order.

The signals page lists one bank's signals a page at a time (``bank_id = ?``,
``id > ?``, ``ORDER BY id``); without this index a small bank among a million
signals means scanning them all.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.create_index("ix_signals_bank", ["bank_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index("ix_signals_bank")
