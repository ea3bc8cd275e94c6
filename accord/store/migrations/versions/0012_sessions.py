"""Members' session epoch (web sessions end on sign-out, key revocation, a new password
or deactivation) and the shared sign-in throttle (failed sign-ins per account and client).

Revision ID: 0012_sessions
Revises: 0011_incident_statements
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_sessions"
down_revision = "0011_incident_statements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False,
                                      server_default="0"))
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttle")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
