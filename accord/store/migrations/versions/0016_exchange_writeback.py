"""Write-back: verdicts and disputes going back to exchange peers.

``peers.write_back`` switches it on per peer (default off); ``exchange_opinions``
holds each outbound opinion: the peer, the signal, the upstream id (the record's
id at the exchange, never content), the kind (true_positive, false_positive,
disputed), its delivery state (pending, delivered, failed, dead, cancelled),
attempts, next attempt, last error and times.

Revision ID: 0016_exchange_writeback
Revises: 0015_label_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.store.models.base import UtcDateTime

revision = "0016_exchange_writeback"
down_revision = "0016_import_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild of peers).
    op.add_column("peers", sa.Column("write_back", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.create_table(
        "exchange_opinions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("upstream_id", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("verdict_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["peer_id"], ["peers.id"], ondelete="CASCADE",
                                name=op.f("fk_exchange_opinions_peer_id_peers")),
        sa.ForeignKeyConstraint(["signal_id"], ["signals.id"],
                                name=op.f("fk_exchange_opinions_signal_id_signals")),
        sa.ForeignKeyConstraint(["verdict_id"], ["verdicts.id"],
                                name=op.f("fk_exchange_opinions_verdict_id_verdicts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_opinions")),
    )
    op.create_index(op.f("ix_exchange_opinions_peer_id"), "exchange_opinions", ["peer_id"],
                    unique=False)
    op.create_index(op.f("ix_exchange_opinions_signal_id"), "exchange_opinions",
                    ["signal_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_exchange_opinions_signal_id"), table_name="exchange_opinions")
    op.drop_index(op.f("ix_exchange_opinions_peer_id"), table_name="exchange_opinions")
    op.drop_table("exchange_opinions")
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL), as 0015_exchange_peers does.
    op.execute("ALTER TABLE peers DROP COLUMN write_back")
