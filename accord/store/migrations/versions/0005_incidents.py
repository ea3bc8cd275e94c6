"""Incidents, crises and transparency reports.

Adds ``partners.report_opt_in`` (the partner agreed to be named in
transparency reports) and, on ``crises``, ``prior_channel_id`` (the crisis
bank's channel before activation, restored when the crisis ends),
``expired_at`` and ``closed_by``.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.store.models import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("report_opt_in", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("crises", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prior_channel_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("expired_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sa.String(length=100), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_crises_prior_channel_id_channels"), "channels",
            ["prior_channel_id"], ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("crises", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_crises_prior_channel_id_channels"),
                                 type_="foreignkey")
        batch_op.drop_column("closed_by")
        batch_op.drop_column("expired_at")
        batch_op.drop_column("prior_channel_id")
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_column("report_opt_in")
