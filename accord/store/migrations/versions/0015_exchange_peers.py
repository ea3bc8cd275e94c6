"""Peers that are python-threatexchange exchanges, their skip ledger and provenance.

``peers`` gains the exchange peer's settings: ``kind`` ("taxii" or "exchange"), the
pytx API name, its collab config (JSON), a reference to its credentials (an
environment variable or a file, never the secret), its checkpoint (JSON), the TLP of
pulled signals, the tag -> taxonomy label mapping and the flood limits, and the
volumes of recent runs. ``peer_skips`` is the skip ledger (a record not stored, and
why); ``exchange_records`` says which upstream record each pulled signal came from.

Revision ID: 0015_exchange_peers
Revises: 0015_review_desk
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import accord.store.models

revision = "0015_exchange_peers"
down_revision = "0015_review_desk"
branch_labels = None
depends_on = None

_PEER_COLUMNS = ("kind", "exchange", "collab", "credentials_ref", "checkpoint", "tlp",
                 "tag_map", "flood_factor", "flood_cap", "volumes")


def upgrade() -> None:
    # Plain ADD COLUMN (a batch rebuild of peers is not needed and keeps its rows as is).
    op.add_column("peers", sa.Column("kind", sa.String(length=20), nullable=False,
                                     server_default="taxii"))
    op.add_column("peers", sa.Column("exchange", sa.String(length=100), nullable=True))
    op.add_column("peers", sa.Column("collab", sa.Text(), nullable=True))
    op.add_column("peers", sa.Column("credentials_ref", sa.String(length=1000), nullable=True))
    op.add_column("peers", sa.Column("checkpoint", sa.Text(), nullable=True))
    op.add_column("peers", sa.Column("tlp", sa.String(length=20), nullable=True))
    op.add_column("peers", sa.Column("tag_map", sa.Text(), nullable=True))
    op.add_column("peers", sa.Column("flood_factor", sa.Integer(), nullable=True))
    op.add_column("peers", sa.Column("flood_cap", sa.Integer(), nullable=True))
    op.add_column("peers", sa.Column("volumes", sa.Text(), nullable=True))
    op.create_table(
        "peer_skips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("skipped_at", accord.store.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["peer_id"], ["peers.id"], ondelete="CASCADE",
                                name=op.f("fk_peer_skips_peer_id_peers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peer_skips")),
    )
    op.create_index(op.f("ix_peer_skips_peer_id"), "peer_skips", ["peer_id"], unique=False)
    op.create_table(
        "exchange_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(length=500), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("exchange", sa.String(length=100), nullable=False),
        sa.Column("owners", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("unmapped_tags", sa.JSON(), nullable=False),
        sa.Column("opinions", sa.JSON(), nullable=False),
        sa.Column("updated_at", accord.store.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["peer_id"], ["peers.id"], ondelete="CASCADE",
                                name=op.f("fk_exchange_records_peer_id_peers")),
        sa.ForeignKeyConstraint(["signal_id"], ["signals.id"],
                                name=op.f("fk_exchange_records_signal_id_signals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_records")),
    )
    op.create_index("ix_exchange_records_peer_key", "exchange_records",
                    ["peer_id", "record_key"], unique=False)
    op.create_index(op.f("ix_exchange_records_signal_id"), "exchange_records", ["signal_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_exchange_records_signal_id"), table_name="exchange_records")
    op.drop_index("ix_exchange_records_peer_key", table_name="exchange_records")
    op.drop_table("exchange_records")
    op.drop_index(op.f("ix_peer_skips_peer_id"), table_name="peer_skips")
    op.drop_table("peer_skips")
    for column in reversed(_PEER_COLUMNS):
        op.execute(f"ALTER TABLE peers DROP COLUMN {column}")
