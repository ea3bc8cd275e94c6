"""A partner consents to auto-action of its own matches.

``partners.auto_action_consent`` (default false): a match is auto-actioned only where
the bank's owner opted the bank in *and* the requesting partner consents and accepts
the label's designation source (accord.entities.policy).

Revision ID: 0015_auto_action_consent
Revises: 0014_match_variants
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_auto_action_consent"
down_revision = "0014_match_variants"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("partners", sa.Column("auto_action_consent", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))


def downgrade() -> None:
    op.execute("ALTER TABLE partners DROP COLUMN auto_action_consent")
