"""The review desk: claims that lapse, undo, held verdict webhooks, content previews.

``matches.claimed_until`` is when a claim lapses (``review_claim_seconds`` after it);
``matches.variant`` names the variant of an uploaded picture that hit;
``verdicts.undone_at`` marks a verdict its reviewer undid; ``deliveries.verdict_id``
ties a ``verdict.*`` delivery to its verdict (held until the undo window closes,
cancelled on undo); ``partners.content_url_template`` is where reviewers' browsers
load the content a match names; ``members.reveal_previews`` is a reviewer's choice
to see previews unblurred.

Revision ID: 0015_review_desk
Revises: 0015_auto_action_consent
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_review_desk"
down_revision = "0015_auto_action_consent"
branch_labels = None
depends_on = None

_COLUMNS: tuple[tuple[str, sa.Column[object]], ...] = (
    ("matches", sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True)),
    ("matches", sa.Column("variant", sa.String(length=40), nullable=True)),
    ("verdicts", sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True)),
    ("deliveries", sa.Column("verdict_id", sa.Integer(), nullable=True)),
    ("partners", sa.Column("content_url_template", sa.String(length=500), nullable=True)),
    ("members", sa.Column("reveal_previews", sa.Boolean(), nullable=False,
                          server_default=sa.false())),
)


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch "move and copy" (a batch rebuild on SQLite drops
    # the triggers of migration 0006).
    for table, column in _COLUMNS:
        op.add_column(table, column)
    op.create_index("ix_deliveries_verdict_id", "deliveries", ["verdict_id"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_verdict_id", table_name="deliveries")
    for table, column in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column.name}")
