"""Signed checkpoints of the audit chain's head (``audit_checkpoints``).

Each row states "the chain had event ``seq`` with hash ``hash`` at ``at``", signed
(HMAC-SHA256) with a key kept outside the database; ``accord audit verify`` checks the
chain against them and against the copies kept by witnesses (docs/audit.md).

Revision ID: 0013_audit_checkpoints
Revises: 0012_sessions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import accord.store.models

revision = "0013_audit_checkpoints"
down_revision = "0012_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", accord.store.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_checkpoints_seq"), ["seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_checkpoints_seq"))
    op.drop_table("audit_checkpoints")
