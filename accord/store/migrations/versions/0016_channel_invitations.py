"""Channel invitations: joining a channel needs the joining partner's consent.

``channel_invitations`` holds a channel owner's invitation to a partner, with
who invited it and when, and its state (pending, accepted, declined,
withdrawn) with who decided and when. Existing channel members are kept as
they are.

Revision ID: 0016_channel_invitations
Revises: 0015_label_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.store.models.base import UtcDateTime

revision = "0016_channel_invitations"
down_revision = "0015_label_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(),
                  sa.ForeignKey("channels.id", name="fk_channel_invitations_channel_id_channels"),
                  nullable=False),
        sa.Column("partner_id", sa.Integer(),
                  sa.ForeignKey("partners.id", name="fk_channel_invitations_partner_id_partners"),
                  nullable=False),
        sa.Column("invited_by", sa.String(length=100), nullable=False),
        sa.Column("invited_by_member_id", sa.Integer(),
                  sa.ForeignKey("members.id",
                                name="fk_channel_invitations_invited_by_member_id_members"),
                  nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_channel_invitations"),
    )
    op.create_index("ix_channel_invitations_channel_id", "channel_invitations", ["channel_id"])
    op.create_index("ix_channel_invitations_partner_id", "channel_invitations", ["partner_id"])


def downgrade() -> None:
    op.drop_index("ix_channel_invitations_partner_id", table_name="channel_invitations")
    op.drop_index("ix_channel_invitations_channel_id", table_name="channel_invitations")
    op.drop_table("channel_invitations")
