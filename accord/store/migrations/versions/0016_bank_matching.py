"""A bank's matching can be switched off: ``banks.matching_enabled`` (default true).

A bank with matching off keeps its signals (shared, synced, exported as before) but
none of them match an upload until it is switched on again (HMA's
``matching_enabled_ratio`` 0; accord.curation.banks.bank_set_matching).

Revision ID: 0016_bank_matching
Revises: 0015_label_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_bank_matching"
down_revision = "0016_peer_key_sealing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: on SQLite a batch rebuild would drop triggers.
    op.add_column("banks", sa.Column("matching_enabled", sa.Boolean(), nullable=False,
                                     server_default=sa.true()))


def downgrade() -> None:
    op.execute("ALTER TABLE banks DROP COLUMN matching_enabled")
