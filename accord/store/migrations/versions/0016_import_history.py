"""Import history: one row per bulk import of a file into a bank.

``signal_imports`` keeps who imported which file into which bank, when, its
state (running, done, failed) and its counts, so a bank's page lists its past
imports; ``job`` links a web UI import to its rejected rows.

Revision ID: 0016_import_history
Revises: 0015_label_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.store.models.base import UtcDateTime

revision = "0016_import_history"
down_revision = "0016_channel_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signal_imports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bank_id", sa.Integer(), sa.ForeignKey("banks.id"), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_signal_imports_bank_id", "signal_imports", ["bank_id"])


def downgrade() -> None:
    op.drop_index("ix_signal_imports_bank_id", table_name="signal_imports")
    op.drop_table("signal_imports")
