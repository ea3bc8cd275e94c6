"""Fixing labels: label versions, a dispute's label and thread, label proposals.

``signal_label_versions`` keeps each version of a signal's labels (who, why, from
which proposal or peer version); ``opinions.label`` names the label a
disagreement disputes; ``dispute_messages`` is the thread between a signal's
owner and the disputing partner; ``label_proposals`` are other partners'
proposed label changes, accepted or refused by the owner.

Revision ID: 0015_label_versions
Revises: 0015_exchange_peers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.store.models.base import UtcDateTime

revision = "0015_label_versions"
# Chained after main's 0015_auto_action_consent so this branch has one head; the lead
# re-chains migrations linearly at merge.
down_revision = "0015_exchange_peers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: on SQLite a batch rebuild would drop triggers.
    op.add_column("opinions", sa.Column("label", sa.String(length=200), nullable=True))
    op.create_table(
        "signal_label_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("signal_id", sa.Integer(), sa.ForeignKey("signals.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("source_version", sa.String(length=40), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("signal_id", "version"),
    )
    op.create_table(
        "dispute_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("opinion_id", sa.Integer(), sa.ForeignKey("opinions.id"), nullable=False),
        sa.Column("partner_id", sa.Integer(), sa.ForeignKey("partners.id"), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_dispute_messages_opinion_id", "dispute_messages", ["opinion_id"])
    op.create_table(
        "label_proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("signal_id", sa.Integer(), sa.ForeignKey("signals.id"), nullable=False),
        sa.Column("partner_id", sa.Integer(), sa.ForeignKey("partners.id"), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("add_labels", sa.Text(), nullable=False),
        sa.Column("remove_labels", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_label_proposals_signal_id", "label_proposals", ["signal_id"])


def downgrade() -> None:
    op.drop_index("ix_label_proposals_signal_id", table_name="label_proposals")
    op.drop_table("label_proposals")
    op.drop_index("ix_dispute_messages_opinion_id", table_name="dispute_messages")
    op.drop_table("dispute_messages")
    op.drop_table("signal_label_versions")
    op.execute("ALTER TABLE opinions DROP COLUMN label")
